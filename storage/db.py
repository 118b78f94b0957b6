"""The engine and sessions. One `Database` per process; sessions are short."""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine.url import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 10_000
POOL_SIZE = 10
POOL_OVERFLOW = 10


def normalise_url(url: str) -> str:
    """Accept the URLs people paste (postgres://, sqlite:///) and pick the async drivers."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgresql+psycopg2", "postgresql+psycopg"):
        parsed = parsed.set(drivername="postgresql+asyncpg")
    elif parsed.drivername == "sqlite":
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    return parsed.render_as_string(hide_password=False)


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # busy_timeout first: switching to WAL needs a lock another process may hold.
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL is durable across application crashes (a power loss may undo
    # the last commits) and saves an fsync per transaction.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


class _Turns:
    """At most `capacity` transactions at once, in arrival order, with a fast lane.

    Re-entrant: a task that holds a turn opens nested sessions without queueing again.
    - SQLite has one writer: capacity 1. Letting coroutines race for the file means
      busy-waits and starvation; queueing in-process is faster and fair.
    - PostgreSQL: capacity = the connection pool, so a burst (2,000 votes) waits here,
      without a time limit, instead of failing on the pool's checkout timeout.
    The fast lane is for the courier: queued votes must not hold up recording a send.
    """

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._in_use = 0
        self._holders: set[asyncio.Task[Any]] = set()
        self._lanes: tuple[deque[asyncio.Future[None]], ...] = (deque(), deque())

    @asynccontextmanager
    async def hold(self, *, priority: bool = False) -> AsyncIterator[None]:
        task = asyncio.current_task()
        if task is not None and task in self._holders:
            yield
            return
        if self._in_use >= self._capacity:
            turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            lane = self._lanes[0 if priority else 1]
            lane.append(turn)
            try:
                await turn
            except asyncio.CancelledError:
                if turn.done() and not turn.cancelled():
                    self._hand_on()  # it was our turn: pass it to the next in line
                else:
                    lane.remove(turn)
                raise
        else:
            self._in_use += 1
        if task is not None:
            self._holders.add(task)
        try:
            yield
        finally:
            self._holders.discard(task)
            self._hand_on()

    def _hand_on(self) -> None:
        for lane in self._lanes:
            while lane:
                turn = lane.popleft()
                if not turn.done():
                    turn.set_result(None)  # the turn passes straight on
                    return
        self._in_use -= 1


class Database:
    """Owns the async engine; hands out sessions that commit on success."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = normalise_url(url)
        self.is_sqlite = self.url.startswith("sqlite")
        kwargs: dict[str, Any] = {"echo": echo}
        if not self.is_sqlite:
            kwargs.update(pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW, pool_pre_ping=True)
        self.engine: AsyncEngine = create_async_engine(self.url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _on_sqlite_connect)
        self._sessions = async_sessionmaker(
            self.engine, class_=AsyncSession, expire_on_commit=False
        )
        self._turns = _Turns(1 if self.is_sqlite else POOL_SIZE + POOL_OVERFLOW)

    @asynccontextmanager
    async def session(self, *, priority: bool = False) -> AsyncIterator[AsyncSession]:
        """One transaction: commits when the block ends, rolls back if it raises.

        `priority` puts the transaction ahead of queued ones (the courier).
        """
        async with self._turn(priority), self._sessions() as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise

    def _turn(self, priority: bool) -> AbstractAsyncContextManager[None]:
        return self._turns.hold(priority=priority)

    def turn(self) -> AbstractAsyncContextManager[None]:
        """Hold one turn across several short transactions (they do not queue again)."""
        return self._turns.hold()

    async def ping(self) -> bool:
        """True when the database answers a trivial query."""
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception as exc:  # any driver error means "not answering"
            reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
            log.warning("database ping failed: %s", reason)
            return False
        return True

    async def dispose(self) -> None:
        await self.engine.dispose()
