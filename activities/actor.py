"""The person a use-case acts for: in which workspace, who, and at what moment.

Listeners build one from the request (`Caller.actor`); a use-case that records who did
something, checks what they may do or stamps when it happened takes one `Actor`
instead of three loose arguments that always travel together, and hands the same value
to the storage function that makes the row (hence it is defined in `storage.actor`).
"""

from __future__ import annotations

from storage.actor import Actor

__all__ = ["Actor"]
