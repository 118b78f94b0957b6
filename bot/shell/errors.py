"""A step that did not work: one line saying what was wrong and what would."""

from __future__ import annotations


class ShellError(Exception):
    pass


class ModalCancelled(Exception):
    pass
