"""Roadmap messages: one per channel it was posted to, kept up to date by the bot.

The row remembers where the message is (channel, ts once Slack answered) and a digest
of what it last showed, so the periodic check redraws it only when that changed.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import UniqueConstraint, delete, func, update
from sqlmodel import Field, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.due import earliest_after
from storage.models import Activity, RsvpEvent
from storage.rows import row_where
from storage.types import TeamRow, utc_field, utcnow


class Roadmap(TeamRow, table=True):
    __table_args__ = (UniqueConstraint("team_id", "channel_id", name="uq_roadmap_channel"),)
    channel_id: str = Field(max_length=32)
    # Months are cut in this zone (the poster's); each line shows in the reader's own.
    timezone: str = Field(default="UTC", max_length=64)
    ts: str = Field(default="", max_length=32)
    digest: str = Field(default="", max_length=64)
    # What the workspace's activities and events looked like at the last check, and when
    # the view changes by itself (its first entry passes): until then, and while the
    # stamp is the same, the view need not be computed again.
    stamp: str = Field(default="", max_length=120)
    recheck_at: datetime | None = utc_field(default=None)
    posted_by: str = Field(default="", max_length=32)
    created_at: datetime = utc_field(default_factory=utcnow)


async def get(session: AsyncSession, *, team_id: str, channel_id: str) -> Roadmap | None:
    of_channel = (col(Roadmap.team_id) == team_id, col(Roadmap.channel_id) == channel_id)
    return await row_where(session, model=Roadmap, where=of_channel)


async def by_id(session: AsyncSession, *, roadmap_id: int) -> Roadmap | None:
    return await session.get(Roadmap, roadmap_id)


async def all_of(session: AsyncSession, *, team_id: str | None = None) -> list[Roadmap]:
    stmt = select(Roadmap).order_by(col(Roadmap.id))
    if team_id is not None:
        stmt = stmt.where(col(Roadmap.team_id) == team_id)
    return list((await session.exec(stmt)).all())


async def set_checked(
    session: AsyncSession,
    *,
    roadmap_id: int,
    recheck_at: datetime,
    stamp: str,
    digest: str | None = None,
) -> None:
    values: dict[str, object] = {"recheck_at": recheck_at, "stamp": stamp}
    if digest is not None:
        values["digest"] = digest
    await session.exec(update(Roadmap).where(col(Roadmap.id) == roadmap_id).values(**values))


async def change_stamp(session: AsyncSession, *, team_id: str) -> str:
    """Changes whenever an activity is created or changed (edit, pause, resume, cancel)
    or an RSVP event is opened or cancelled in the workspace."""
    # By state too: a pause and a resume in the same second leave max(updated_at) alone.
    acts = await session.exec(
        select(
            col(Activity.state), func.count(col(Activity.id)), func.max(col(Activity.updated_at))
        )
        .where(col(Activity.team_id) == team_id)
        .group_by(col(Activity.state))
        .order_by(col(Activity.state))
    )
    events = await session.exec(
        select(
            func.count(col(RsvpEvent.id)),
            func.max(col(RsvpEvent.cancelled_at)),
            func.max(col(RsvpEvent.starts_at)),
        ).where(col(RsvpEvent.team_id) == team_id)
    )
    values = [v for row in acts.all() for v in row] + list(events.one())
    return hashlib.sha256("|".join(map(str, values)).encode()).hexdigest()


async def set_ts(session: AsyncSession, *, roadmap_id: int, ts: str) -> None:
    await session.exec(update(Roadmap).where(col(Roadmap.id) == roadmap_id).values(ts=ts))


async def remove(session: AsyncSession, *, team_id: str, channel_id: str) -> bool:
    result = await session.exec(
        delete(Roadmap).where(
            col(Roadmap.team_id) == team_id, col(Roadmap.channel_id) == channel_id
        )
    )
    return bool(result.rowcount)


async def next_recheck(session: AsyncSession, *, now: datetime) -> datetime | None:
    """When the first roadmap is next due a look (an entry on it passes)."""
    return await earliest_after(session, column=Roadmap.recheck_at, after=now)
