"""The book club's tables and queries."""
