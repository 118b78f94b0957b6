"""Talk queries; each dated step is claimed with a compare-and-set (UPDATE … WHERE … NULL)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.due import earliest_after
from storage.kinds.talks.models import Talk, TalkSeries, TalkStatus
from storage.rows import (
    Pile,
    count_rows,
    dated_column,
    in_status,
    mark_once,
    row_where,
    rows_where,
    team_row,
)
from storage.savepoint import add_unique
from storage.upsert import insert

KIND = "talks"


async def add_talk(session: AsyncSession, talk: Talk) -> bool:
    """False (nothing written) when the series already has a talk with that title."""
    return await add_unique(session, talk)


async def get_talk(session: AsyncSession, *, team_id: str, talk_id: int) -> Talk | None:
    return await team_row(session, model=Talk, team_id=team_id, row_id=talk_id)


# Volunteered talks waiting for an organiser to schedule or decline them.
BACKLOG = Pile(Talk, status=TalkStatus.PROPOSED)


async def talk_in_slot(
    session: AsyncSession, *, activity_id: int, slot_at: datetime
) -> Talk | None:
    in_slot = (Talk.activity_id == activity_id, Talk.slot_at == slot_at)
    return await row_where(session, model=Talk, where=in_slot)


async def set_slot(
    session: AsyncSession, *, talk: Talk, slot_at: datetime | None, status: str
) -> None:
    """Put a talk in a slot, or take it out; the database refuses two talks in one slot."""
    talk.slot_at, talk.status = slot_at, status
    # A moved talk is checked in and reminded again for its new date.
    talk.checkin_at = talk.day_reminded_at = talk.soon_reminded_at = None
    session.add(talk)
    await session.flush()


async def decline(session: AsyncSession, *, talk: Talk, note: str) -> None:
    talk.status, talk.note = TalkStatus.DECLINED, note
    session.add(talk)
    await session.flush()


async def scheduled(session: AsyncSession, *, limit: int = 200) -> list[Talk]:
    coming = (Talk.status == TalkStatus.SCHEDULED, col(Talk.finished_at).is_(None))
    return await rows_where(session, model=Talk, where=coming, limit=limit)


async def booked_between(
    session: AsyncSession, *, activity_id: int, start: datetime, end: datetime
) -> int:
    return await count_rows(
        session,
        table=Talk,
        where=(
            *in_status(Talk, activity_id, TalkStatus.SCHEDULED),
            col(Talk.slot_at) > start,
            col(Talk.slot_at) <= end,
        ),
    )


async def claim_step(session: AsyncSession, *, talk_id: int, step: str, now: datetime) -> bool:
    column = dated_column(Talk, step)
    return await mark_once(session, model=Talk, row_id=talk_id, step=column, now=now)


async def set_checkin(session: AsyncSession, *, talk_id: int, answer: str) -> None:
    await session.exec(update(Talk).where(col(Talk.id) == talk_id).values(checkin_answer=answer))


async def mark_given(session: AsyncSession, *, talk_id: int) -> None:
    await session.exec(update(Talk).where(col(Talk.id) == talk_id).values(status=TalkStatus.GIVEN))


async def to_summarise(session: AsyncSession, *, limit: int = 20) -> list[Talk]:
    unsummarised = (col(Talk.finished_at).is_not(None), col(Talk.summarised_at).is_(None))
    return await rows_where(session, model=Talk, where=unsummarised, limit=limit)


async def history(session: AsyncSession, *, activity_id: int, limit: int = 20) -> list[Talk]:
    given = in_status(Talk, activity_id, TalkStatus.GIVEN)
    newest = (col(Talk.slot_at).desc(),)
    return await rows_where(session, model=Talk, where=given, order_by=newest, limit=limit)


async def claim_call(
    session: AsyncSession, *, activity_id: int, team_id: str, every_since: datetime, now: datetime
) -> bool:
    """A call for speakers, unless one went out after `every_since` (a fortnight ago)."""
    await session.exec(
        insert(session, TalkSeries)
        .values(activity_id=activity_id, team_id=team_id, last_call_at=None)
        .on_conflict_do_nothing(index_elements=["activity_id"])
    )
    result = await session.exec(
        update(TalkSeries)
        .where(
            col(TalkSeries.activity_id) == activity_id,
            or_(
                col(TalkSeries.last_call_at).is_(None), col(TalkSeries.last_call_at) <= every_since
            ),
        )
        .values(last_call_at=now)
    )
    return int(result.rowcount) == 1


async def last_call(session: AsyncSession, *, activity_id: int) -> datetime | None:
    found = await session.get(TalkSeries, activity_id)
    return found.last_call_at if found else None


async def next_call_since(session: AsyncSession, *, after: datetime) -> datetime | None:
    """The earliest last call for speakers later than `after`."""
    return await earliest_after(session, column=TalkSeries.last_call_at, after=after)
