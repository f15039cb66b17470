"""Who sold what: sales figures for producers, resellers and officers."""
