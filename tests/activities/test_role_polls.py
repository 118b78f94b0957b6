"""A poll among volunteers: its options and leaders (pure), and on the real database one
open poll a role even when two admins open it at once, and a deleted poll that frees it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from activities import governance, role_polls
from activities.actor import Actor
from activities.errors import UserError
from activities.kinds.poll import use_cases as polls
from activities.role_poll_rules import leaders, option_labels
from storage import outbox
from storage.db import Database

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
ADMINS = frozenset({"UADMIN"})
NAMES = {"UA": "Ada", "UB": "Ben"}


def test_labels_are_distinct_and_never_blank() -> None:
    assert option_labels(["Sam", "sam ", "", "  Ada  Lovelace "]) == [
        "Sam",
        "sam (2)",
        "Volunteer 3",
        "Ada Lovelace",
    ]
    assert len(option_labels([f"P{i}" for i in range(14)])) == 10
    assert all(len(label) <= 75 - 8 for label in option_labels(["x" * 200]))


def test_leaders_are_the_most_voted_or_everyone_without_votes() -> None:
    assert leaders([1, 3, 0]) == [1]
    assert leaders([2, 2, 1]) == [0, 1]
    assert leaders([0, 0]) == [0, 1]


async def _call_with(db: Database, people: list[str]) -> int:
    async with db.session() as session:
        await governance.create_role(
            session,
            actor=Actor("T1", "UADMIN", NOW),
            name="Sponsor",
            activity_id=None,
            involves="",
            checklist="",
            channel_id="C1",
        )
        call = await role_polls.call_of_role(session, team_id="T1", text="sponsor")
        assert call.id is not None
        for user in people:
            await governance.volunteer(
                session, actor=Actor("T1", user, NOW), call_id=call.id, note=""
            )
        return call.id


async def _open(url: str, call_id: int, actor: str) -> str:
    process = Database(url)  # another process: its own engine and connections
    try:
        async with process.session() as session:
            await role_polls.open_poll(
                session,
                actor=Actor("T1", actor, NOW),
                call_id=call_id,
                names=NAMES,
                closes_after=timedelta(days=1),
            )
        return "opened"
    except UserError as refused:
        return str(refused)
    finally:
        await process.dispose()


async def test_one_open_poll_a_role_and_a_deleted_one_frees_it(db: Database, db_url: str) -> None:
    call_id = await _call_with(db, ["UA"])
    assert "at least two volunteers" in await _open(db_url, call_id, "UADMIN")
    async with db.session() as session:
        await governance.volunteer(session, actor=Actor("T1", "UB", NOW), call_id=call_id, note="")
    if db_url.startswith("postgresql"):
        outcomes = list(
            await asyncio.gather(_open(db_url, call_id, "UADMIN"), _open(db_url, call_id, "UWS"))
        )
    else:  # SQLite has one writer: one after the other is what it can show
        outcomes = [await _open(db_url, call_id, "UADMIN"), await _open(db_url, call_id, "UWS")]
    assert outcomes.count("opened") == 1
    assert any("already open" in said for said in outcomes)
    async with db.session() as session:
        rows = await outbox.list_rows(session, team_id="T1")
        assert [r.intent for r in rows].count("poll.post") == 1
        (poll_id,) = [int(r.payload["poll_id"]) for r in rows if r.intent == "poll.post"]
        await polls.delete_poll(
            session, actor=Actor("T1", "UADMIN", NOW), poll_id=poll_id, may_organise=True
        )
    async with db.session() as session:
        assert len(await role_polls.settle_closed(session, now=NOW, admin_ids=ADMINS)) == 1
        assert await role_polls.settle_closed(session, now=NOW, admin_ids=ADMINS) == []
        rows = await outbox.list_rows(session, team_id="T1")
    assert not any(r.intent == "roles.poll_result" for r in rows)  # deleted: nothing to tell
    assert await _open(db_url, call_id, "UADMIN") == "opened"


@pytest.mark.parametrize("count", [0, 1])
async def test_fewer_than_two_volunteers_is_refused(db: Database, count: int) -> None:
    call_id = await _call_with(db, ["UA"][:count])
    async with db.session() as session:
        with pytest.raises(UserError, match=f"has {count}"):
            await role_polls.open_poll(
                session,
                actor=Actor("T1", "UADMIN", NOW),
                call_id=call_id,
                names=NAMES,
                closes_after=timedelta(days=1),
            )
