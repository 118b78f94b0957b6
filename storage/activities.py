"""Activity and run queries: the scheduling backbone."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.due import earliest_after
from storage.models import Activity, ActivityState, Run, in_activity
from storage.rows import add_row, fetch_all, row_where, rows_where
from storage.savepoint import add_unique

ActivityTable = Activity.__table__  # type: ignore[attr-defined]
RunTable = Run.__table__  # type: ignore[attr-defined]

# Every state but cancelled: what a kind's commands still find by channel or as the only one.
NOT_CANCELLED = (ActivityState.ACTIVE, ActivityState.PAUSED, ActivityState.FINISHED)


async def get_activity(session: AsyncSession, *, team_id: str, activity_id: int) -> Activity | None:
    same_team = (ActivityTable.c.team_id == team_id, ActivityTable.c.id == activity_id)
    return await row_where(session, model=Activity, where=same_team)


async def list_activities(
    session: AsyncSession,
    *,
    team_id: str | None,
    states: Sequence[str] | None = (ActivityState.ACTIVE, ActivityState.PAUSED),
    kinds: Sequence[str] | None = None,
) -> list[Activity]:
    """Activities oldest first: of one workspace (`team_id=None`: of all), in these states
    (None: any) and of these kinds (None: any)."""
    stmt = select(Activity).order_by(ActivityTable.c.id)
    if team_id is not None:
        stmt = stmt.where(ActivityTable.c.team_id == team_id)
    if states is not None:
        stmt = stmt.where(ActivityTable.c.state.in_(states))
    if kinds is not None:
        stmt = stmt.where(ActivityTable.c.kind.in_(kinds))
    return await fetch_all(session, statement=stmt)


async def update_activity(
    session: AsyncSession, *, activity: Activity, now: datetime, **changes: Any
) -> Activity:
    for key, value in changes.items():
        setattr(activity, key, value)
    activity.updated_at = now
    return await add_row(session, row=activity)


async def due_activities(session: AsyncSession, *, now: datetime, limit: int) -> list[Activity]:
    return await rows_where(
        session,
        model=Activity,
        where=(
            ActivityTable.c.state == ActivityState.ACTIVE,
            ActivityTable.c.next_run_at.is_not(None),
            ActivityTable.c.next_run_at <= now,
        ),
        order_by=(ActivityTable.c.next_run_at,),
        limit=limit,
    )


@dataclass(frozen=True, slots=True)
class Slot:
    """One occurrence of an activity: when it was due, the one after it (None: the last),
    and how it runs (late: after downtime; manual: asked for now by an organiser)."""

    scheduled_for: datetime
    following: datetime | None
    late: bool
    manual: bool


async def claim_slot(
    session: AsyncSession, *, activity: Activity, slot: Slot, now: datetime
) -> Run | None:
    """Take `slot` for this process, or None if someone else did.

    Two guards, both in the database: a compare-and-set moving `next_run_at` on
    from the value this process read, and the unique (activity, scheduled time)
    run row.
    """
    assert activity.id is not None
    read_value = ActivityTable.c.next_run_at
    unchanged = (
        read_value.is_(None) if activity.next_run_at is None else read_value == activity.next_run_at
    )
    cas = await session.exec(
        update(ActivityTable)
        .where(ActivityTable.c.id == activity.id, unchanged)
        .values(next_run_at=slot.following, updated_at=now)
    )
    if cas.rowcount != 1:
        return None
    run = Run(
        **in_activity(activity),
        scheduled_for=slot.scheduled_for,
        started_at=now,
        late=slot.late,
        manual=slot.manual,
    )
    if not await add_unique(session, run):
        return None
    await session.refresh(activity)
    return run


async def list_runs(session: AsyncSession, *, activity_id: int) -> list[Run]:
    of_activity = (RunTable.c.activity_id == activity_id,)
    return await rows_where(session, model=Run, where=of_activity, order_by=(RunTable.c.id,))


async def get_run(session: AsyncSession, *, run_id: int) -> Run | None:
    return await session.get(Run, run_id)


async def next_slot_after(session: AsyncSession, *, now: datetime) -> datetime | None:
    """The earliest next slot of the active activities, later than `now`."""
    return await earliest_after(
        session,
        column=Activity.next_run_at,
        where=(col(Activity.state) == ActivityState.ACTIVE,),
        after=now,
    )
