"""What every page shares: templating, language, security headers, errors and error
pages, forms and fields, values from the URL, uploads and CSV files."""
