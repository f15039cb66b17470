"""Institutional partners, partnerships, events and catering bookings."""
