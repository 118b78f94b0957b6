"""Listeners: thin — ack, parse, call activities/, reply."""
