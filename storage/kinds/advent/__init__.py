"""Advent's tables and queries."""
