"""Talk use-cases on the real database: one talk a slot, a moved talk tells those going and
is checked in and reminded again for its new date, a speaker's "need to move" reaches the
organiser, calls for speakers at most once a fortnight."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from activities import rsvp_answers
from activities.actor import Actor
from activities.errors import UserError
from activities.kinds.talks import rules
from activities.kinds.talks import use_cases as talks
from storage.db import Database
from storage.models import Activity, OutboxMessage
from tests.kinds import create_activity

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
TEAM = "T0001"


async def a_series(db: Database) -> Activity:
    return await create_activity(
        db,
        kind="talks",
        inputs={"schedule": "every month on the first wednesday 13:00"},
        team_id=TEAM,
        actor_id="UORG",
        channel_id="C0TALKS",
        now=NOW,
    )


async def said(db: Database, name: str) -> list[OutboxMessage]:
    async with db.session() as session:
        rows = await session.exec(select(OutboxMessage).where(OutboxMessage.intent == name))
        return list(rows.all())


async def test_one_talk_a_slot_and_a_moved_talk_starts_its_steps_again(db: Database) -> None:
    series = await a_series(db)
    async with db.session() as session:
        first = await talks.volunteer(
            session, series=series, speaker_id="UMEM", talk=rules.TalkInput("One", ""), now=NOW
        )
        second = await talks.volunteer(
            session, series=series, speaker_id="UOTHER", talk=rules.TalkInput("Two", ""), now=NOW
        )
        with pytest.raises(UserError, match="already has a talk called"):
            await talks.volunteer(
                session, series=series, speaker_id="UX", talk=rules.TalkInput("one", ""), now=NOW
            )
        assert first.id is not None and second.id is not None
        await talks.schedule_talk(
            session, team_id=TEAM, talk_id=first.id, date_text="2027-01-06", now=NOW
        )
        with pytest.raises(UserError, match="That slot already has"):
            await talks.schedule_talk(
                session, team_id=TEAM, talk_id=second.id, date_text="2027-01-06", now=NOW
            )
    async with db.session() as session:
        await rsvp_answers.answer(
            session,
            Actor(team_id=TEAM, user_id="UFAN", now=NOW),
            event_key=f"talk:{first.id}",
            answer="going",
        )
    checkin_time = datetime(2027, 1, 4, 14, 0, tzinfo=UTC)
    for _ in range(2):
        async with db.session() as session:
            await talks.talk_steps(session, now=checkin_time)
    assert len(await said(db, "talks.announce")) == 1
    assert len(await said(db, "talks.checkin")) == 1

    async with db.session() as session:
        await talks.check_in(
            session,
            Actor(team_id=TEAM, user_id="UMEM", now=checkin_time),
            talk_id=first.id,
            answer="move",
        )
    (notice,) = await said(db, "organiser.notice")
    assert notice.payload["user_id"] == "UORG" and "needs to move" in notice.payload["text"]

    async with db.session() as session:
        await talks.schedule_talk(
            session, team_id=TEAM, talk_id=first.id, date_text="2027-02-03", now=checkin_time
        )
    (changed,) = await said(db, "talks.changed")
    assert changed.payload["user_id"] == "UFAN"
    async with db.session() as session:
        await talks.talk_steps(session, now=datetime(2027, 2, 1, 14, 0, tzinfo=UTC))
    assert len(await said(db, "talks.checkin")) == 2  # checked in again for the new date
    assert len(await said(db, "talks.announce")) == 1  # the announcement is updated instead


async def test_calls_for_speakers_at_most_once_a_fortnight(db: Database) -> None:
    await a_series(db)
    for days in (0, 1, 13):
        async with db.session() as session:
            await talks.call_for_speakers(session, now=NOW + timedelta(days=days))
    assert len(await said(db, "talks.call")) == 1
    async with db.session() as session:
        await talks.call_for_speakers(session, now=NOW + timedelta(days=14))
    assert len(await said(db, "talks.call")) == 2
