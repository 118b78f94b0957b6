"""A member's own rows across activities, for `/community me`: always one person's."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.kinds.talks.models import Talk
from storage.models import Rsvp, RsvpEvent


async def rsvps_of(
    session: AsyncSession, *, team_id: str, user_id: str, limit: int
) -> tuple[int, list[tuple[RsvpEvent, str]]]:
    """How many events `user_id` answered, and their latest `limit` answers (newest
    event first)."""
    mine = (Rsvp.team_id == team_id, Rsvp.user_id == user_id)
    count = await session.exec(select(func.count()).select_from(Rsvp).where(*mine))
    rows = await session.exec(
        select(RsvpEvent, Rsvp.answer)
        .join(
            Rsvp,
            (col(Rsvp.team_id) == col(RsvpEvent.team_id))
            & (col(Rsvp.event_key) == col(RsvpEvent.event_key)),
        )
        .where(*mine)
        .order_by(col(RsvpEvent.starts_at).desc())
        .limit(limit)
    )
    return int(count.one()), [(event, str(answer)) for event, answer in rows.all()]


async def talks_of(
    session: AsyncSession, *, team_id: str, user_id: str, limit: int
) -> tuple[int, list[Talk]]:
    """How many talks `user_id` proposed or gave, and the latest `limit`."""
    mine = (Talk.team_id == team_id, Talk.speaker_id == user_id)
    count = await session.exec(select(func.count()).select_from(Talk).where(*mine))
    rows = await session.exec(
        select(Talk).where(*mine).order_by(col(Talk.created_at).desc()).limit(limit)
    )
    return int(count.one()), list(rows.all())
