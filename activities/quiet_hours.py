"""Quiet hours: what pings a person directly waits for their working hours.

A DM, group DM, check-in or reminder is delivered only inside the default working week
(activities/working_week.py: 08:00–19:00, Monday to Friday) in each recipient's own Slack
time zone, or inside the hours and days they chose (`/coffee hours 9-17 mon-thu`).
Outside them it waits: for a group, the first moment inside everyone's hours within a day
of the first moment inside anyone's, else that first moment. A reminder that would only
arrive once its event has started is dropped, not sent late. Channel posts keep their
schedule (they ping nobody directly).

The courier applies `plan` to every message that pings people (bot/delivery.py): one
rule for every kind. A hold is decided once, for its moment: the message goes when that
moment comes, not moved again by a window that slid meanwhile; a retry after that send
failed, a message re-armed by a change, or one claimed more than `GRACE` after its moment
(the bot was down), is decided again (storage/outbox.mark_held).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from activities import working_week
from activities.errors import UserError
from activities.text import escape_mrkdwn
from storage import members as member_store
from storage.kinds.coffee import queries as coffee_store

STEP = timedelta(minutes=15)
# How far ahead a group's common moment is looked for before anyone's will do.
TOGETHER = timedelta(hours=24)
# How far ahead anyone's moment is looked for (a long weekend, one working day a week).
HORIZON = timedelta(days=8)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONDAY_TO_FRIDAY = working_week.DAYS
# How late a held message may still be claimed and sent as decided: a busy courier's
# delay, not an outage's. Later than that, its moment is decided again.
GRACE = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class Hours:
    """Local whole hours on working days (Monday = 0); `end` before `start` wraps past
    midnight (a night shift), whose early hours belong to the day it started on."""

    start: int = working_week.START
    end: int = working_week.END
    days: frozenset[int] = working_week.DAYS

    def allows(self, local: datetime) -> bool:
        return working_week.works(self.start, self.end, self.days, local.weekday(), local.hour)


@dataclass(frozen=True, slots=True)
class Person:
    timezone: str
    hours: Hours = Hours()

    def open_at(self, moment: datetime) -> bool:
        try:
            zone = ZoneInfo(self.timezone)
        except (KeyError, ValueError):
            zone = ZoneInfo("UTC")
        return self.hours.allows(moment.astimezone(zone))


def days_from_bits(bits: int) -> frozenset[int]:
    """`coffeepreference.work_days` (Monday = 1 … Sunday = 64) as weekday numbers."""
    return frozenset(day for day in range(7) if bits & (1 << day))


def bits_from_days(days: frozenset[int]) -> int:
    return sum(1 << day for day in days)


def days_text(days: frozenset[int]) -> str:
    """`mon-fri`, `mon-thu`, `mon,wed,fri`: the form `/coffee hours` takes."""
    ordered = sorted(days)
    if len(ordered) > 2 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{WEEKDAYS[ordered[0]]}-{WEEKDAYS[ordered[-1]]}"
    return ",".join(WEEKDAYS[day] for day in ordered)


DAYS_EXAMPLE = "/coffee hours 9-17 mon-thu"


def parse_days(text: str) -> frozenset[int]:
    """`mon-thu`, `mon,wed,fri`, `sun-thu` or `tue`: working days (Monday = 0). A list
    that leaves no working day (`none`) is refused."""
    days: set[int] = set()
    for part in re.split(r"[,\s]+", text.strip().lower()):
        if part in ("", "none"):
            continue
        ends = part.split("-")
        if len(ends) > 2 or not all(end in WEEKDAYS or end in DAY_NAMES for end in ends):
            raise UserError(
                f"`{escape_mrkdwn(part[:20])}` isn't a day or a range of days (mon, tue, wed, "
                f"thu, fri, sat, sun). Example: `{DAYS_EXAMPLE}`"
            )
        first, last = WEEKDAYS.index(ends[0][:3]), WEEKDAYS.index(ends[-1][:3])
        days.update((first + step) % 7 for step in range((last - first) % 7 + 1))
    if not days:
        raise UserError(
            f"That leaves no working day at all: name at least one. Example: `{DAYS_EXAMPLE}`"
        )
    return frozenset(days)


def _first(
    moment: datetime, until: datetime, group: list[Person], *, every: bool
) -> datetime | None:
    """The first quarter hour after `moment`, up to `until`, inside everyone's (`every`)
    or anyone's hours in `group`."""
    test = all if every else any
    at = moment.astimezone(UTC)
    at = at.replace(minute=at.minute - at.minute % 15, second=0, microsecond=0) + STEP
    while at <= until:
        if test(p.open_at(at) for p in group):
            return at
        at += STEP
    return None


def deliver_at(now: datetime, people: Sequence[Person]) -> datetime | None:
    """When a message that pings `people` may be delivered: `now` when it is inside
    everyone's hours; else the first moment inside everyone's within a day of the first
    moment inside anyone's (`now`, if someone is in); else that first moment. The day is
    counted from the first opening, not from `now`, so a group held over a weekend or a
    night gets its common time, not 03:00 for one of them. None when nobody's hours open
    within `HORIZON` (then nothing is gained by waiting)."""
    group = list(people)
    if not group or all(p.open_at(now) for p in group):
        return now
    if any(p.open_at(now) for p in group):
        start: datetime | None = now
        together = _first(now, now + TOGETHER, group, every=True)
    else:
        start = _first(now, now + HORIZON, group, every=False)
        if start is None:
            return None
        # `start` is on a quarter hour: the search from a step before tests it first.
        together = _first(start - STEP, start + TOGETHER, group, every=True)
    return together if together is not None else start


@dataclass(frozen=True, slots=True)
class Send:
    pass


@dataclass(frozen=True, slots=True)
class Hold:
    until: datetime


@dataclass(frozen=True, slots=True)
class Drop:
    reason: str


Decision = Send | Hold | Drop


def plan(
    now: datetime,
    people: Sequence[Person],
    *,
    pointless_after: datetime | None = None,
    held_until: datetime | None = None,
) -> Decision:
    """What to do with a message that pings `people` now. `held_until`: the moment it
    already waited for their hours until; claimed at that moment (within `GRACE`) it goes
    without deciding again. Claimed later (the bot was down all night) the moment is gone
    and the rule decides again, so it never goes out at 02:00 their time. `pointless_after`:
    the moment it stops mattering (a reminder's event starts); a message that would only
    arrive then is dropped."""
    on_time = held_until is not None and held_until <= now <= held_until + GRACE
    when = now if on_time else (deliver_at(now, people) or now)
    if pointless_after is not None and when >= pointless_after:
        return Drop(
            f"quiet hours: dropped, it could only arrive at {when:%Y-%m-%d %H:%M} UTC, "
            f"once the event had started ({pointless_after:%Y-%m-%d %H:%M} UTC)"
        )
    if when > now:
        return Hold(when)
    return Send()


def hours_of(start: int, end: int, days_bits: int, *, chosen: bool) -> Hours:
    """A member's working week from their coffee preferences: what they chose, else the
    default (activities/working_week.py), which the matcher reads too."""
    if not chosen:
        return Hours()
    return Hours(start, end, days_from_bits(days_bits))


async def people_of(
    session: AsyncSession, *, team_id: str, user_ids: Sequence[str]
) -> list[Person]:
    """Each person's zone (from their Slack profile, as last read) and hours; someone the
    bot never read a profile of counts as UTC."""
    known = await member_store.get_members(session, team_id=team_id, user_ids=user_ids)
    prefs = await coffee_store.preferences(session, team_id=team_id, user_ids=user_ids)
    people = []
    for user_id in user_ids:
        member = known.get(user_id)
        pref = prefs.get(user_id)
        hours = Hours()
        if pref is not None:
            hours = hours_of(
                pref.work_start, pref.work_end, pref.work_days, chosen=pref.hours_chosen
            )
        people.append(Person(member.timezone if member and member.timezone else "UTC", hours))
    return people
