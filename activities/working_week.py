"""A member's working week: the local hours and days they meet and are pinged in.

Until a member chooses their own (`/coffee hours 9-17 mon-thu`) everyone has this one
default, kept here only: the matcher, the suggested times, quiet hours and what
`/coffee settings` shows all read it, so the screen never tells another story than the
decisions.
"""

from __future__ import annotations

from collections.abc import Set

START = 8
END = 19
DAYS = frozenset(range(5))  # Monday (0) to Friday
HOURS = (START, END)


def works(start: int, end: int, days: Set[int], weekday: int, hour: int) -> bool:
    """Is this local hour of this weekday (Monday = 0) inside the hours on working days?
    `end` before `start` wraps past midnight (a night shift), whose early hours belong to
    the day it started on. The one rule: quiet hours and the matcher both ask it."""
    if start == end or not days:
        return False
    if start < end:
        return weekday in days and start <= hour < end
    if hour >= start:
        return weekday in days
    return hour < end and (weekday - 1) % 7 in days
