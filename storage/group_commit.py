"""Group commit: requests that arrive together share one transaction.

A transaction costs a commit (an fsync on SQLite, a round trip on PostgreSQL) and its
session set-up, whatever it writes; SQLite runs one at a time. A flood of small writes
(thousands of vote clicks, each also marking its trigger seen) is then bound by commits,
not by the work. Here each caller submits one item and waits for its own result; while
one batch is in its transaction the next items gather, and the next batch takes them all
(up to ``max_batch``). A lone item still goes straight through: nothing waits on a timer.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import Database

log = logging.getLogger(__name__)

Item = TypeVar("Item")
Result = TypeVar("Result")

# Given a batch, in one transaction: one result per item, in order. An Exception in the
# list is raised to that item's caller alone (a refusal); raising fails the transaction.
Apply = Callable[[AsyncSession, Sequence[Item]], Awaitable[Sequence[Result | Exception]]]


class GroupCommit(Generic[Item, Result]):
    """Apply submitted items in shared transactions; each caller gets its own result.

    If a batch's transaction fails (a database error), its items are retried one
    transaction each, so one bad item cannot fail the others. A result is handed back
    only after the commit: no caller hears of a write that is not stored.
    """

    def __init__(
        self,
        db: Database,
        apply: Apply[Item, Result],
        *,
        name: str,
        max_batch: int = 200,
    ) -> None:
        self._db = db
        self._apply = apply
        self._name = name
        self._max_batch = max_batch
        self._waiting: list[tuple[Item, asyncio.Future[Result]]] = []
        self._worker: asyncio.Task[None] | None = None

    async def submit(self, item: Item) -> Result:
        """Apply one item with whatever else is waiting; raises what it was refused with."""
        future: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        if self._worker is None or self._worker.done():
            self._worker = asyncio.create_task(self._drain(), name=self._name)
        return await future

    async def _drain(self) -> None:
        while self._waiting:
            batch = self._waiting[: self._max_batch]
            del self._waiting[: self._max_batch]
            try:
                await self._commit(batch)
            except Exception as exc:  # a database error: try each item alone
                if len(batch) == 1:
                    _settle(batch[0][1], exc)
                    continue
                log.warning(
                    "batch failed, retrying one by one",
                    extra={"batch": self._name, "size": len(batch)},
                )
                for one in batch:
                    try:
                        await self._commit([one])
                    except Exception as single:
                        _settle(one[1], single)

    async def _commit(self, batch: list[tuple[Item, asyncio.Future[Result]]]) -> None:
        async with self._db.session() as session:
            results = await self._apply(session, [item for item, _ in batch])
        for (_, future), result in zip(batch, results, strict=True):
            _settle(future, result)


def _settle(future: asyncio.Future[Result], result: Result | Exception) -> None:
    if future.done():  # the caller was cancelled meanwhile
        return
    if isinstance(result, Exception):
        future.set_exception(result)
    else:
        future.set_result(result)
