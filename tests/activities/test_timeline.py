"""The timeline contract: entries computed from schedules, with stable identities."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from activities import calendar, manage
from activities.actor import Actor
from activities.errors import UserError
from activities.timeline import TimelineEntry, Window
from storage import activities as activity_store
from storage.db import Database
from tests.kinds import CATALOG, create_activity

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # a Monday
WINDOW = Window(NOW, NOW + timedelta(weeks=4))


async def _entries(db: Database, now: datetime = NOW) -> list[TimelineEntry]:
    async with db.session() as session:
        return await calendar.entries(
            session, catalog=CATALOG, team_id="T1", window=WINDOW, now=now
        )


async def test_entries_follow_the_schedules_and_keep_their_uids_across_an_edit(
    db: Database,
) -> None:
    post = await create_activity(
        db,
        kind="announcement",
        inputs={"schedule": "every monday 09:00", "text": "Stand-up"},
        team_id="T1",
        actor_id="U1",
        channel_id="C1",
        now=NOW,
    )
    await create_activity(
        db,
        kind="coffee",
        inputs={"every": "2w", "day": "wed", "time": "10:00"},
        team_id="T1",
        actor_id="U1",
        channel_id="C2",
        now=NOW,
    )
    first = await _entries(db)
    posts = [e for e in first if e.kind == "announcement"]
    assert [e.start.date().isoformat() for e in posts] == [
        "2026-03-02",
        "2026-03-09",
        "2026-03-16",
        "2026-03-23",
    ]
    assert posts[0].start == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # London is on GMT
    coffee = [e.title for e in first if e.kind == "coffee"]
    assert len(coffee) == 4 and sum("check-in" in t for t in coffee) == 2, coffee
    assert len({e.uid for e in first}) == len(first)

    later = NOW + timedelta(minutes=5)
    async with db.session() as session:
        fresh = await activity_store.get_activity(session, team_id="T1", activity_id=post.id or 0)
        assert fresh is not None
        await activity_store.update_activity(session, activity=fresh, now=later, title="Notes")
        await session.commit()
    second = await _entries(db, later)
    assert [e.uid for e in second] == [e.uid for e in first]
    before = {e.uid: e.sequence for e in first}
    for e in second:
        if e.kind == "announcement":
            assert e.sequence > before[e.uid] and e.title == "Notes"
        else:
            assert e.sequence == before[e.uid]

    async with db.session() as session:
        await manage.change_state(
            session,
            Actor(team_id="T1", user_id="U1", now=later),
            activity_id=post.id or 0,
            action="cancel",
        )
        await session.commit()
    cancelled = [e for e in await _entries(db, later) if e.kind == "announcement"]
    assert cancelled and {e.status for e in cancelled} == {"cancelled"}
    assert {e.uid for e in cancelled} <= set(before)


def test_weeks_out_of_range_are_refused() -> None:
    assert calendar.parse_weeks([]) == 4
    assert calendar.parse_weeks(["12"]) == 12
    for bad in ("0", "13", "x"):
        try:
            calendar.parse_weeks([bad])
        except UserError as exc:
            assert "1 to 12 weeks" in str(exc)
        else:
            raise AssertionError(bad)
