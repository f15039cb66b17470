"""Access-to-capital proposals of producer groups and their review by the officer."""
