"""Replay protection: one processed row per event `event_id`, and per request `trigger_id`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import ProcessedEvent, ProcessedTrigger
from storage.savepoint import add_unique


async def mark_processed(
    session: AsyncSession, *, event_id: str, team_id: str, now: datetime
) -> bool:
    """True the first time an event id is seen; False for every redelivery."""
    return await add_unique(
        session, ProcessedEvent(event_id=event_id, team_id=team_id, received_at=now)
    )


async def mark_trigger_seen(
    session: AsyncSession, *, trigger_id: str, team_id: str, now: datetime
) -> bool:
    """True the first time a slash command's or interaction's `trigger_id` is seen.

    Slack gives every command and click its own trigger id, so a second request with
    the same one is a replay (a copied signed request), answered once only.
    """
    return await add_unique(
        session, ProcessedTrigger(trigger_id=trigger_id, team_id=team_id, received_at=now)
    )


async def forget_before(session: AsyncSession, *, cutoff: datetime) -> int:
    """Drop ids older than Slack's retry window (minutes): the tables must not grow forever.

    A replayed request older than the cutoff is refused anyway: its signed timestamp is
    older than the five minutes the signature check allows.
    """
    removed = 0
    for model in (ProcessedEvent, ProcessedTrigger):
        table = model.__table__  # type: ignore[union-attr]
        result = await session.exec(delete(table).where(table.c.received_at < cutoff))
        removed += int(result.rowcount)
    return removed
