"""The community (social) fund of each producer group."""
