"""Turn-taking for transactions: in order, bounded, with a fast lane, re-entrant, cancel-safe."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from sqlalchemy import text

from storage.db import Database, _Turns


async def test_turns_go_in_order_with_the_fast_lane_first() -> None:
    lock = _Turns(1)
    order: list[str] = []
    release = asyncio.Event()

    async def take(name: str, *, priority: bool = False) -> None:
        async with lock.hold(priority=priority):
            order.append(name)
            if name == "first":
                await release.wait()

    first = asyncio.create_task(take("first"))
    await asyncio.sleep(0)
    waiting = [asyncio.create_task(take(f"vote{i}")) for i in range(3)]
    await asyncio.sleep(0)
    courier = asyncio.create_task(take("courier", priority=True))
    await asyncio.sleep(0)
    release.set()
    await asyncio.gather(first, courier, *waiting)
    assert order == ["first", "courier", "vote0", "vote1", "vote2"]


async def test_a_full_fast_lane_still_lets_an_ordinary_turn_through() -> None:
    """A fan-out's sends keep the fast lane full; someone's /poll waits for two more."""
    lock = _Turns(1)
    order: list[str] = []
    release = asyncio.Event()

    async def take(name: str, *, priority: bool = False) -> None:
        async with lock.hold(priority=priority):
            order.append(name)
            if name == "first":
                await release.wait()

    first = asyncio.create_task(take("first", priority=True))
    await asyncio.sleep(0)
    sends = [asyncio.create_task(take(f"send{i}", priority=True)) for i in range(5)]
    await asyncio.sleep(0)
    poll = asyncio.create_task(take("poll"))
    await asyncio.sleep(0)
    release.set()
    await asyncio.gather(first, poll, *sends)
    assert order == ["first", "send0", "send1", "poll", "send2", "send3", "send4"]


async def test_a_cancelled_waiter_does_not_block_the_queue() -> None:
    lock = _Turns(1)
    hold = asyncio.Event()

    async def holder() -> None:
        async with lock.hold():
            await hold.wait()

    async def waiter() -> str:
        async with lock.hold():
            return "got it"

    first = asyncio.create_task(holder())
    await asyncio.sleep(0)
    doomed = asyncio.create_task(waiter())
    survivor = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    doomed.cancel()
    hold.set()
    await first
    assert await asyncio.wait_for(survivor, 1) == "got it"


async def test_a_task_may_nest_sessions_without_deadlock(tmp_path: object) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path}/nest.db")

    async def nested() -> int:
        async with db.session() as outer, db.session(priority=True) as inner:
            assert outer is not inner
            return int((await inner.exec(text("SELECT 1"))).one()[0])  # type: ignore[call-overload]

    # SQLite allows one turn at a time: a nested session that queued again would wait
    # for itself forever; with the turn re-entrant it answers at once.
    assert await asyncio.wait_for(nested(), 2) == 1
    await db.dispose()


async def test_no_more_than_capacity_hold_a_turn_at_once() -> None:
    turns = _Turns(3)
    inside = 0
    most = 0

    async def work() -> None:
        nonlocal inside, most
        async with turns.hold():
            inside += 1
            most = max(most, inside)
            await asyncio.sleep(0.001)
            inside -= 1

    await asyncio.gather(*(work() for _ in range(20)))
    assert most == 3


def _slow_ping(db: Database, seconds: float) -> None:
    async def answer_late() -> str | None:
        await asyncio.sleep(seconds)
        return None

    db._ping_once = answer_late  # type: ignore[method-assign]


async def test_a_slow_ping_while_transactions_commit_is_busy_not_an_outage() -> None:
    db = Database("postgresql+asyncpg://postgres@127.0.0.1:1/none")  # never connected
    _slow_ping(db, 0.5)

    async def a_commit_lands() -> None:
        await asyncio.sleep(0.05)
        db._last_ok = time.monotonic()

    landing = asyncio.ensure_future(a_commit_lands())
    assert await db.ping(within=0.2)
    await landing
    await db.dispose()


async def test_a_slow_ping_with_nothing_committing_is_an_outage_on_postgresql() -> None:
    db = Database("postgresql+asyncpg://postgres@127.0.0.1:1/none")
    _slow_ping(db, 0.5)
    assert not await db.ping(within=0.1)
    await db.dispose()


async def test_a_busy_sqlite_file_is_never_reported_as_gone(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'busy.db'}")
    _slow_ping(db, 0.5)
    assert await db.ping(within=0.1)
    await db.dispose()
