"""Demo county generator and live incident simulator (no Qt)."""
