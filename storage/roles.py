"""Role-term queries."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import RoleTerm
from storage.rows import add_row, fetch_all, fetch_one

Terms = RoleTerm.__table__  # type: ignore[attr-defined]


def _current(team_id: str, today: date):  # type: ignore[no-untyped-def]
    return (
        (Terms.c.team_id == team_id)
        & Terms.c.ended_at.is_(None)
        & (Terms.c.starts_on <= today)
        & (Terms.c.ends_on >= today)
    )


async def current_terms(session: AsyncSession, *, team_id: str, today: date) -> list[RoleTerm]:
    return await fetch_all(
        session,
        statement=select(RoleTerm)
        .where(_current(team_id, today))
        .order_by(Terms.c.ends_on, Terms.c.id),
    )


async def current_term_for(
    session: AsyncSession, *, team_id: str, user_id: str, role: str, today: date
) -> RoleTerm | None:
    return await fetch_one(
        session,
        statement=select(RoleTerm)
        .where(_current(team_id, today), Terms.c.user_id == user_id, Terms.c.role == role)
        .order_by(Terms.c.ends_on.desc()),
    )


async def current_roles_of(
    session: AsyncSession, *, team_id: str, user_id: str, today: date
) -> set[str]:
    """The roles (keys) the person holds a current term of."""
    result = await session.exec(
        select(Terms.c.role).where(_current(team_id, today), Terms.c.user_id == user_id)
    )
    return {str(role) for role in result.all()}


async def last_term_for(
    session: AsyncSession, *, team_id: str, user_id: str, role: str
) -> RoleTerm | None:
    """The person's latest term of `role`, current or not (to say when it ended)."""
    return await fetch_one(
        session,
        statement=select(RoleTerm)
        .where(Terms.c.team_id == team_id, Terms.c.user_id == user_id, Terms.c.role == role)
        .order_by(Terms.c.ends_on.desc()),
    )


async def add_term(
    session: AsyncSession,
    *,
    team_id: str,
    user_id: str,
    role: str,
    starts_on: date,
    ends_on: date,
    assigned_by: str,
    now: datetime,
    channel_id: str = "",
) -> RoleTerm:
    term = RoleTerm(
        channel_id=channel_id,
        team_id=team_id,
        user_id=user_id,
        role=role,
        starts_on=starts_on,
        ends_on=ends_on,
        assigned_by=assigned_by,
        created_at=now,
    )
    return await add_row(session, row=term)


async def end_term(session: AsyncSession, *, term: RoleTerm, ended_by: str, now: datetime) -> None:
    term.ended_at = now
    term.ended_by = ended_by
    session.add(term)
    await session.flush()


async def terms_ending_by(session: AsyncSession, *, today: date, horizon: date) -> list[RoleTerm]:
    """Current terms (any workspace) that end on or before `horizon` and were not yet reminded."""
    return await fetch_all(
        session,
        statement=select(RoleTerm).where(
            Terms.c.ended_at.is_(None),
            Terms.c.reminded_at.is_(None),
            Terms.c.ends_on >= today,
            Terms.c.ends_on <= horizon,
        ),
    )


async def mark_reminded(session: AsyncSession, *, term: RoleTerm, now: datetime) -> None:
    term.reminded_at = now
    session.add(term)
    await session.flush()


async def get_term(session: AsyncSession, *, term_id: int) -> RoleTerm | None:
    return await session.get(RoleTerm, term_id)
