"""A day, and perhaps a time, that a person types for a dated event (a meeting, a talk)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from activities.errors import UserError
from activities.text import escape_mrkdwn, truncate

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


# One dated step of an event: its name, when it becomes due and when it stops being
# worth doing (None: never), each relative to the event's moment.
Step = tuple[str, timedelta, timedelta | None]


def steps_due(
    at: datetime, *, now: datetime, done: frozenset[str], steps: Sequence[Step]
) -> list[str]:
    """The steps of the event at `at` that are due `now` and not `done`, in `steps`' order."""
    return [
        name
        for name, due, stale in steps
        if at + due <= now and (stale is None or now < at + stale) and name not in done
    ]


def step_moments(at: datetime, steps: Sequence[Step]) -> list[datetime]:
    """Where `steps_due`' answer can change for the event at `at`: each step's start and
    end (the next-due moments of the periodic task that walks them)."""
    return [at + offset for _, due, stale in steps for offset in (due, stale) if offset is not None]


@dataclass(frozen=True, slots=True)
class Refusals:
    """What one kind says when a typed date won't do, and the form field it names.

    `unreadable` and `unreal` are format strings with `{text}` (what was typed: cut to
    40 characters in `unreadable`, stripped in `unreal`) and `{cut}` (cut to 40 in both);
    `past` has `{day}`."""

    field: str
    unreadable: str
    unreal: str
    past: str


def future_moment(text: str, *, at: time, timezone: str, now: datetime, say: Refusals) -> datetime:
    """`read_moment`, refused (as `say` words it) unless it is a real moment after `now`."""
    try:
        moment = read_moment(text, at=at, timezone=timezone)
    except ValueError as why:
        cut = escape_mrkdwn(truncate(text, 40))
        if isinstance(why, Unreadable):
            said = say.unreadable.format(text=cut, cut=cut)
        else:
            said = say.unreal.format(text=escape_mrkdwn(text.strip()), cut=cut)
        raise UserError(said, field=say.field) from None
    if moment <= now:
        raise UserError(say.past.format(day=moment.date().isoformat()), field=say.field)
    return moment
