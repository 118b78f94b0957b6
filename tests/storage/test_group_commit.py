"""Group commit: concurrent submissions share transactions, each gets its own answer; the
trigger ledger sees each trigger id first exactly once."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime

import pytest
from sqlalchemy import event
from sqlmodel.ext.asyncio.session import AsyncSession

from storage import events
from storage.db import Database
from storage.group_commit import GroupCommit

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def _trigger(trigger_id: str) -> events.Trigger:
    return events.Trigger(trigger_id, "T1", NOW)


async def test_triggers_are_new_once_within_a_batch_and_across_batches(db: Database) -> None:
    async with db.session() as session:
        first = await events.mark_triggers_seen(
            session, [_trigger("a"), _trigger("b"), _trigger("a")]
        )
    async with db.session() as session:
        again = await events.mark_triggers_seen(session, [_trigger("b"), _trigger("c")])
    assert first == [True, True, False]
    assert again == [False, True]


async def test_the_ledger_shares_transactions_and_answers_each_caller(db: Database) -> None:
    commits: list[int] = []
    event.listen(db.engine.sync_engine, "commit", lambda _conn: commits.append(1))
    ledger: GroupCommit[events.Trigger, bool] = GroupCommit(
        db, events.mark_triggers_seen, name="test-ledger"
    )
    ids = [f"t{i}" for i in range(100)] + ["t7", "t42"]  # two replays among them
    answers = await asyncio.gather(*(ledger.submit(_trigger(t)) for t in ids))
    assert answers == [True] * 100 + [False, False]
    assert 1 <= len(commits) < 10
    assert await ledger.submit(_trigger("t99")) is False  # already stored


async def test_a_failing_batch_is_retried_one_by_one(db: Database) -> None:
    """One item whose write fails the transaction fails alone; the rest are applied."""
    applied: list[list[int]] = []

    async def apply(session: AsyncSession, items: Sequence[int]) -> list[int | Exception]:
        applied.append(list(items))
        if 13 in items:
            raise RuntimeError("the database refused the batch")
        return [i * 2 if i % 5 else ValueError(f"refused {i}") for i in items]

    batches: GroupCommit[int, int] = GroupCommit(db, apply, name="test-failing")

    async def one(i: int) -> int | str:
        try:
            return await batches.submit(i)
        except (RuntimeError, ValueError) as exc:
            return str(exc)

    results = await asyncio.gather(*(one(i) for i in range(1, 21)))
    assert results[12] == "the database refused the batch"  # item 13 alone
    assert results[4] == "refused 5"  # a refusal is that caller's alone
    assert results[0] == 2 and results[19] == "refused 20" and results[18] == 38
    assert [13] in applied  # retried by itself
    with pytest.raises(ValueError, match="refused 10"):
        await batches.submit(10)
