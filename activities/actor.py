"""The person a use-case acts for: in which workspace, who, and at what moment.

Listeners build one from the request (`Caller.actor`); a use-case that records who did
something, checks what they may do or stamps when it happened takes one `Actor`
instead of three loose arguments that always travel together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Actor:
    team_id: str
    user_id: str
    now: datetime
