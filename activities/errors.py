"""Errors whose message is meant for the person who typed the command."""

from __future__ import annotations


class UserError(ValueError):
    """A refusal or a bad input; the message says why and shows a correct example.

    `field` names the input it is about, so a modal can show it under that field.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
