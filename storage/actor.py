"""Who a change is made for: in which workspace, who, and at what moment.

Defined here, below the use-cases, so that a storage function that makes a row a person
caused (an audit entry, a role term, a win, a thanks, a topic) takes this one value and
stamps the row's workspace, author and time from it, instead of three loose arguments
that always travel together. `activities.actor` is the name use-cases import it by.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Actor:
    team_id: str
    user_id: str
    now: datetime
