"""The public catalogue and resellers' public pages (no sign-in)."""
