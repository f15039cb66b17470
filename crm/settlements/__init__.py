"""Settlements between resellers and groups: payments, balances, statements."""
