"""Slack event deduplication: one processed row per `event_id`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import ProcessedEvent
from storage.savepoint import add_unique


async def mark_processed(
    session: AsyncSession, *, event_id: str, team_id: str, now: datetime
) -> bool:
    """True the first time an event id is seen; False for every redelivery."""
    return await add_unique(
        session, ProcessedEvent(event_id=event_id, team_id=team_id, received_at=now)
    )


async def forget_before(session: AsyncSession, *, cutoff: datetime) -> int:
    """Drop ids older than Slack's retry window (minutes): the table must not grow forever."""
    table = ProcessedEvent.__table__  # type: ignore[attr-defined]
    result = await session.exec(delete(table).where(table.c.received_at < cutoff))
    return int(result.rowcount)
