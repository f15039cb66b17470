"""Audit trail: who changed what and when. Rows are only ever added."""
