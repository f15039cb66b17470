"""Dropship customer orders, returns and settlements between resellers and producers."""
