"""Use-cases of the community calendar: whose entries, over which period.

The community's view never shows a private channel's entries (the feed is shared
by URL); a person's own feed holds their coffee rounds (and, once the shared RSVP
model lands, what they answered "going" to: filter on `TimelineEntry.rsvp_key`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from activities.errors import UserError
from activities.kind import Directory, KindCatalog
from activities.timeline import TimelineEntry, TimelineRequest, Window, ordered, schedule_only
from storage import activities as activity_store
from storage import calendar as tokens
from storage.models import ActivityState

MAX_WEEKS = 12
DEFAULT_WEEKS = 4
PERSONAL_KINDS = ("coffee", "breakfast")
WEEKS_EXAMPLE = "`/community calendar 6`"


def parse_weeks(args: list[str]) -> int:
    if not args:
        return DEFAULT_WEEKS
    raw = args[0]
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_WEEKS:
        raise UserError(
            f"The calendar shows 1 to {MAX_WEEKS} weeks ahead (default {DEFAULT_WEEKS}). "
            f"Example: {WEEKS_EXAMPLE}"
        )
    return int(raw)


async def entries(
    session: AsyncSession,
    *,
    catalog: KindCatalog,
    team_id: str,
    window: Window,
    now: datetime,
) -> list[TimelineEntry]:
    """Everything dated in the workspace inside the window, in order."""
    found: list[TimelineEntry] = []
    states = (ActivityState.ACTIVE, ActivityState.PAUSED, ActivityState.CANCELLED)
    for activity in await activity_store.list_activities(session, team_id=team_id, states=states):
        kind = catalog.get(activity.kind)
        if kind is None:
            continue
        source = kind.timeline or schedule_only
        request = TimelineRequest(session, activity, window, now)
        found.extend(e for e in await source(request) if e.start in window)
    found.extend(await rsvp_entries(session, team_id=team_id, window=window))
    return ordered(found)


async def rsvp_entries(
    session: AsyncSession, *, team_id: str, window: Window
) -> list[TimelineEntry]:
    """The events of the shared RSVP model (talks, book-club meetings…), named by their
    stable event key. A cancelled one is kept, cancelled, with a higher SEQUENCE."""
    events = await tokens.rsvp_events(session, team_id=team_id, start=window.start, end=window.end)
    return [
        TimelineEntry(
            uid=f"rsvp-{event.event_key.replace(':', '-')}@convene",
            activity_id=0,
            kind=event.event_key.split(":", 1)[0],
            title=event.title,
            channel_id=event.channel_id,
            start=event.starts_at,
            timezone="UTC",
            last_modified=event.cancelled_at or event.created_at,
            sequence=1 if event.cancelled_at else 0,
            status="cancelled" if event.cancelled_at else "confirmed",
            rsvp_key=event.event_key,
        )
        for event in events
    ]


async def public_only(
    found: list[TimelineEntry], *, directory: Directory, team_id: str, also: str = ""
) -> list[TimelineEntry]:
    """Drop every entry of a channel that isn't public (or that the bot can't see), but
    those of channel `also` (where the list is posted: its members see its entries)."""
    access: dict[str, bool] = {}
    for channel_id in dict.fromkeys(e.channel_id for e in found):
        access[channel_id] = channel_id == also or (
            await directory.channel_access(team_id, channel_id, "") == "public"
        )
    return [e for e in found if access[e.channel_id]]


@dataclass(frozen=True, slots=True)
class Calendars:
    """The community's calendar and each person's, read with what both need: the kinds
    (whose entries) and the directory (which channels are public, who is in which)."""

    catalog: KindCatalog
    directory: Directory

    async def community(
        self, session: AsyncSession, *, team_id: str, window: Window, now: datetime
    ) -> list[TimelineEntry]:
        found = await entries(
            session, catalog=self.catalog, team_id=team_id, window=window, now=now
        )
        return await public_only(found, directory=self.directory, team_id=team_id)

    async def personal(
        self, session: AsyncSession, *, team_id: str, user_id: str, window: Window, now: datetime
    ) -> list[TimelineEntry]:
        """A person's coffee rounds (those they were matched in, and the coming ones of
        channels they are in) and the events they answered "going" to."""
        found = await entries(
            session, catalog=self.catalog, team_id=team_id, window=window, now=now
        )
        going = await tokens.going_keys(session, team_id=team_id, user_id=user_id)
        members: dict[str, bool] = {}
        mine: list[TimelineEntry] = []
        for e in found:
            if e.rsvp_key is not None and e.rsvp_key in going:
                mine.append(e)
                continue
            if e.kind not in PERSONAL_KINDS:
                continue
            if e.people is not None:
                if user_id in e.people:
                    mine.append(e)
                continue
            if e.channel_id not in members:
                people = await self.directory.channel_members(team_id, e.channel_id)
                members[e.channel_id] = user_id in people
            if members[e.channel_id]:
                mine.append(e)
        return mine
