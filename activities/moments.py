"""A day, and perhaps a time, that a person types for a dated event (a meeting, a talk)."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

_MOMENT = re.compile(r"\s*(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}):(\d{2}))?\s*")
_CLOCK = re.compile(r"(\d{2}):(\d{2})")


class Unreadable(ValueError):
    """The text isn't written `2027-01-14` or `2027-01-14 19:00`."""


def usual_time(schedule_rule: str, default: time) -> time:
    """The time in an activity's cadence (e.g. 12:30), else `default`."""
    found = _CLOCK.search(schedule_rule)
    return time(int(found.group(1)), int(found.group(2))) if found else default


def read_moment(text: str, *, at: time, timezone: str) -> datetime:
    """`2027-01-14` (at `at`) or `2027-01-14 19:00`, in `timezone`.

    Raises `Unreadable` when the text isn't written so, and `ValueError` when it is
    but names no real day or time (2027-02-30, 25:00)."""
    found = _MOMENT.fullmatch(text)
    if found is None:
        raise Unreadable(text)
    day = date.fromisoformat(found.group(1))
    if found.group(2):
        at = time(int(found.group(2)), int(found.group(3)))
    return datetime.combine(day, at, tzinfo=ZoneInfo(timezone))
