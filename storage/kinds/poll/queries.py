"""Poll queries: create, find, the atomic vote writes, tallies, deadlines.

Votes are written with single statements the database arbitrates (INSERT … ON CONFLICT,
DELETE … WHERE), never read-then-write, so concurrent clicks can't double-count.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, func, literal, update
from sqlalchemy import select as sa_select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.kinds.poll.models import Poll, PollVote

PollTable = Poll.__table__  # type: ignore[attr-defined]
VoteTable = PollVote.__table__  # type: ignore[attr-defined]


def _insert(session: AsyncSession) -> Any:
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    return postgresql.insert(VoteTable) if dialect == "postgresql" else sqlite.insert(VoteTable)


async def create_poll(
    session: AsyncSession,
    *,
    team_id: str,
    channel_id: str,
    creator_id: str,
    question: str,
    options: Sequence[str],
    kind: str,
    max_choices: int,
    anonymous: bool,
    hide_results: bool,
    closes_at: datetime | None,
    activity_id: int | None,
    now: datetime,
) -> Poll:
    poll = Poll(
        team_id=team_id,
        channel_id=channel_id,
        creator_id=creator_id,
        question=question,
        options=list(options),
        kind=kind,
        max_choices=max_choices,
        anonymous=anonymous,
        hide_results=hide_results,
        closes_at=closes_at,
        activity_id=activity_id,
        created_at=now,
    )
    session.add(poll)
    await session.flush()
    return poll


async def get_poll(
    session: AsyncSession, *, poll_id: int, team_id: str | None = None
) -> Poll | None:
    poll = await session.get(Poll, poll_id)
    if poll is None or (team_id is not None and poll.team_id != team_id):
        return None
    return poll


def _open_poll(poll_id: int) -> Any:
    col = PollTable.c
    return exists().where(col.id == poll_id, col.closed_at.is_(None), col.deleted_at.is_(None))


async def voter_picks(session: AsyncSession, *, poll_id: int, voter_key: str) -> frozenset[int]:
    """The options a voter holds now (used to word the reply; writes don't rely on it)."""
    col = VoteTable.c
    result = await session.exec(
        sa_select(col.option_index).where(col.poll_id == poll_id, col.voter_key == voter_key)  # type: ignore[call-overload]
    )
    return frozenset(int(row[0]) for row in result.all())


async def remove_vote(
    session: AsyncSession, *, poll_id: int, voter_key: str, option_index: int
) -> bool:
    """Delete the voter's vote for this option, if the poll is open. True if one was removed."""
    col = VoteTable.c
    result = await session.exec(
        VoteTable.delete().where(
            col.poll_id == poll_id,
            col.voter_key == voter_key,
            col.option_index == option_index,
            _open_poll(poll_id),
        )
    )
    return int(result.rowcount) > 0


async def put_vote(
    session: AsyncSession,
    *,
    team_id: str,
    poll_id: int,
    voter_key: str,
    option_index: int,
    single_choice: bool,
    max_choices: int,
    option_count: int,
    now: datetime,
) -> bool:
    """Record a vote in one statement, only while the poll is open. True if written.

    Single choice: slot 0, upserted, so a voter holds one row whatever the click order.
    Multi choice: slot = option, inserted unless present, and only under ``max_choices``.
    """
    col = VoteTable.c
    slot = 0 if single_choice else option_index
    guard = _open_poll(poll_id)
    if not single_choice and max_choices < option_count:
        held = (
            sa_select(func.count())
            .select_from(VoteTable)
            .where(col.poll_id == poll_id, col.voter_key == voter_key)
            .scalar_subquery()
        )
        guard = and_(guard, held < max_choices)
    source = sa_select(
        literal(team_id),
        literal(poll_id),
        literal(voter_key),
        literal(slot),
        literal(option_index),
        literal(now, type_=VoteTable.c.voted_at.type),
    ).where(guard)
    stmt = _insert(session).from_select(
        ["team_id", "poll_id", "voter_key", "slot", "option_index", "voted_at"], source
    )
    if single_choice:
        stmt = stmt.on_conflict_do_update(
            index_elements=["poll_id", "voter_key", "slot"],
            set_={"option_index": stmt.excluded.option_index, "voted_at": stmt.excluded.voted_at},
        )
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=["poll_id", "voter_key", "slot"])
    result = await session.exec(stmt)
    return int(result.rowcount) > 0


async def counts(session: AsyncSession, *, poll_id: int) -> tuple[dict[int, int], int]:
    """Votes per option and the number of distinct voters."""
    col = VoteTable.c
    rows = await session.exec(
        sa_select(col.option_index, func.count())  # type: ignore[call-overload]
        .where(col.poll_id == poll_id)
        .group_by(col.option_index)
    )
    per_option = {int(index): int(n) for index, n in rows.all()}
    voters = await session.exec(
        sa_select(func.count(func.distinct(col.voter_key))).where(col.poll_id == poll_id)  # type: ignore[call-overload]
    )
    return per_option, int(voters.one()[0])


async def voters_by_option(session: AsyncSession, *, poll_id: int) -> dict[int, list[str]]:
    """Voter keys per option, oldest vote first (user ids for named polls only)."""
    col = VoteTable.c
    rows = await session.exec(
        sa_select(col.option_index, col.voter_key)  # type: ignore[call-overload]
        .where(col.poll_id == poll_id)
        .order_by(col.voted_at, col.id)
    )
    out: dict[int, list[str]] = {}
    for index, key in rows.all():
        out.setdefault(int(index), []).append(str(key))
    return out


async def count_votes(session: AsyncSession, *, poll_id: int) -> int:
    col = VoteTable.c
    result = await session.exec(
        sa_select(func.count()).select_from(VoteTable).where(col.poll_id == poll_id)  # type: ignore[call-overload]
    )
    return int(result.one()[0])


async def mark_closed(session: AsyncSession, *, poll_id: int, now: datetime) -> bool:
    """Close an open poll (compare-and-set): True only for the caller that closed it."""
    col = PollTable.c
    result = await session.exec(
        update(PollTable)
        .where(col.id == poll_id, col.closed_at.is_(None), col.deleted_at.is_(None))
        .values(closed_at=now)
    )
    return int(result.rowcount) == 1


async def mark_deleted(session: AsyncSession, *, poll_id: int, now: datetime) -> bool:
    col = PollTable.c
    result = await session.exec(
        update(PollTable).where(col.id == poll_id, col.deleted_at.is_(None)).values(deleted_at=now)
    )
    return int(result.rowcount) == 1


async def mark_reminded(session: AsyncSession, *, poll_id: int, now: datetime) -> bool:
    col = PollTable.c
    result = await session.exec(
        update(PollTable)
        .where(col.id == poll_id, col.reminded_at.is_(None))
        .values(reminded_at=now)
    )
    return int(result.rowcount) == 1


async def due_to_close(session: AsyncSession, *, now: datetime, limit: int = 100) -> list[Poll]:
    col = PollTable.c
    result = await session.exec(
        select(Poll)
        .where(
            col.closed_at.is_(None),
            col.deleted_at.is_(None),
            col.closes_at.is_not(None),
            col.closes_at <= now,
        )
        .order_by(col.closes_at, col.id)
        .limit(limit)
    )
    return list(result.all())


async def due_for_reminder(
    session: AsyncSession, *, now: datetime, horizon: datetime, limit: int = 100
) -> list[Poll]:
    """Open polls closing between now and ``horizon`` that haven't had their reminder."""
    col = PollTable.c
    result = await session.exec(
        select(Poll)
        .where(
            col.closed_at.is_(None),
            col.deleted_at.is_(None),
            col.reminded_at.is_(None),
            col.closes_at > now,
            col.closes_at <= horizon,
        )
        .order_by(col.closes_at, col.id)
        .limit(limit)
    )
    return list(result.all())


async def open_polls(session: AsyncSession, *, team_id: str, limit: int = 5) -> list[Poll]:
    col = PollTable.c
    result = await session.exec(
        select(Poll)
        .where(col.team_id == team_id, col.closed_at.is_(None), col.deleted_at.is_(None))
        .order_by(col.created_at.desc(), col.id.desc())
        .limit(limit)
    )
    return list(result.all())


async def list_votes(session: AsyncSession, *, poll_id: int) -> list[PollVote]:
    result = await session.exec(
        select(PollVote).where(VoteTable.c.poll_id == poll_id).order_by(VoteTable.c.id)
    )
    return list(result.all())


async def polls_of_activity(session: AsyncSession, *, activity_id: int) -> list[Poll]:
    """The polls a recurring poll activity has posted (for its deadlines on the calendar)."""
    result = await session.exec(
        select(Poll).where(PollTable.c.activity_id == activity_id).order_by(PollTable.c.id)
    )
    return list(result.all())
