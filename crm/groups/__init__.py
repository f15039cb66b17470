"""Producer groups: profiles, members and capacity."""
