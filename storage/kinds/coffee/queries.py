"""Coffee queries: preferences, rounds, groups and check-ins."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.due import earliest_after
from storage.kinds.coffee.models import (
    CoffeeCheckin,
    CoffeeGroup,
    CoffeePreference,
    CoffeeRound,
    CoffeeRoundStatus,
)
from storage.models import Activity
from storage.rows import (
    add_row,
    in_status,
    people_rows,
    person_row,
    person_row_made,
    row_where,
    rows_where,
)
from storage.savepoint import add_unique

COFFEE_KINDS = ("coffee", "breakfast")


# --------------------------------------------------------------------------- preferences


async def get_preference(
    session: AsyncSession, *, team_id: str, user_id: str
) -> CoffeePreference | None:
    return await person_row(session, model=CoffeePreference, team_id=team_id, user_id=user_id)


async def preference_for_update(
    session: AsyncSession, *, team_id: str, user_id: str, now: datetime
) -> CoffeePreference:
    """The member's row, created (race-safely: see `person_row_made`) when missing."""

    def new() -> CoffeePreference:
        return CoffeePreference(team_id=team_id, user_id=user_id, avoid=[], updated_at=now)

    return await person_row_made(
        session, model=CoffeePreference, team_id=team_id, user_id=user_id, new=new
    )


async def save_preference(
    session: AsyncSession, *, preference: CoffeePreference, now: datetime
) -> None:
    preference.updated_at = now
    session.add(preference)
    await session.flush()


async def preferences(
    session: AsyncSession, *, team_id: str, user_ids: Sequence[str]
) -> dict[str, CoffeePreference]:
    return await people_rows(session, model=CoffeePreference, team_id=team_id, user_ids=user_ids)


# --------------------------------------------------------------------------- activities


async def coffee_activities(session: AsyncSession, *, team_id: str) -> list[Activity]:
    coffee = (Activity.team_id == team_id, col(Activity.kind).in_(COFFEE_KINDS))
    return await rows_where(session, model=Activity, where=coffee, order_by=(col(Activity.id),))


# --------------------------------------------------------------------------- rounds


async def add_round(
    session: AsyncSession, *, team_id: str, activity_id: int, run_id: int, now: datetime
) -> CoffeeRound | None:
    """A pending round for a run; None if that run already has one."""
    row = CoffeeRound(team_id=team_id, activity_id=activity_id, run_id=run_id, created_at=now)
    return row if await add_unique(session, row) else None


async def get_round(session: AsyncSession, *, round_id: int) -> CoffeeRound | None:
    return await session.get(CoffeeRound, round_id)


async def round_with_activity(
    session: AsyncSession, *, round_id: int
) -> tuple[CoffeeRound, Activity] | None:
    """The round and the activity it belongs to; None if either is gone."""
    result = await session.exec(
        select(CoffeeRound, Activity)
        .join(
            Activity,
            (col(Activity.id) == col(CoffeeRound.activity_id))
            & (col(Activity.team_id) == col(CoffeeRound.team_id)),
        )
        .where(col(CoffeeRound.id) == round_id)
    )
    row = result.first()
    return (row[0], row[1]) if row is not None else None


async def activity_of(session: AsyncSession, *, rnd: CoffeeRound) -> Activity | None:
    """The activity a round belongs to (same team), or None if it was deleted."""
    same_team = (col(Activity.id) == rnd.activity_id, col(Activity.team_id) == rnd.team_id)
    return await row_where(session, model=Activity, where=same_team)


async def round_for_run(session: AsyncSession, *, run_id: int) -> CoffeeRound | None:
    return await row_where(session, model=CoffeeRound, where=(CoffeeRound.run_id == run_id,))


async def pending_rounds(session: AsyncSession, *, limit: int = 20) -> list[CoffeeRound]:
    return await rows_where(
        session,
        model=CoffeeRound,
        where=(CoffeeRound.status == CoffeeRoundStatus.PENDING,),
        order_by=(col(CoffeeRound.id),),
        limit=limit,
    )


async def claim_pending(session: AsyncSession, *, round_id: int) -> CoffeeRound | None:
    """The round, if this transaction is the one that moves it out of `pending`.

    A compare-and-set, the first statement of the caller's transaction: two ticks
    (or two processes) racing for one round cannot both match it, on SQLite too.
    """
    cas = await session.exec(
        update(CoffeeRound)
        .where(
            col(CoffeeRound.id) == round_id, col(CoffeeRound.status) == CoffeeRoundStatus.PENDING
        )
        .values(status=CoffeeRoundStatus.MATCHING)
    )
    if cas.rowcount != 1:
        return None
    return await session.get(CoffeeRound, round_id)


async def _started_due(
    session: AsyncSession, *, due: datetime | None, sent: datetime | None, now: datetime
) -> list[CoffeeRound]:
    """Started rounds whose `due` time has come and whose `sent` stamp is still empty."""
    started = CoffeeRound.status == CoffeeRoundStatus.STARTED
    return await rows_where(
        session, model=CoffeeRound, where=(started, col(due) <= now, col(sent).is_(None))
    )


async def checkins_due(session: AsyncSession, *, now: datetime) -> list[CoffeeRound]:
    return await _started_due(
        session, due=CoffeeRound.checkin_at, sent=CoffeeRound.checkin_sent_at, now=now
    )


async def ends_due(session: AsyncSession, *, now: datetime) -> list[CoffeeRound]:
    return await _started_due(
        session, due=CoffeeRound.ends_at, sent=CoffeeRound.summary_sent_at, now=now
    )


async def started_rounds(
    session: AsyncSession, *, team_id: str, limit: int = 52
) -> list[CoffeeRound]:
    """The team's latest started rounds (all coffee activities), oldest first."""
    result = await session.exec(
        select(CoffeeRound)
        .where(CoffeeRound.team_id == team_id, CoffeeRound.status == CoffeeRoundStatus.STARTED)
        .order_by(col(CoffeeRound.id).desc())
        .limit(limit)
    )
    return list(reversed(result.all()))


async def latest_round(session: AsyncSession, *, activity_id: int) -> CoffeeRound | None:
    started = in_status(CoffeeRound, activity_id, CoffeeRoundStatus.STARTED)
    newest = (col(CoffeeRound.id).desc(),)
    return await row_where(session, model=CoffeeRound, where=started, order_by=newest)


# --------------------------------------------------------------------------- groups


async def add_group(session: AsyncSession, *, group: CoffeeGroup) -> CoffeeGroup:
    return await add_row(session, row=group)


async def get_group(session: AsyncSession, *, group_id: int) -> CoffeeGroup | None:
    return await session.get(CoffeeGroup, group_id)


async def groups_of(session: AsyncSession, *, round_ids: Sequence[int]) -> list[CoffeeGroup]:
    if not round_ids:
        return []
    of_rounds = (col(CoffeeGroup.round_id).in_(round_ids),)
    return await rows_where(
        session, model=CoffeeGroup, where=of_rounds, order_by=(col(CoffeeGroup.id),)
    )


async def record_dm(session: AsyncSession, *, group_id: int, channel_id: str, ts: str) -> None:
    group = await session.get(CoffeeGroup, group_id)
    if group is not None:
        group.dm_channel_id = channel_id
        group.intro_ts = ts
        session.add(group)


# --------------------------------------------------------------------------- check-ins


async def upsert_checkin(
    session: AsyncSession,
    *,
    team_id: str,
    group_id: int,
    user_id: str,
    answer: str,
    now: datetime,
) -> None:
    theirs = (CoffeeCheckin.group_id == group_id, CoffeeCheckin.user_id == user_id)
    row = await row_where(session, model=CoffeeCheckin, where=theirs)
    if row is None:
        row = CoffeeCheckin(
            team_id=team_id, group_id=group_id, user_id=user_id, answer=answer, at=now
        )
        if await add_unique(session, row):
            return
        row = await row_where(session, model=CoffeeCheckin, where=theirs)
        assert row is not None  # the insert lost to this very row
    row.answer = answer
    row.at = now
    session.add(row)
    await session.flush()


async def checkins_of(session: AsyncSession, *, group_ids: Sequence[int]) -> list[CoffeeCheckin]:
    if not group_ids:
        return []
    of_groups = (col(CoffeeCheckin.group_id).in_(group_ids),)
    return await rows_where(session, model=CoffeeCheckin, where=of_groups)


# A started round's dated steps, each with the column that says it was done.
_ROUND_STEPS = (
    (CoffeeRound.checkin_at, CoffeeRound.checkin_sent_at),
    (CoffeeRound.ends_at, CoffeeRound.summary_sent_at),
)


async def next_round_moments(session: AsyncSession, *, now: datetime) -> list[datetime | None]:
    """The started rounds' next unsent check-in and next unsent end, after `now`."""
    started = CoffeeRound.status == CoffeeRoundStatus.STARTED
    return [
        await earliest_after(session, column=due, where=(started, col(done).is_(None)), after=now)
        for due, done in _ROUND_STEPS
    ]
