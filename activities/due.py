"""When periodic work next has something to do.

The scheduler's periodic tasks (check-ins, deadlines, reminders, dated steps) decide from
the clock; each one's answer changes only at certain moments (a deadline, an offset before
a meeting, the midnight on which a date-reading rule turns). A task's `next_due` names the first of
those moments still ahead, so something that sleeps until then (the shell's clock) misses
nothing. Earlier than the truth is harmless (a tick that finds nothing); later never is.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime


def next_after(now: datetime, moments: Iterable[datetime | None]) -> datetime | None:
    """The earliest moment strictly after `now`, or None."""
    ahead = [a for a in (_aware(m) for m in moments if m is not None) if a > now]
    return min(ahead) if ahead else None


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes for UTC columns.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
