"""Queries of a rehearsal (activities/rehearsal.py): the outbox rows one transaction added."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import OutboxMessage
from storage.rows import rows_where

Outbox = OutboxMessage.__table__  # type: ignore[attr-defined]


async def last_outbox_id(session: AsyncSession) -> int:
    result = await session.exec(select(func.coalesce(func.max(Outbox.c.id), 0)))
    return int(result.one())


async def outbox_after(session: AsyncSession, *, row_id: int) -> list[OutboxMessage]:
    later = (Outbox.c.id > row_id,)
    return await rows_where(session, model=OutboxMessage, where=later, order_by=(Outbox.c.id,))
