"""Institutions, partnerships and their letters."""
