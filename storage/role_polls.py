"""Queries for polls among a role's volunteers (the poll itself is the poll kind's row)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.kinds.poll.models import Poll
from storage.models import RolePoll
from storage.rows import row_where
from storage.savepoint import add_unique


async def add(session: AsyncSession, *, row: RolePoll) -> bool:
    """Insert `row`; False when the call has an open poll already (the unique key decides)."""
    return await add_unique(session, row)


async def live_for_call(session: AsyncSession, *, call_id: int) -> RolePoll | None:
    live = (col(RolePoll.call_id) == call_id, col(RolePoll.live) == 1)
    return await row_where(session, model=RolePoll, where=live)


async def get(session: AsyncSession, *, role_poll_id: int) -> RolePoll | None:
    return await session.get(RolePoll, role_poll_id)


async def to_settle(session: AsyncSession, *, limit: int = 50) -> list[tuple[RolePoll, Poll]]:
    """Open role polls whose poll has closed or was deleted (any workspace)."""
    result = await session.exec(
        select(RolePoll, Poll)
        .join(Poll, col(Poll.id) == col(RolePoll.poll_id))
        .where(
            col(RolePoll.live) == 1,
            col(Poll.closed_at).is_not(None) | col(Poll.deleted_at).is_not(None),
        )
        .limit(limit)
    )
    return list(result.all())


async def claim_settle(session: AsyncSession, *, role_poll_id: int, now: datetime) -> bool:
    """Close a role poll once: True for the one process that does it."""
    result = await session.exec(
        update(RolePoll)
        .where(col(RolePoll.id) == role_poll_id, col(RolePoll.live) == 1)
        .values(live=None, settled_at=now)
    )
    return int(result.rowcount) == 1
