"""The scheduling backbone on a real database: a slot is claimed once, whoever asks."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from activities import manage, runner
from activities.channels import ChannelAccess
from activities.clock import ManualClock
from activities.kind import Profile
from storage.db import Database
from storage.models import OutboxMessage, Run
from tests.kinds import CATALOG, create_activity

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


class NoDirectory:
    async def channel_members(self, team_id: str, channel_id: str) -> list[str]:
        return []

    async def profile(self, team_id: str, user_id: str) -> Profile | None:
        return None

    async def profiles(self, team_id: str, user_ids: Sequence[str]) -> dict[str, Profile]:
        return {}

    async def channels_of(self, team_id: str, user_ids: Sequence[str]) -> dict[str, frozenset[str]]:
        return {}

    async def channel_access(self, team_id: str, channel_id: str, user_id: str) -> ChannelAccess:
        return "public"


async def _announcement(db: Database) -> int:
    activity = await create_activity(
        db,
        kind="announcement",
        inputs={"schedule": "every monday 09:00", "text": "hi"},
        team_id="T1",
        actor_id="U1",
        channel_id="C1",
        now=NOW,
    )
    assert activity.id is not None
    return activity.id


async def test_two_schedulers_racing_run_a_slot_once(db: Database) -> None:
    await _announcement(db)
    clock = ManualClock(NOW + timedelta(hours=1, minutes=1))
    results = await asyncio.gather(
        *(
            runner.tick(db.session, clock=clock, directory=NoDirectory(), catalog=CATALOG)
            for _ in range(4)
        )
    )
    assert sum(len(r) for r in results) == 1
    async with db.session() as session:
        runs = (await session.exec(select(Run))).all()
        posts = (await session.exec(select(OutboxMessage))).all()
    assert len(runs) == 1 and len(posts) == 1


async def test_weekly_slots_follow_the_schedule_across_dst(db: Database) -> None:
    activity_id = await _announcement(db)
    async with db.session() as session:
        activity = await manage.load(session, team_id="T1", activity_id=activity_id)
    times = manage.preview(activity, now=datetime(2027, 3, 20, tzinfo=UTC), count=2)
    # 09:00 in London is 09:00 UTC before the change (GMT) and 08:00 UTC after it (BST).
    assert [(t.day, t.hour) for t in times] == [(22, 9), (29, 8)]
