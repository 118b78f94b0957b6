"""Every topic-discussion query (keyword-only, the caller's session)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.actor import Actor
from storage.due import earliest_after
from storage.kinds.discussion.models import DiscussionTopic, TopicState, TopicVote
from storage.models import Activity, in_activity
from storage.rows import add_row, count_rows, mark_once, rows_where, team_row
from storage.savepoint import add_unique

KIND = "discussion"


async def add_topic(
    session: AsyncSession, actor: Actor, *, activity: Activity, text: str
) -> DiscussionTopic:
    """A topic `actor` proposes now for the series `activity`."""
    topic = DiscussionTopic(
        **in_activity(activity),
        text=text,
        proposer_id=actor.user_id,
        created_at=actor.now,
    )
    return await add_row(session, row=topic)


async def get_topic(
    session: AsyncSession, *, team_id: str, topic_id: int
) -> DiscussionTopic | None:
    return await team_row(session, model=DiscussionTopic, team_id=team_id, row_id=topic_id)


def _backlog(activity_id: int) -> tuple[ColumnElement[bool], ...]:
    """A series' backlog: its open topics (not used, withdrawn, removed or merged)."""
    return (
        col(DiscussionTopic.activity_id) == activity_id,
        col(DiscussionTopic.state) == TopicState.OPEN,
    )


async def open_with_votes(
    session: AsyncSession, *, activity_id: int
) -> list[tuple[DiscussionTopic, int]]:
    """The backlog: open topics with their upvote counts, oldest first."""
    votes = (
        select(TopicVote.topic_id, func.count().label("n"))
        .group_by(col(TopicVote.topic_id))
        .subquery()
    )
    result = await session.exec(
        select(DiscussionTopic, func.coalesce(votes.c.n, 0))
        .join(votes, votes.c.topic_id == DiscussionTopic.id, isouter=True)
        .where(*_backlog(activity_id))
        .order_by(col(DiscussionTopic.created_at), col(DiscussionTopic.id))
    )
    return [(topic, int(n)) for topic, n in result.all()]


async def count_open(
    session: AsyncSession, *, activity_id: int, since: datetime | None = None
) -> int:
    """Topics in a series' backlog; with `since`, only those added after it."""
    added = [col(DiscussionTopic.created_at) > since] if since is not None else []
    return await count_rows(session, table=DiscussionTopic, where=(*_backlog(activity_id), *added))


async def used(
    session: AsyncSession, *, activity_id: int, limit: int = 50
) -> list[DiscussionTopic]:
    """The archive: topics already posted, newest first."""
    posted = (DiscussionTopic.activity_id == activity_id, DiscussionTopic.state == TopicState.USED)
    newest = (col(DiscussionTopic.used_at).desc(),)
    return await rows_where(
        session, model=DiscussionTopic, where=posted, order_by=newest, limit=limit
    )


async def add_vote(session: AsyncSession, *, topic_id: int, user_id: str, now: datetime) -> bool:
    """False when this member already upvoted this topic."""
    return await add_unique(session, TopicVote(topic_id=topic_id, user_id=user_id, created_at=now))


async def move_votes(session: AsyncSession, *, from_id: int, into_id: int, now: datetime) -> None:
    """A merged topic's upvotes count for the one it was merged into (once per member)."""
    for vote in await rows_where(session, model=TopicVote, where=(TopicVote.topic_id == from_id,)):
        await add_vote(session, topic_id=into_id, user_id=vote.user_id, now=now)


async def claim_due_digests(
    session: AsyncSession, *, used_before: datetime, now: datetime
) -> list[DiscussionTopic]:
    """Used topics whose next-day digest is due, each claimed once (compare-and-set)."""
    owed = await rows_where(
        session,
        model=DiscussionTopic,
        where=(
            DiscussionTopic.state == TopicState.USED,
            col(DiscussionTopic.digest_at).is_(None),
            col(DiscussionTopic.used_at) <= used_before,
        ),
    )
    claimed = []
    digested = col(DiscussionTopic.digest_at)
    for topic in owed:
        assert topic.id is not None
        if await mark_once(session, model=DiscussionTopic, row_id=topic.id, step=digested, now=now):
            claimed.append(topic)
    return claimed


async def next_used_for_digest(session: AsyncSession, *, after: datetime) -> datetime | None:
    """The earliest use later than `after` of the used topics still owed their digest."""
    return await earliest_after(
        session,
        column=DiscussionTopic.used_at,
        where=(DiscussionTopic.state == TopicState.USED, col(DiscussionTopic.digest_at).is_(None)),
        after=after,
    )
