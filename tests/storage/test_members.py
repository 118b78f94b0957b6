"""Profiles saved in bulk on the real databases: any number of people in a few
statements, the latest facts winning, and two transactions saving the same people in
opposite orders both succeed (rows are locked in one order)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from storage import members
from storage.db import Database
from storage.models import MemberBase

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
TEAM = "T1"


def people(count: int, *, title: str) -> list[MemberBase]:
    return [MemberBase(team_id=TEAM, user_id=f"U{i:04d}", title=title) for i in range(count)]


async def test_many_profiles_are_saved_and_refreshed_the_last_copy_winning(db: Database) -> None:
    async with db.session() as session:
        await members.upsert_members(session, profiles=people(1_200, title="old"), now=NOW)
    later = NOW + timedelta(days=1)
    again = [*people(1_300, title="new"), MemberBase(team_id=TEAM, user_id="U0007", title="last")]
    async with db.session() as session:
        await members.upsert_members(session, profiles=again, now=later)
    async with db.session() as session:
        found = await members.get_members(
            session, team_id=TEAM, user_ids=[p.user_id for p in again]
        )
    assert len(found) == 1_300
    assert found["U0007"].title == "last"
    assert {m.title for uid, m in found.items() if uid != "U0007"} == {"new"}
    assert {m.refreshed_at for m in found.values()} == {later}


async def test_two_transactions_saving_the_same_people_in_opposite_orders_both_succeed(
    db: Database,
) -> None:
    crowd = people(3 * members.UPSERT_CHUNK, title="t")  # a few statements each

    async def save(order: list[MemberBase]) -> None:
        async with db.session() as session:
            await members.upsert_members(session, profiles=order, now=NOW)
            # Each holds its rows a moment: written in opposite orders, each would wait
            # for a row the other holds, and PostgreSQL would end one as a deadlock.
            await asyncio.sleep(0.3)

    await asyncio.gather(save(crowd), save(crowd[::-1]))
    async with db.session() as session:
        found = await members.get_members(
            session, team_id=TEAM, user_ids=[p.user_id for p in crowd]
        )
    assert len(found) == len(crowd)
