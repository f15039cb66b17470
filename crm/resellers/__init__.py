"""Reseller profiles, onboarding, claims, listing kits and the public catalogue."""
