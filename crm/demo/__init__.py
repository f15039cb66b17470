"""The Katapang demo village and its twelve months of history."""
