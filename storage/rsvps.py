"""RSVP queries: events, answers (one per person and event), counts, who is going."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Rsvp, RsvpEvent
from storage.outbox import Intent
from storage.rows import fetch_all, row_where
from storage.upsert import insert


async def open_event(
    session: AsyncSession,
    *,
    team_id: str,
    event_key: str,
    title: str,
    channel_id: str,
    starts_at: datetime,
    message: Intent | None,
    now: datetime,
) -> None:
    """Create the event, or move it (a new start, no longer cancelled) if it exists.

    `message` is the refreshable intent that shows its counts (None: it has no message).
    """
    values = {
        "team_id": team_id,
        "event_key": event_key,
        "title": title,
        "channel_id": channel_id,
        "starts_at": starts_at,
        "cancelled_at": None,
        "message_intent": message.kind if message else "",
        "message_key": message.dedupe_key if message else "",
        "message_payload": dict(message.payload) if message else {},
        "created_at": now,
    }
    stmt = insert(session, RsvpEvent).values(**values)
    await session.exec(
        stmt.on_conflict_do_update(
            index_elements=["team_id", "event_key"],
            set_={"title": title, "starts_at": starts_at, "cancelled_at": None},
        )
    )


async def get_event(session: AsyncSession, *, team_id: str, event_key: str) -> RsvpEvent | None:
    the_event = (RsvpEvent.team_id == team_id, RsvpEvent.event_key == event_key)
    return await row_where(session, model=RsvpEvent, where=the_event)


async def cancel_event(
    session: AsyncSession, *, team_id: str, event_key: str, now: datetime
) -> bool:
    result = await session.exec(
        update(RsvpEvent)
        .where(
            col(RsvpEvent.team_id) == team_id,
            col(RsvpEvent.event_key) == event_key,
            col(RsvpEvent.cancelled_at).is_(None),
        )
        .values(cancelled_at=now)
    )
    return bool(result.rowcount)


async def answer(
    session: AsyncSession, *, team_id: str, event_key: str, user_id: str, answer: str, now: datetime
) -> None:
    """Record or change one person's answer (one row per person and event)."""
    stmt = insert(session, Rsvp).values(
        team_id=team_id, event_key=event_key, user_id=user_id, answer=answer, updated_at=now
    )
    await session.exec(
        stmt.on_conflict_do_update(
            index_elements=["team_id", "event_key", "user_id"],
            set_={"answer": answer, "updated_at": now},
        )
    )


async def counts(session: AsyncSession, *, team_id: str, event_key: str) -> dict[str, int]:
    rows = await session.exec(
        select(Rsvp.answer, func.count())
        .where(Rsvp.team_id == team_id, Rsvp.event_key == event_key)
        .group_by(Rsvp.answer)
    )
    return {str(a): int(n) for a, n in rows.all()}


async def going(session: AsyncSession, *, team_id: str, event_key: str) -> list[str]:
    return await fetch_all(
        session,
        statement=select(Rsvp.user_id)
        .where(Rsvp.team_id == team_id, Rsvp.event_key == event_key, Rsvp.answer == "going")
        .order_by(col(Rsvp.id)),
    )


async def of_user(
    session: AsyncSession, *, team_id: str, user_id: str, after: datetime, limit: int = 10
) -> list[tuple[RsvpEvent, str]]:
    """A person's answers to events that have not started yet, soonest first."""
    rows = await session.exec(
        select(RsvpEvent, Rsvp.answer)
        .join(
            Rsvp,
            (col(Rsvp.team_id) == col(RsvpEvent.team_id))
            & (col(Rsvp.event_key) == col(RsvpEvent.event_key)),
        )
        .where(
            Rsvp.team_id == team_id,
            Rsvp.user_id == user_id,
            col(RsvpEvent.starts_at) > after,
            col(RsvpEvent.cancelled_at).is_(None),
        )
        .order_by(col(RsvpEvent.starts_at))
        .limit(limit)
    )
    return [(event, str(ans)) for event, ans in rows.all()]


async def answers_of(
    session: AsyncSession, *, team_id: str, user_id: str, event_keys: Sequence[str]
) -> dict[str, str]:
    """A person's answers to the named events (the calendar shows them by each line)."""
    if not event_keys:
        return {}
    rows = await session.exec(
        select(Rsvp.event_key, Rsvp.answer).where(
            Rsvp.team_id == team_id,
            Rsvp.user_id == user_id,
            col(Rsvp.event_key).in_(list(event_keys)),
        )
    )
    return {str(k): str(a) for k, a in rows.all()}


async def move_answers(session: AsyncSession, *, team_id: str, old_key: str, new_key: str) -> None:
    """A moved event keeps its answers under its new key (none are there yet)."""
    await session.exec(
        update(Rsvp)
        .where(col(Rsvp.team_id) == team_id, col(Rsvp.event_key) == old_key)
        .values(event_key=new_key)
    )
