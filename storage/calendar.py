"""The calendar feeds' secret tokens: one for the community, one per person who asks.

A token is the only thing guarding a feed's URL, so a reset deletes the row: the old
URL then names nothing and answers exactly like a token that never existed.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import UniqueConstraint, delete
from sqlmodel import Field, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models.rsvp import Rsvp, RsvpEvent
from storage.rows import person_of, person_row_made, row_where, rows_where, within
from storage.types import TeamRow, utc_field, utcnow

COMMUNITY = ""  # the user_id of the workspace's own feed


class CalendarToken(TeamRow, table=True):
    __table_args__ = (UniqueConstraint("team_id", "user_id", name="uq_calendartoken_owner"),)
    user_id: str = Field(default=COMMUNITY, max_length=32)
    token: str = Field(max_length=64, unique=True)
    created_at: datetime = utc_field(default_factory=utcnow)


TokenTable = CalendarToken.__table__  # type: ignore[attr-defined]


def new_token() -> str:
    return secrets.token_urlsafe(24)


async def token_for(
    session: AsyncSession, *, team_id: str, user_id: str, now: datetime
) -> CalendarToken:
    """The owner's token, made on first ask (race-safely: see `person_row_made`)."""

    def new() -> CalendarToken:
        return CalendarToken(team_id=team_id, user_id=user_id, token=new_token(), created_at=now)

    return await person_row_made(
        session, model=CalendarToken, team_id=team_id, user_id=user_id, new=new
    )


async def reset(
    session: AsyncSession, *, team_id: str, user_id: str, now: datetime
) -> CalendarToken:
    await session.exec(delete(CalendarToken).where(*person_of(CalendarToken, team_id, user_id)))
    return await token_for(session, team_id=team_id, user_id=user_id, now=now)


async def by_token(session: AsyncSession, *, token: str) -> CalendarToken | None:
    return await row_where(session, model=CalendarToken, where=(TokenTable.c.token == token,))


async def rsvp_events(
    session: AsyncSession, *, team_id: str, start: datetime, end: datetime
) -> list[RsvpEvent]:
    """The shared RSVP model's events starting inside [start, end)."""
    starts = col(RsvpEvent.starts_at)
    starting = (RsvpEvent.team_id == team_id, within(starts, start=start, end=end))
    return await rows_where(session, model=RsvpEvent, where=starting, order_by=(starts,))


async def going_keys(session: AsyncSession, *, team_id: str, user_id: str) -> set[str]:
    result = await session.exec(
        select(Rsvp.event_key).where(
            col(Rsvp.team_id) == team_id, col(Rsvp.user_id) == user_id, col(Rsvp.answer) == "going"
        )
    )
    return set(result.all())
