"""Topic discussions: the pure rules, and topic changes on the real databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from activities.actor import Actor
from activities.errors import UserError
from activities.kinds.discussion import rules
from activities.kinds.discussion import use_cases as topics
from activities.kinds.discussion.rules import Ranked
from storage.db import Database
from storage.kinds.discussion.models import TopicState
from tests.kinds import create_activity

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def test_rank_is_most_votes_then_oldest() -> None:
    older, newer = NOW, NOW + timedelta(hours=1)
    found = rules.rank([Ranked(1, 1, newer), Ranked(2, 3, newer), Ranked(3, 1, older)])
    assert [r.topic_id for r in found] == [2, 3, 1]


def test_duplicates_ignore_case_spacing_and_end_punctuation() -> None:
    assert rules.normalise("  How do you   REVIEW PRs?! ") == "how do you review prs"
    with pytest.raises(UserError, match="already in the backlog \\(topic 4\\)"):
        rules.check_new("how do you review prs", [(4, "How do you review PRs?")])
    rules.check_new("How do you test PRs?", [(4, "How do you review PRs?")])


def test_topic_text_is_required_and_limited() -> None:
    assert rules.check_topic("  Monorepos \n yes or no ") == "Monorepos yes or no"
    with pytest.raises(UserError, match="Say what the topic is"):
        rules.check_topic("   ")
    with pytest.raises(UserError, match="the limit is 300"):
        rules.check_topic("x" * 301)


def test_the_channel_is_asked_two_days_ahead_when_fewer_than_two_topics_are_left() -> None:
    slot = NOW + timedelta(days=2)
    assert rules.needs_topics(1, slot, NOW)
    assert not rules.needs_topics(2, slot, NOW)
    assert not rules.needs_topics(0, slot + timedelta(minutes=1), NOW)
    assert not rules.needs_topics(0, None, NOW)


def test_digest_line() -> None:
    assert rules.digest_line(14, 41) == "14 people took part, 41 replies"
    assert rules.digest_line(1, 1) == "1 person took part, 1 reply"


async def test_merge_moves_votes_once_per_member_and_archived_topics_take_none(
    db: Database,
) -> None:
    series = await create_activity(
        db,
        kind="discussion",
        inputs={"every": "every other thursday 12:00"},
        team_id="T1",
        actor_id="UORG",
        channel_id="C1",
        now=NOW,
    )
    async with db.session() as session:
        a = await topics.add_topic(
            session, Actor(series.team_id, "U1", NOW), activity=series, text="PR reviews"
        )
        b = await topics.add_topic(
            session,
            Actor(series.team_id, "U2", NOW),
            activity=series,
            text="Reviewing pull requests",
        )
        assert a.id is not None and b.id is not None
        for user in ("U3", "U4"):
            await topics.vote(session, Actor(team_id="T1", user_id=user, now=NOW), topic_id=b.id)
        await topics.vote(session, Actor(team_id="T1", user_id="U3", now=NOW), topic_id=a.id)
        with pytest.raises(UserError, match="Only organisers"):
            await topics.change(
                session,
                Actor(team_id="T1", user_id="U2", now=NOW),
                topic_id=b.id,
                organiser=False,
                action="merge",
                into_id=a.id,
            )
        await topics.change(
            session,
            Actor(team_id="T1", user_id="UORG", now=NOW),
            topic_id=b.id,
            organiser=True,
            action="merge",
            into_id=a.id,
        )
        assert series.id is not None
        ranked = await topics.ranked_backlog(session, activity_id=series.id)
    assert [(t.text, n) for t, n in ranked] == [("PR reviews", 2)]  # U3 counted once
    async with db.session() as session:
        with pytest.raises(UserError, match="merged"):
            await topics.vote(session, Actor(team_id="T1", user_id="U5", now=NOW), topic_id=b.id)
        merged = await topics.load_series(session, team_id="T1", activity_id=series.id)
        assert merged.id == series.id
    async with db.session() as session:
        topic = await topics.change(
            session,
            Actor(team_id="T1", user_id="UORG", now=NOW),
            topic_id=a.id,
            organiser=True,
            action="edit",
            text="Reviewing PRs",
        )
        assert topic.text == "Reviewing PRs" and topic.state == TopicState.OPEN
