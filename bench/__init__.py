"""Benchmark data and measurements at Kabupaten scale."""
