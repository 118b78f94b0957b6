"""Calendar feed tokens on the real databases: a feed's first two asks at once get one token."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

from sqlalchemy import text
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage import calendar
from storage.db import Database

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
TEAM, USER = "T1", "U1"

# Sessions of this database waiting for a lock another transaction holds.
WAITING = text(
    "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
    " WHERE NOT l.granted AND a.datname = current_database()"
)


async def until_another_waits(session: AsyncSession) -> None:
    """Return once another transaction waits for one of this one's locks (5 s at most)."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if (await session.exec(WAITING)).one()[0]:  # type: ignore[call-overload]
            return
        await asyncio.sleep(0.01)


async def test_two_first_asks_at_once_share_one_token(db: Database) -> None:
    """Two first asks for one feed at once (a double click on /community calendar): the
    second one's insert meets the first one's row at the unique rule and reads that row,
    instead of failing the request with an IntegrityError."""
    first_added = asyncio.Event()

    async def first() -> str:
        async with db.session() as session:
            row = await calendar.token_for(session, team_id=TEAM, user_id=USER, now=NOW)
            first_added.set()
            if not db.is_sqlite:
                # Commit only once the second ask, which read no row, waits on this one's.
                await until_another_waits(session)
            return row.token

    async def second() -> str:
        await first_added.wait()
        # SQLite: the session waits for the first one's turn (one writer), then reads its row.
        async with db.session() as session:
            row = await calendar.token_for(session, team_id=TEAM, user_id=USER, now=NOW)
            return row.token

    first_token, second_token = await asyncio.gather(first(), second())
    assert first_token == second_token
    async with db.session() as session:
        rows = (await session.exec(select(calendar.CalendarToken))).all()
    assert [(r.user_id, r.token) for r in rows] == [(USER, first_token)]
