"""A member's own rows across activities, for `/community me`: always one person's."""

from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.kinds.talks.models import Talk
from storage.models import Rsvp, RsvpEvent
from storage.rows import count_rows


async def rsvps_of(
    session: AsyncSession, *, team_id: str, user_id: str, limit: int
) -> tuple[int, list[tuple[RsvpEvent, str]]]:
    """How many events `user_id` answered, and their latest `limit` answers (the most
    recently given first)."""
    mine = (Rsvp.team_id == team_id, Rsvp.user_id == user_id)
    count = await count_rows(session, table=Rsvp, where=mine)
    latest = await session.exec(
        select(Rsvp).where(*mine).order_by(col(Rsvp.updated_at).desc()).limit(limit)
    )
    answers = list(latest.all())
    found = await session.exec(
        select(RsvpEvent).where(
            RsvpEvent.team_id == team_id,
            col(RsvpEvent.event_key).in_([a.event_key for a in answers]),
        )
    )
    events = {event.event_key: event for event in found.all()}
    return count, [(events[a.event_key], a.answer) for a in answers if a.event_key in events]


async def talks_of(
    session: AsyncSession, *, team_id: str, user_id: str, limit: int
) -> tuple[int, list[Talk]]:
    """How many talks `user_id` proposed or gave, and the latest `limit`."""
    mine = (Talk.team_id == team_id, Talk.speaker_id == user_id)
    count = await count_rows(session, table=Talk, where=mine)
    rows = await session.exec(
        select(Talk).where(*mine).order_by(col(Talk.created_at).desc()).limit(limit)
    )
    return count, list(rows.all())
