"""Villages (desa/kelurahan) and their letterhead settings."""
