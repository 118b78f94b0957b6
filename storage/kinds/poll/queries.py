"""Poll queries: create, find, the atomic vote writes, tallies, deadlines.

Votes are written in batches, under a lock on the poll's row (see hold_for_votes), with
statements whose uniqueness the database enforces (INSERT … ON CONFLICT), so concurrent
clicks can't double-count.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, tuple_, update
from sqlalchemy import select as sa_select
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from storage.due import earliest_after
from storage.kinds.poll.models import Poll, PollVote
from storage.rows import fetch_all, mark_once, rows_where

PollTable = Poll.__table__  # type: ignore[attr-defined]
VoteTable = PollVote.__table__  # type: ignore[attr-defined]


async def get_poll(
    session: AsyncSession, *, poll_id: int, team_id: str | None = None
) -> Poll | None:
    poll = await session.get(Poll, poll_id)
    if poll is None or (team_id is not None and poll.team_id != team_id):
        return None
    return poll


@dataclass(frozen=True)
class VoteRow:
    """One vote to hold: ``slot`` 0 in single-choice polls, the option in multi-choice."""

    voter_key: str
    slot: int
    option_index: int
    voted_at: datetime


class VoteWriteConflict(RuntimeError):
    """The votes changed under a batch that held the poll: it must not be committed."""


_POLL_ID = bindparam("poll_id", type_=VoteTable.c.poll_id.type)


@functools.cache
def _lock_statement() -> Any:
    col = PollTable.c
    # Built once: building a statement costs more than running it at vote rates.
    return sa_select(col.closed_at, col.deleted_at).where(col.id == _POLL_ID).with_for_update()


@functools.cache
def _picks_statement() -> Any:
    col = VoteTable.c
    keys = bindparam("voter_keys", expanding=True, type_=col.voter_key.type)
    return sa_select(col.voter_key, col.option_index).where(
        col.poll_id == _POLL_ID, col.voter_key.in_(keys)
    )


async def hold_for_votes(
    session: AsyncSession, *, poll_id: int
) -> tuple[datetime | None, datetime | None] | None:
    """(closed_at, deleted_at) as of now, with the poll held until the transaction ends.

    PostgreSQL locks the poll's row: closing or deleting it waits for this transaction, and
    so does another process's batch of votes on it, so what this transaction reads of the
    poll and its votes stays true until it commits. SQLite has one writer at a time (a
    write after another process's commit fails instead). One lock per batch, not per vote.
    None if the poll is gone. Never read from the session's identity map.
    """
    result = await session.exec(_lock_statement(), params={"poll_id": poll_id})
    row = result.first()
    return None if row is None else (row[0], row[1])


async def picks_of(
    session: AsyncSession, *, poll_id: int, voter_keys: Sequence[str]
) -> dict[str, frozenset[int]]:
    """The options each of ``voter_keys`` holds now, in one query (absent: no vote)."""
    found: dict[str, set[int]] = {}
    unique = sorted(set(voter_keys))
    for start in range(0, len(unique), 500):  # stay well under the bound-parameter limits
        result = await session.exec(
            _picks_statement(),
            params={"poll_id": poll_id, "voter_keys": unique[start : start + 500]},
        )
        for key, index in result.all():
            found.setdefault(str(key), set()).add(int(index))
    return {key: frozenset(indices) for key, indices in found.items()}


# Votes per statement: each size's statement is built once and cached, so a batch of
# any size costs no statement building once the bot has warmed up.
_ROWS_PER_STATEMENT = 50
_VOTE_COLUMNS = ("team_id", "poll_id", "voter_key", "slot", "option_index", "voted_at")


@functools.cache
def _delete_statement() -> Any:
    col = VoteTable.c
    pairs: Any = bindparam("b_pairs", expanding=True)
    return VoteTable.delete().where(
        col.poll_id == bindparam("b_poll_id"), tuple_(col.voter_key, col.slot).in_(pairs)
    )


@functools.lru_cache(maxsize=4 * _ROWS_PER_STATEMENT)
def _put_statement(dialect: str, single_choice: bool, rows: int) -> Any:
    """INSERT … VALUES with ``rows`` rows of bound parameters (b_<column>_<row>), upserting
    slot 0 in single-choice polls and skipping existing rows in multi-choice ones."""
    col = VoteTable.c
    # Only the dialect in use is imported: PostgreSQL's alone is ~2 MB of a SQLite bot.
    insert = importlib.import_module(f"sqlalchemy.dialects.{dialect}").insert
    values = [
        {name: bindparam(f"b_{name}_{i}", type_=col[name].type) for name in _VOTE_COLUMNS}
        for i in range(rows)
    ]
    stmt = insert(VoteTable).values(values)
    if single_choice:
        return stmt.on_conflict_do_update(
            index_elements=["poll_id", "voter_key", "slot"],
            set_={"option_index": stmt.excluded.option_index, "voted_at": stmt.excluded.voted_at},
        )
    return stmt.on_conflict_do_nothing(index_elements=["poll_id", "voter_key", "slot"])


async def write_votes(
    session: AsyncSession,
    *,
    team_id: str,
    poll_id: int,
    remove: Sequence[tuple[str, int]],
    put: Sequence[VoteRow],
    single_choice: bool,
) -> None:
    """Delete the (voter_key, slot) rows in ``remove`` and write ``put``: a statement each
    per 50 votes. The caller holds the poll (hold_for_votes) and decided from picks_of, so
    each row must change exactly as asked; anything else raises VoteWriteConflict. One
    vote per (poll, voter, slot) stays the database's to enforce: single choice upserts
    slot 0, multi choice inserts only where no row is.
    """
    for start in range(0, len(remove), 500):
        pairs: list[tuple[str, int]] = list(remove[start : start + 500])
        result = await session.exec(
            _delete_statement(), params={"b_poll_id": poll_id, "b_pairs": pairs}
        )
        if int(result.rowcount) != len(pairs):
            raise VoteWriteConflict(f"{len(pairs)} votes to remove, {result.rowcount} found")
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    for start in range(0, len(put), _ROWS_PER_STATEMENT):
        rows = put[start : start + _ROWS_PER_STATEMENT]
        params: dict[str, Any] = {}
        for i, row in enumerate(rows):
            params[f"b_team_id_{i}"] = team_id
            params[f"b_poll_id_{i}"] = poll_id
            params[f"b_voter_key_{i}"] = row.voter_key
            params[f"b_slot_{i}"] = row.slot
            params[f"b_option_index_{i}"] = row.option_index
            params[f"b_voted_at_{i}"] = row.voted_at
        result = await session.exec(
            _put_statement(dialect, single_choice, len(rows)), params=params
        )
        if int(result.rowcount) != len(rows):
            raise VoteWriteConflict(f"{len(rows)} votes to write, {result.rowcount} written")


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
    return await mark_once(session, model=Poll, row_id=poll_id, step=col(Poll.deleted_at), now=now)


async def mark_reminded(session: AsyncSession, *, poll_id: int, now: datetime) -> bool:
    return await mark_once(session, model=Poll, row_id=poll_id, step=col(Poll.reminded_at), now=now)


def _open_by_deadline(*where: Any, limit: int) -> SelectOfScalar[Poll]:
    """Open polls (neither closed nor deleted) that also match `where`, soonest deadline first."""
    col = PollTable.c
    return (
        select(Poll)
        .where(col.closed_at.is_(None), col.deleted_at.is_(None), *where)
        .order_by(col.closes_at, col.id)
        .limit(limit)
    )


async def due_to_close(session: AsyncSession, *, now: datetime, limit: int = 100) -> list[Poll]:
    col = PollTable.c
    due = _open_by_deadline(col.closes_at.is_not(None), col.closes_at <= now, limit=limit)
    return await fetch_all(session, statement=due)


async def due_for_reminder(
    session: AsyncSession, *, now: datetime, horizon: datetime, limit: int = 100
) -> list[Poll]:
    """Open polls closing between now and ``horizon`` that haven't had their reminder."""
    col = PollTable.c
    closing = (col.reminded_at.is_(None), col.closes_at > now, col.closes_at <= horizon)
    return await fetch_all(session, statement=_open_by_deadline(*closing, limit=limit))


async def list_votes(session: AsyncSession, *, poll_id: int) -> list[PollVote]:
    of_poll = (VoteTable.c.poll_id == poll_id,)
    return await rows_where(session, model=PollVote, where=of_poll, order_by=(VoteTable.c.id,))


async def polls_of_activity(session: AsyncSession, *, activity_id: int) -> list[Poll]:
    """The polls a recurring poll activity has posted (for its deadlines on the calendar)."""
    of_activity = (PollTable.c.activity_id == activity_id,)
    return await rows_where(session, model=Poll, where=of_activity, order_by=(PollTable.c.id,))


async def next_deadline(session: AsyncSession, *, after: datetime) -> datetime | None:
    """The earliest deadline later than `after` of the open polls."""
    c = PollTable.c
    return await earliest_after(
        session,
        column=c.closes_at,
        where=(c.closed_at.is_(None), c.deleted_at.is_(None)),
        after=after,
    )


async def next_unreminded_deadline(session: AsyncSession, *, after: datetime) -> datetime | None:
    """The same, among the open polls that have not had their reminder."""
    c = PollTable.c
    return await earliest_after(
        session,
        column=c.closes_at,
        where=(c.closed_at.is_(None), c.deleted_at.is_(None), c.reminded_at.is_(None)),
        after=after,
    )
