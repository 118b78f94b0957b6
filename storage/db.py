"""The engine and sessions. One `Database` per process; sessions are short."""

from __future__ import annotations

import asyncio
import logging
import time
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
# An unreachable PostgreSQL (refused, or packets dropped) must fail fast, not hang a
# request: a connection attempt gives up after CONNECT_TIMEOUT, a statement after
# STATEMENT_TIMEOUT (client side, so it holds even when the server never answers).
CONNECT_TIMEOUT = 2.0
STATEMENT_TIMEOUT = 5.0
# A transaction that succeeded this recently vouches for the database without a ping.
FRESH_SECONDS = 1.0

# libpq's sslmode values, which asyncpg takes as its `ssl` argument; `ssl=true|false`
# (another common spelling) maps onto them.
SSL_MODES = frozenset({"disable", "allow", "prefer", "require", "verify-ca", "verify-full"})
_SSL_BOOLEANS = {
    "true": "require",
    "1": "require",
    "yes": "require",
    "on": "require",
    "false": "disable",
    "0": "disable",
    "no": "disable",
    "off": "disable",
}


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


def failure_reason(exc: BaseException) -> str:
    """The exception's type and the first line of the driver's own message (no SQL)."""
    reason = str(getattr(exc, "orig", None) or exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {reason}"


class DatabaseUrlError(ValueError):
    """A DATABASE_URL the driver cannot use; the message never contains the URL."""


def split_ssl(url: str) -> tuple[str, str | None]:
    """Take `sslmode`/`ssl` out of a PostgreSQL URL and return asyncpg's `ssl` argument.

    Platforms hand out URLs ending in `?sslmode=require` (libpq's spelling); asyncpg
    refuses that keyword, so it is translated rather than passed through.
    """
    parsed = make_url(url)
    query = dict(parsed.query)
    raw = query.pop("sslmode", None) or query.pop("ssl", None)
    query.pop("ssl", None)
    if raw is None:
        return url, None
    value = str(raw if isinstance(raw, str) else raw[-1]).strip().lower()
    mode = _SSL_BOOLEANS.get(value, value)
    if mode not in SSL_MODES:
        raise DatabaseUrlError(
            f"DATABASE_URL has sslmode={value!r}; use one of " + ", ".join(sorted(SSL_MODES))
        )
    return parsed.set(query=query).render_as_string(hide_password=False), mode


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
    Nor may a fan-out's sends hold up what people wait for: after `fast_run` fast turns
    in a row, a queued ordinary transaction goes next. (Strictly first, 16 intros keep
    the fast lane full; a /poll sent during a 250-intro burst waited for all of them.)
    """

    def __init__(self, capacity: int, *, fast_run: int = 2) -> None:
        self._capacity = capacity
        self._in_use = 0
        self._holders: set[asyncio.Task[Any]] = set()
        self._lanes: tuple[deque[asyncio.Future[None]], ...] = (deque(), deque())
        self._fast_run = fast_run
        self._fast_in_a_row = 0

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
        fast, ordinary = self._lanes
        if self._fast_in_a_row >= self._fast_run and ordinary:
            lanes = (ordinary, fast)
        else:
            lanes = (fast, ordinary)
        for lane in lanes:
            while lane:
                turn = lane.popleft()
                if not turn.done():
                    self._fast_in_a_row = self._fast_in_a_row + 1 if lane is fast else 0
                    turn.set_result(None)  # the turn passes straight on
                    return
        self._fast_in_a_row = 0
        self._in_use -= 1


class Database:
    """Owns the async engine; hands out sessions that commit on success."""

    def __init__(
        self, url: str, *, echo: bool = False, statement_timeout: float | None = STATEMENT_TIMEOUT
    ) -> None:
        self.url = normalise_url(url)
        self.is_sqlite = self.url.startswith("sqlite")
        kwargs: dict[str, Any] = {"echo": echo}
        engine_url = self.url
        if self.is_sqlite:
            kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        else:
            engine_url, ssl = split_ssl(self.url)
            connect_args: dict[str, Any] = {
                "timeout": CONNECT_TIMEOUT,
                "command_timeout": statement_timeout,
            }
            if ssl is not None:
                connect_args["ssl"] = ssl
            kwargs.update(
                pool_size=POOL_SIZE,
                max_overflow=POOL_OVERFLOW,
                pool_pre_ping=True,
                pool_timeout=CONNECT_TIMEOUT * 2,
                connect_args=connect_args,
            )
        self.engine: AsyncEngine = create_async_engine(engine_url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _on_sqlite_connect)
        self._sessions = async_sessionmaker(
            self.engine, class_=AsyncSession, expire_on_commit=False
        )
        self._turns = _Turns(1 if self.is_sqlite else POOL_SIZE + POOL_OVERFLOW)
        self._last_ok = 0.0
        self._down = False
        self._ping_task: asyncio.Future[str | None] | None = None

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
            self._last_ok = time.monotonic()

    def _turn(self, priority: bool) -> AbstractAsyncContextManager[None]:
        return self._turns.hold(priority=priority)

    def turn(self) -> AbstractAsyncContextManager[None]:
        """Hold one turn across several short transactions (they do not queue again)."""
        return self._turns.hold()

    async def ping(self, *, within: float = 1.0) -> bool:
        """True when the database answers a trivial query within `within` seconds, or is
        plainly busy rather than gone (see below).

        The query runs in its own task, which is left to finish (or time out) on its own:
        cancelling a connection stuck on a silent network hangs in its clean-up. Logs once
        when the database stops answering and once when it is back.
        """
        asked = time.monotonic()
        if self._ping_task is None or self._ping_task.done():
            self._ping_task = asyncio.ensure_future(self._ping_once())
        done, _ = await asyncio.wait({self._ping_task}, timeout=within)
        if self._ping_task in done:
            failure = self._ping_task.result()
        elif self._last_ok >= asked or self.is_sqlite:
            # Slow, not gone: a transaction committed while the ping waited, or the
            # database is a local file, which a busy process (a burst of votes on a
            # loaded machine) delays but no network can take away. Calling that an
            # outage would refuse the very votes that keep it busy.
            return True
        else:
            failure = "no answer in time"
        if failure is not None:
            if not self._down:
                self._down = True
                log.warning("database is not answering", extra={"error": failure[:200]})
            return False
        self._last_ok = time.monotonic()
        if self._down:
            self._down = False
            log.info("database answers again")
        return True

    async def _ping_once(self) -> str | None:
        """None when the database answered; else why not."""
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception as exc:  # any driver error means "not answering"
            return failure_reason(exc)
        return None

    async def reachable(self, *, within: float = 1.0) -> bool:
        """Whether to act on a request now: a recent success says yes without asking."""
        if not self._down and time.monotonic() - self._last_ok < FRESH_SECONDS:
            return True
        return await self.ping(within=within)

    async def dispose(self) -> None:
        if self._ping_task is not None and not self._ping_task.done():
            self._ping_task.cancel()
        await self.engine.dispose()
