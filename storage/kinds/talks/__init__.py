"""The talks kind's tables and queries."""
