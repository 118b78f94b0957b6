"""Book-club use-cases on the real database: claims happen once, a re-planned meeting keeps
its RSVPs, a cancelled club cancels its meeting, a deleted vote frees the club to vote again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from activities import manage, rsvp_answers
from activities.actor import Actor
from activities.errors import UserError
from activities.kinds.bookclub import rules
from activities.kinds.bookclub import steps as club_steps
from activities.kinds.bookclub import use_cases as club_uc
from activities.kinds.poll import use_cases as polls
from storage import rsvps
from storage.db import Database
from storage.models import Activity, OutboxMessage
from tests.kinds import create_activity

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
TEAM = "T0001"


async def a_club_reading_a_book(db: Database) -> Activity:
    club = await create_activity(
        db,
        kind="bookclub",
        inputs={"schedule": "every 4 weeks on thursday 12:30"},
        team_id=TEAM,
        actor_id="UORG",
        channel_id="C0BOOKS",
        now=NOW,
    )
    async with db.session() as session:
        for title in ("Piranesi", "Circe"):
            await club_uc.propose(
                session, Actor(TEAM, "UMEM", NOW), club=club, book=rules.ProposalInput(title)
            )
        round_ = await club_uc.open_vote(
            session, Actor(TEAM, "UORG", NOW), club=club, closes_after=timedelta(days=1)
        )
        await polls.close_poll(
            session,
            actor=Actor(TEAM, "UORG", NOW),
            poll_id=round_.poll_id or 0,
            may_organise=True,
        )
        assert len(await club_uc.settle_votes(session, now=NOW)) == 1
        assert await club_uc.settle_votes(session, now=NOW) == []  # settled once
    return club


async def intents_named(db: Database, name: str) -> list[OutboxMessage]:
    async with db.session() as session:
        rows = await session.exec(select(OutboxMessage).where(OutboxMessage.intent == name))
        return list(rows.all())


async def test_steps_are_claimed_once_and_a_moved_meeting_keeps_its_answers(db: Database) -> None:
    club = await a_club_reading_a_book(db)
    assert club.id is not None
    async with db.session() as session:
        await club_uc.plan(
            session, club=club, meeting_text="2026-12-31", sections_text="a; b", now=NOW
        )
    old_key = f"bookclub:{club.id}:meeting:2026-12-31"
    async with db.session() as session:
        await rsvp_answers.answer(
            session, Actor(team_id=TEAM, user_id="UMEM", now=NOW), event_key=old_key, answer="going"
        )
    later = datetime(2026, 12, 24, 13, 0, tzinfo=UTC)
    for _ in range(2):  # two processes, or a restart: each step once
        async with db.session() as session:
            await club_steps.post_milestones(session, now=later)
            await club_steps.meeting_steps(session, now=later)
    assert len(await intents_named(db, "bookclub.milestone")) == 2
    assert len(await intents_named(db, "bookclub.meeting")) == 1

    async with db.session() as session:
        await club_uc.plan(
            session, club=club, meeting_text="2027-01-14", sections_text="a; b", now=later
        )
    async with db.session() as session:
        from_plan = await club_uc.plan(
            session,
            club=club,
            meeting_text="2027-01-21",
            sections_text="c",
            now=later + timedelta(minutes=1),
        )
    # Milestones already posted stay; the new sections follow them.
    assert [m.section for m in from_plan.milestones] == ["a", "b", "c"]
    assert from_plan.round.sections == ["a", "b", "c"]
    moved, _ = await intents_named(db, "bookclub.moved")
    assert moved.payload["user_id"] == "UMEM"
    async with db.session() as session:
        with pytest.raises(UserError, match="cancelled"):
            await rsvp_answers.answer(
                session,
                Actor(team_id=TEAM, user_id="UORG", now=later),
                event_key=old_key,
                answer="going",
            )
        new_key = f"bookclub:{club.id}:meeting:2027-01-21"
        assert await rsvps.going(session, team_id=TEAM, event_key=new_key) == ["UMEM"]


async def test_a_cancelled_club_cancels_its_meeting(db: Database) -> None:
    club = await a_club_reading_a_book(db)
    assert club.id is not None
    async with db.session() as session:
        await club_uc.plan(
            session, club=club, meeting_text="2026-12-31", sections_text="a", now=NOW
        )
        await manage.change_state(
            session,
            Actor(team_id=TEAM, user_id="UORG", now=NOW),
            activity_id=club.id,
            action="cancel",
        )
        await club_steps.meeting_steps(session, now=NOW)
    async with db.session() as session:
        with pytest.raises(UserError, match=r"^This event was cancelled\.$"):
            await rsvp_answers.answer(
                session,
                Actor(team_id=TEAM, user_id="UMEM", now=NOW),
                event_key=f"bookclub:{club.id}:meeting:2026-12-31",
                answer="going",
            )
        assert await club_uc.history(session, club=club) == []


async def test_a_deleted_vote_lets_the_club_vote_again(db: Database) -> None:
    club = await create_activity(
        db,
        kind="bookclub",
        inputs={"schedule": "every 4 weeks on thursday 12:30"},
        team_id=TEAM,
        actor_id="UORG",
        channel_id="C0BOOKS",
        now=NOW,
    )
    async with db.session() as session:
        for title in ("Piranesi", "Circe"):
            await club_uc.propose(
                session, Actor(TEAM, "UMEM", NOW), club=club, book=rules.ProposalInput(title)
            )
        first = await club_uc.open_vote(
            session, Actor(TEAM, "UORG", NOW), club=club, closes_after=timedelta(days=1)
        )
        with pytest.raises(UserError, match="already open"):
            await club_uc.open_vote(
                session, Actor(TEAM, "UORG", NOW), club=club, closes_after=timedelta(days=1)
            )
        await polls.delete_poll(
            session,
            actor=Actor(TEAM, "UORG", NOW),
            poll_id=first.poll_id or 0,
            may_organise=True,
        )
        second = await club_uc.open_vote(
            session, Actor(TEAM, "UORG", NOW), club=club, closes_after=timedelta(days=1)
        )
    assert second.poll_id != first.poll_id
