"""Rotation on the real database: each step is claimed once, even by two processes."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest

from activities import governance, roles
from activities.actor import Actor
from activities.errors import UserError
from storage import governance as governance_store
from storage import outbox
from storage.db import Database

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
ADMINS = frozenset({"UADMIN"})


async def _rotate(url: str) -> None:
    process = Database(url)  # another process: its own engine and connections
    try:
        async with process.session() as session:
            await governance.rotate(session, now=NOW, admin_ids=ADMINS)
    finally:
        await process.dispose()


async def test_two_processes_rotating_at_once_send_each_reminder_once(
    db: Database, db_url: str
) -> None:
    async with db.session() as session:
        await roles.assign(
            session,
            actor=Actor("T1", "UADMIN", NOW - timedelta(days=300)),
            user_id="UORG",
            profile=None,
            role=roles.ORGANISER,
            until=(NOW + timedelta(days=20)).date(),
            channel_id="C1",
        )
    if db_url.startswith("postgresql"):
        await asyncio.gather(_rotate(db_url), _rotate(db_url))
    else:  # SQLite has one writer: a restart in between is what it can show
        await _rotate(db_url)
        await _rotate(db_url)
    async with db.session() as session:
        rows = await outbox.list_rows(session, team_id="T1")
    kinds = sorted(r.intent for r in rows)
    # 20 days left: the 30-day window's DM to the holder and the admin, and the call.
    assert kinds == ["roles.rotation_ask", "roles.rotation_ask", "roles.volunteer_call"]
    assert sorted(r.dedupe_key.rsplit(":", 1)[-1] for r in rows if "ask" in r.intent) == [
        "UADMIN",
        "UORG",
    ]
    assert all(":w30:" in r.dedupe_key for r in rows if "ask" in r.intent)


async def test_a_term_inside_the_seven_day_window_gets_only_that_reminder(db: Database) -> None:
    async with db.session() as session:
        await roles.assign(
            session,
            actor=Actor("T1", "UADMIN", NOW),
            user_id="UORG",
            profile=None,
            role=roles.ORGANISER,
            until=(NOW + timedelta(days=5)).date(),
        )
        await governance.rotate(session, now=NOW, admin_ids=ADMINS)
        await governance.rotate(session, now=NOW + timedelta(days=1), admin_ids=ADMINS)
        rows = await outbox.list_rows(session, team_id="T1")
    asks = [r.dedupe_key for r in rows if r.intent == "roles.rotation_ask"]
    assert len(asks) == 2 and all(":w7:" in key for key in asks)


async def test_renewing_moves_the_end_on_one_term_and_settles_the_call(db: Database) -> None:
    ends = (NOW + timedelta(days=20)).date()
    async with db.session() as session:
        term = await roles.assign(
            session,
            actor=Actor("T1", "UADMIN", NOW - timedelta(days=100)),
            user_id="UORG",
            profile=None,
            role=roles.ORGANISER,
            until=ends,
        )
        await governance.rotate(session, now=NOW, admin_ids=ADMINS)
        assert term.id is not None
        term_id = term.id
    answer = {"term_id": term_id, "cycle": 0}
    async with db.session() as session:
        with pytest.raises(UserError, match="Only the holder"):
            await governance.decide(
                session,
                actor=Actor("T1", "UMEM", NOW),
                actor_is_admin=False,
                choice="renew",
                **answer,
            )
    async with db.session() as session:
        renewed = await governance.decide(
            session, actor=Actor("T1", "UORG", NOW), actor_is_admin=False, choice="renew", **answer
        )
    # A new year starts the day after the old end: it ends on the same date next year.
    assert renewed.ends_on == date(ends.year + 1, ends.month, ends.day)
    assert renewed.cycle == 1 and renewed.reminded_30_at is None
    async with db.session() as session:
        with pytest.raises(UserError, match=r"Already settled: renewed by <@UORG>"):
            await governance.decide(
                session,
                actor=Actor("T1", "UADMIN", NOW),
                actor_is_admin=True,
                choice="lapse",
                **answer,
            )
        assert await governance_store.open_calls(session, team_id="T1") == []
