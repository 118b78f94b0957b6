"""Quiet hours: what pings a person directly waits for their working hours.

A DM, group DM, check-in or reminder recorded outside 08:00–19:00 on a working day
(Monday to Friday) in the person's own time zone is held (`not_before` on the
outbox row) until the next moment that is inside everyone's hours; channel posts
keep their schedule. Someone who set their own hours with `/coffee hours` gets those.
A reminder that would be pointless by then (its event has started) is dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from activities import intents
from activities.intents import Intent
from storage import members as member_store
from storage.kinds.coffee import queries as coffee_store

STEP = timedelta(minutes=15)
HORIZON = timedelta(days=14)
# What `/coffee hours` stores for someone who never set them: then the quiet-hours default.
COFFEE_DEFAULT = (9, 17)


@dataclass(frozen=True, slots=True)
class Hours:
    """Local whole hours; `end` before `start` wraps past midnight (a night shift)."""

    start: int = 8
    end: int = 19
    days: frozenset[int] = frozenset(range(5))  # Monday=0 … Friday=4

    def allows(self, local: datetime) -> bool:
        if self.start == self.end:
            return False
        if self.start < self.end:
            return local.weekday() in self.days and self.start <= local.hour < self.end
        if local.hour >= self.start:
            return local.weekday() in self.days
        # The early part of a night shift belongs to the working day it started on.
        return local.hour < self.end and (local.weekday() - 1) % 7 in self.days


@dataclass(frozen=True, slots=True)
class Person:
    timezone: str
    hours: Hours = Hours()


def next_open(moment: datetime, people: Sequence[Person]) -> datetime | None:
    """The first moment from `moment` inside everyone's hours (on a quarter hour after
    `moment`), or None when there is none within two weeks."""
    zones = [(ZoneInfo(p.timezone), p.hours) for p in people]

    def fits(at: datetime) -> bool:
        return all(hours.allows(at.astimezone(zone)) for zone, hours in zones)

    if fits(moment):
        return moment
    at = moment.astimezone(UTC)
    at = at.replace(minute=at.minute - at.minute % 15, second=0, microsecond=0) + STEP
    while at - moment <= HORIZON:
        if fits(at):
            return at
        at += STEP
    return None


async def people_of(
    session: AsyncSession, *, team_id: str, user_ids: Sequence[str]
) -> list[Person]:
    """Each person's zone (from their Slack profile, as last read) and hours."""
    known = await member_store.get_members(session, team_id=team_id, user_ids=user_ids)
    prefs = await coffee_store.preferences(session, team_id=team_id, user_ids=user_ids)
    people = []
    for user_id in user_ids:
        member = known.get(user_id)
        pref = prefs.get(user_id)
        hours = Hours()
        if pref is not None and (pref.work_start, pref.work_end) != COFFEE_DEFAULT:
            hours = Hours(pref.work_start, pref.work_end)
        people.append(Person(member.timezone if member else "UTC", hours))
    return people


async def say_to_people(
    session: AsyncSession,
    *,
    team_id: str,
    intent: Intent,
    user_ids: Sequence[str],
    now: datetime,
    pointless_after: datetime | None = None,
    hold_at_most_until: datetime | None = None,
) -> bool:
    """Record an intent that pings `user_ids`, held for their working hours. Returns
    False (and records nothing) when it would only arrive once it no longer matters
    (`pointless_after`: a reminder of an event that will have started). Hours that never
    meet (two weeks without a common moment), or that only meet after
    `hold_at_most_until`, don't hold it: it goes now."""
    people = await people_of(session, team_id=team_id, user_ids=user_ids)
    when = next_open(now, people) or now
    if hold_at_most_until is not None and when >= hold_at_most_until:
        when = now
    if pointless_after is not None and when >= pointless_after:
        return False
    not_before = when if when > now else None
    await intents.say(session, team_id=team_id, intent=intent, now=now, not_before=not_before)
    return True
