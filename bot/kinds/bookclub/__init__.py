"""The book club kind (bot side)."""
