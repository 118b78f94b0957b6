"""Topic discussions' tables and queries."""
