"""Role-term queries."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ColumnElement
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.actor import Actor
from storage.models import RoleTerm
from storage.rows import add_row, row_where, rows_where

Terms = RoleTerm.__table__  # type: ignore[attr-defined]


def in_term(today: date) -> tuple[ColumnElement[bool], ...]:
    """Terms (any workspace) under way on `today`: started, not over, not ended early."""
    return (Terms.c.ended_at.is_(None), Terms.c.starts_on <= today, Terms.c.ends_on >= today)


def current_where(team_id: str, today: date) -> tuple[ColumnElement[bool], ...]:
    """A workspace's terms under way on `today`."""
    return (Terms.c.team_id == team_id, *in_term(today))


async def current_terms(session: AsyncSession, *, team_id: str, today: date) -> list[RoleTerm]:
    soonest_end = (Terms.c.ends_on, Terms.c.id)
    return await rows_where(
        session, model=RoleTerm, where=current_where(team_id, today), order_by=soonest_end
    )


async def current_term_for(
    session: AsyncSession, *, team_id: str, user_id: str, role: str, today: date
) -> RoleTerm | None:
    theirs = (
        *current_where(team_id, today),
        Terms.c.user_id == user_id,
        Terms.c.role == role,
    )
    return await row_where(
        session, model=RoleTerm, where=theirs, order_by=(Terms.c.ends_on.desc(),)
    )


async def current_roles_of(
    session: AsyncSession, *, team_id: str, user_id: str, today: date
) -> set[str]:
    """The roles (keys) the person holds a current term of."""
    result = await session.exec(
        select(Terms.c.role).where(*current_where(team_id, today), Terms.c.user_id == user_id)
    )
    return {str(role) for role in result.all()}


async def last_term_for(
    session: AsyncSession, *, team_id: str, user_id: str, role: str
) -> RoleTerm | None:
    """The person's latest term of `role`, current or not (to say when it ended)."""
    theirs = (Terms.c.team_id == team_id, Terms.c.user_id == user_id, Terms.c.role == role)
    return await row_where(
        session, model=RoleTerm, where=theirs, order_by=(Terms.c.ends_on.desc(),)
    )


async def add_term(
    session: AsyncSession,
    actor: Actor,
    *,
    user_id: str,
    role: str,
    starts_on: date,
    ends_on: date,
    channel_id: str,
) -> RoleTerm:
    """`user_id`'s term of `role` from `starts_on` to `ends_on`, assigned by `actor` (who
    and when are stamped from it; the dates are the use-case's to decide)."""
    term = RoleTerm(
        channel_id=channel_id,
        team_id=actor.team_id,
        user_id=user_id,
        role=role,
        starts_on=starts_on,
        ends_on=ends_on,
        assigned_by=actor.user_id,
        created_at=actor.now,
    )
    return await add_row(session, row=term)


async def end_term(session: AsyncSession, actor: Actor, *, term: RoleTerm) -> None:
    term.ended_at = actor.now
    term.ended_by = actor.user_id
    session.add(term)
    await session.flush()


async def terms_ending_by(session: AsyncSession, *, today: date, horizon: date) -> list[RoleTerm]:
    """Current terms (any workspace) that end on or before `horizon` and were not yet reminded."""
    ending = (
        Terms.c.ended_at.is_(None),
        Terms.c.reminded_at.is_(None),
        Terms.c.ends_on >= today,
        Terms.c.ends_on <= horizon,
    )
    return await rows_where(session, model=RoleTerm, where=ending)


async def mark_reminded(session: AsyncSession, *, term: RoleTerm, now: datetime) -> None:
    term.reminded_at = now
    session.add(term)
    await session.flush()


async def get_term(session: AsyncSession, *, term_id: int) -> RoleTerm | None:
    return await session.get(RoleTerm, term_id)
