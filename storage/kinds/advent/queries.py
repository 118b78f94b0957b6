"""Every advent query (keyword-only, the caller's session)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.kinds.advent.models import AdventDay, AdventEntry, EntryStatus
from storage.rows import Pile, count_rows, in_status, row_where, rows_by_key, rows_where, team_row
from storage.savepoint import add_unique

KIND = "advent"


async def add_entries(session: AsyncSession, *, entries: Sequence[AdventEntry]) -> None:
    """Queue entries after those already there (approved ones get the next positions)."""
    if not entries:
        return
    top = await session.exec(
        select(func.max(AdventEntry.position)).where(
            AdventEntry.activity_id == entries[0].activity_id
        )
    )
    position = int(top.first() or 0)
    for entry in entries:
        position += 1
        entry.position = position
        session.add(entry)
    await session.flush()


async def get_entry(session: AsyncSession, *, team_id: str, entry_id: int) -> AdventEntry | None:
    return await team_row(session, model=AdventEntry, team_id=team_id, row_id=entry_id)


async def entries_by_id(
    session: AsyncSession, *, activity_id: int, ids: Sequence[int]
) -> dict[int, AdventEntry]:
    return await rows_by_key(
        session,
        model=AdventEntry,
        key=AdventEntry.id,
        keys=ids,
        where=(AdventEntry.activity_id == activity_id,),
    )


async def approved_queue(session: AsyncSession, *, activity_id: int) -> list[AdventEntry]:
    """Approved entries no posted day holds yet, in queue order."""
    used = select(AdventDay.entry_id).where(
        AdventDay.activity_id == activity_id, col(AdventDay.entry_id).is_not(None)
    )
    return await rows_where(
        session,
        model=AdventEntry,
        where=(
            *in_status(AdventEntry, activity_id, EntryStatus.APPROVED),
            col(AdventEntry.id).not_in(used),
        ),
        order_by=(col(AdventEntry.position), col(AdventEntry.id)),
    )


# Contributed tips no organiser has approved or returned yet, in every run.
WAITING = Pile(AdventEntry, status=EntryStatus.PENDING)


async def count_pending(session: AsyncSession, *, activity_id: int, author_id: str) -> int:
    return await count_rows(
        session,
        table=AdventEntry,
        where=(
            *in_status(AdventEntry, activity_id, EntryStatus.PENDING),
            AdventEntry.author_id == author_id,
        ),
    )


async def handled_days(session: AsyncSession, *, activity_id: int) -> list[AdventDay]:
    of_run = (AdventDay.activity_id == activity_id,)
    return await rows_where(session, model=AdventDay, where=of_run, order_by=(col(AdventDay.day),))


async def claim_day(session: AsyncSession, *, day: AdventDay) -> bool:
    """Mark a day handled; False when another tick or process already did."""
    return await add_unique(session, day)


async def last_posted_before(
    session: AsyncSession, *, activity_id: int, day: date
) -> AdventDay | None:
    return await row_where(
        session,
        model=AdventDay,
        where=(
            AdventDay.activity_id == activity_id,
            AdventDay.day < day,
            col(AdventDay.entry_id).is_not(None),
        ),
        order_by=(col(AdventDay.day).desc(),),
    )
