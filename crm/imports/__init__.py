"""Spreadsheet imports of a village's existing lists: producer groups with their
members, resellers, products with prices and stock, and warung."""
