"""The talks kind (bot side)."""
