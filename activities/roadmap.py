"""The roadmap: the next quarter of the community calendar, as one message the bot keeps
up to date in each channel it was posted to.

Where: `/community roadmap #channel` posts one; a second one in another channel keeps
both (each channel's own message is redrawn), and asking again in the same channel
redraws the one already there rather than posting a copy. What: the same timeline as
`/community calendar`, from now to 13 weeks ahead, by month (cut in the poster's time
zone; each time shows in the reader's own). A public channel's roadmap never lists a
private channel's entries; a private channel's roadmap adds its own entries only.

When it is redrawn: the view is a plain value (`plan`); its digest is stored with the
message, and the periodic check (`redraw_changed`) asks for a redraw only when the
digest differs — after an activity was created, edited, paused, resumed or cancelled,
an event was scheduled, or an occurrence passed.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from activities import calendar, intents
from activities.actor import Actor
from activities.intents import Intent, IntentType
from activities.kind import Directory, KindCatalog
from activities.timeline import TimelineEntry, Window
from storage import roadmaps as store
from storage.roadmaps import Roadmap
from storage.rows import add_row

log = logging.getLogger(__name__)

QUARTER = timedelta(weeks=13)
ROADMAP_POST = IntentType("roadmap.post")
ROADMAP_UPDATE = IntentType("roadmap.update", refreshable=True)
ROADMAP_INTENTS = (ROADMAP_POST, ROADMAP_UPDATE)


@dataclass(frozen=True, slots=True)
class Line:
    start: str  # ISO 8601, UTC
    title: str
    channel_id: str
    status: str
    message: tuple[str, str] | None = None


@dataclass(frozen=True, slots=True)
class Month:
    label: str  # "December 2026"
    lines: tuple[Line, ...]


def plan(entries: Sequence[TimelineEntry], *, zone: str) -> tuple[Month, ...]:
    """The roadmap's content: entries by month in `zone`, in order; a plain value."""
    months: dict[str, list[Line]] = {}
    here = ZoneInfo(zone)
    for e in sorted(entries, key=lambda e: (e.start, e.uid)):
        label = e.start.astimezone(here).strftime("%B %Y")
        months.setdefault(label, []).append(
            Line(e.start.isoformat(), e.title, e.channel_id, e.status, e.message)
        )
    return tuple(Month(label, tuple(lines)) for label, lines in months.items())


def to_payload(months: Sequence[Month]) -> list[dict[str, Any]]:
    return [asdict(m) for m in months]


def from_payload(raw: Sequence[dict[str, Any]]) -> tuple[Month, ...]:
    def line(item: dict[str, Any]) -> Line:
        message = item.get("message")
        return Line(
            str(item["start"]),
            str(item["title"]),
            str(item["channel_id"]),
            str(item["status"]),
            (str(message[0]), str(message[1])) if message else None,
        )

    return tuple(Month(str(m["label"]), tuple(line(i) for i in m["lines"])) for m in raw)


def digest(months: Sequence[Month]) -> str:
    """Changes exactly when what the message shows changes."""
    text = json.dumps(to_payload(months), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def post_intent(roadmap: Roadmap, months: Sequence[Month]) -> Intent:
    return ROADMAP_POST(f"roadmap:{roadmap.id}", roadmap_id=roadmap.id, months=to_payload(months))


def update_intent(roadmap: Roadmap, months: Sequence[Month]) -> Intent:
    return ROADMAP_UPDATE(
        f"roadmap:{roadmap.id}:update", roadmap_id=roadmap.id, months=to_payload(months)
    )


async def view(
    session: AsyncSession,
    *,
    catalog: KindCatalog,
    directory: Directory,
    roadmap: Roadmap,
    now: datetime,
) -> tuple[Month, ...]:
    """What the roadmap in `roadmap.channel_id` shows now."""
    found = await calendar.entries(
        session,
        catalog=catalog,
        team_id=roadmap.team_id,
        window=Window(now, now + QUARTER),
        now=now,
    )
    shown = await calendar.public_only(
        found, directory=directory, team_id=roadmap.team_id, also=roadmap.channel_id
    )
    return plan(shown, zone=roadmap.timezone)


async def post(
    session: AsyncSession,
    *,
    catalog: KindCatalog,
    directory: Directory,
    actor: Actor,
    channel_id: str,
    timezone: str,
) -> bool:
    """Post the roadmap to the channel (`actor` asked), or redraw the one already there.
    True when new."""
    team_id, now = actor.team_id, actor.now
    roadmap = await store.get(session, team_id=team_id, channel_id=channel_id)
    created = roadmap is None
    if roadmap is None:
        wanted = Roadmap(
            team_id=team_id,
            channel_id=channel_id,
            timezone=timezone,
            posted_by=actor.user_id,
            created_at=now,
        )
        roadmap = await add_row(session, row=wanted)
    months = await view(session, catalog=catalog, directory=directory, roadmap=roadmap, now=now)
    assert roadmap.id is not None
    intent = post_intent(roadmap, months) if created else update_intent(roadmap, months)
    await intents.say(session, team_id=team_id, intent=intent, now=now)
    await store.set_checked(
        session,
        roadmap_id=roadmap.id,
        recheck_at=recheck_at(months, now),
        stamp=await store.change_stamp(session, team_id=team_id),
        digest=digest(months),
    )
    log.info(
        "roadmap posted" if created else "roadmap redrawn on request",
        extra={"team_id": team_id, "channel_id": channel_id, "roadmap_id": roadmap.id},
    )
    return created


# Entries also enter at the far end of the quarter as days pass: look at least this often.
RECHECK_AT_LEAST = timedelta(hours=1)


def recheck_at(months: Sequence[Month], now: datetime) -> datetime:
    """When the view changes by itself: its first entry passes (or an hour from now)."""
    later = now + RECHECK_AT_LEAST
    if months and months[0].lines:
        first = datetime.fromisoformat(months[0].lines[0].start)
        # Just after its start: at its start it is still in the window.
        return min(later, max(first + timedelta(seconds=1), now))
    return later


async def redraw_changed(
    session: AsyncSession,
    *,
    catalog: KindCatalog,
    directory: Directory,
    now: datetime,
) -> int:
    """Ask for a redraw of every roadmap whose content changed; returns how many.

    Cheap when nothing happened: the view is computed again only when the workspace's
    activities or events changed (a stamp query) or an entry passed (`recheck_at`)."""
    redrawn = 0
    for roadmap in await store.all_of(session):
        assert roadmap.id is not None
        stamp = await store.change_stamp(session, team_id=roadmap.team_id)
        due = roadmap.recheck_at is None or roadmap.recheck_at <= now
        if stamp == roadmap.stamp and not due:
            continue
        months = await view(session, catalog=catalog, directory=directory, roadmap=roadmap, now=now)
        new, old = digest(months), roadmap.digest
        await store.set_checked(
            session,
            roadmap_id=roadmap.id,
            recheck_at=recheck_at(months, now),
            stamp=stamp,
            digest=new,
        )
        if new == old:
            continue
        await intents.say(
            session, team_id=roadmap.team_id, intent=update_intent(roadmap, months), now=now
        )
        redrawn += 1
        log.info(
            "roadmap changed; redrawing",
            extra={"team_id": roadmap.team_id, "roadmap_id": roadmap.id},
        )
    return redrawn
