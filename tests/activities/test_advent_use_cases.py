"""Advent use-cases on the real databases: the queue, pins and reordering, days claimed once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from activities.errors import UserError
from activities.kinds.advent import use_cases as advent
from storage.db import Database
from storage.models import Activity, OutboxMessage
from tests.kinds import create_activity

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


async def new_run(db: Database) -> Activity:
    return await create_activity(
        db,
        kind="advent",
        inputs={"from": "2026-12-01", "to": "2026-12-04", "time": "09:00"},
        team_id="T1",
        actor_id="UORG",
        channel_id="C1",
        now=NOW,
        timezone="Europe/Berlin",
    )


async def texts(db: Database, run: Activity) -> list[str | None]:
    async with db.session() as session:
        days = await advent.planned_days(session, activity=run)
    return [d.entry.text if d.entry else None for d in days]


async def test_entries_fill_days_in_order_pins_take_their_day_and_moves_reorder(
    db: Database,
) -> None:
    run = await new_run(db)
    async with db.session() as session:
        await advent.add_entries(session, activity=run, actor_id="UORG", text="a\nb\nc", now=NOW)
    assert await texts(db, run) == ["a", "b", "c", None]
    async with db.session() as session:
        ids = {
            d.entry.text: d.entry.id
            for d in await advent.planned_days(session, activity=run)
            if d.entry and d.entry.id is not None
        }
        await advent.pin(session, activity=run, entry_id=ids["a"], day=date(2026, 12, 4), now=NOW)
        await advent.move(session, activity=run, entry_id=ids["c"], before_id=ids["b"])
    assert await texts(db, run) == ["c", "b", None, "a"]
    async with db.session() as session:
        with pytest.raises(UserError, match="isn't one of this run's days"):
            await advent.pin(
                session, activity=run, entry_id=ids["b"], day=date(2026, 12, 9), now=NOW
            )
        late = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
        with pytest.raises(UserError, match="posted already"):
            await advent.pin(
                session, activity=run, entry_id=ids["b"], day=date(2026, 12, 1), now=late
            )


async def test_a_due_day_is_posted_once_however_often_the_tick_runs(db: Database) -> None:
    run = await new_run(db)
    async with db.session() as session:
        await advent.add_entries(session, activity=run, actor_id="UORG", text="a\nb", now=NOW)
    two_days_in = datetime(2026, 12, 2, 8, 0, tzinfo=UTC) + timedelta(minutes=1)
    for _ in range(3):
        async with db.session() as session:
            await advent.tick(session, activity=run, now=two_days_in)
    async with db.session() as session:
        rows = (await session.exec(select(OutboxMessage))).all()
    days = sorted(r.dedupe_key for r in rows if r.intent == "advent.day")
    assert days == [f"advent:{run.id}:day:2026-12-01", f"advent:{run.id}:day:2026-12-02"]
    day_one = next(r for r in rows if r.dedupe_key.endswith("2026-12-01"))
    assert day_one.payload["late_since"] is not None  # a day missed while down says so
    # Days 3 and 4 have no entry and are at most two days off: the organiser hears, once each.
    gaps = sorted(
        (r.payload["day"], r.payload["user_id"]) for r in rows if r.intent == "advent.gap"
    )
    assert gaps == [("2026-12-03", "UORG"), ("2026-12-04", "UORG")]
