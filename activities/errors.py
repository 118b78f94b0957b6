"""Errors whose message is meant for the person who typed the command."""

from __future__ import annotations


class UserError(ValueError):
    """A refusal or a bad input; the message says why and shows a correct example."""
