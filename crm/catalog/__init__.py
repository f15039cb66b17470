"""Producer groups, their members and products."""
