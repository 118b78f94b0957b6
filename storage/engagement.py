"""Reactions and thread replies on the bot's own posts: who and how many, never any text.

One `Engagement` row per (post, person, kind, detail): the reaction's name, or the
reply's own ts. Each row remembers the Slack `event_ts` that last set it, so an
event arriving late (a removal before its addition) or twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Index, UniqueConstraint, func
from sqlmodel import Field, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import OutboxMessage
from storage.savepoint import add_unique
from storage.types import TeamChildRow, UTCDateTime, utcnow

REACTION = "reaction"
REPLY = "reply"

Outbox = OutboxMessage.__table__  # type: ignore[attr-defined]

# Events name a post by channel and ts: find the courier's row for it quickly.
OUTBOX_BY_MESSAGE = Index("ix_outbox_channel_ts", Outbox.c.channel_id, Outbox.c.ts)


@dataclass(frozen=True, slots=True)
class Post:
    """A message as Slack's events name it: its workspace, channel and ts."""

    team_id: str
    channel_id: str
    ts: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Mark:
    """What one event says of one person's reaction (`detail`: its name) or thread reply
    (`detail`: the reply's own ts) on `post`: there (`present`) or not, as of `event_ts`.
    Made by `reaction` or `reply`, which name what `detail` is."""

    post: Post
    user_id: str
    kind: str
    detail: str
    present: bool
    event_ts: str

    @classmethod
    def reaction(cls, post: Post, *, user_id: str, name: str, present: bool, at: str) -> Mark:
        return cls(
            post=post, user_id=user_id, kind=REACTION, detail=name, present=present, event_ts=at
        )

    @classmethod
    def reply(cls, post: Post, *, user_id: str, reply_ts: str, present: bool, at: str) -> Mark:
        return cls(
            post=post, user_id=user_id, kind=REPLY, detail=reply_ts, present=present, event_ts=at
        )


class Engagement(TeamChildRow, table=True):
    """One person's reaction (by name) or thread reply (by its ts) on one bot post."""

    __table_args__ = (
        UniqueConstraint(
            "team_id", "channel_id", "message_ts", "user_id", "kind", "detail", name="uq_engagement"
        ),
        Index("ix_engagement_post", "team_id", "channel_id", "message_ts"),
    )
    channel_id: str = Field(max_length=32)
    message_ts: str = Field(max_length=32)
    user_id: str = Field(max_length=32)
    kind: str = Field(max_length=16)
    detail: str = Field(max_length=100)
    present: bool = True
    event_ts: str = Field(default="", max_length=32)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


async def is_bot_post(session: AsyncSession, post: Post) -> bool:
    """Whether the courier sent this message (the bot's own post)."""
    if not post.channel_id or not post.ts:
        return False
    result = await session.exec(
        select(Outbox.c.id)
        .where(
            Outbox.c.channel_id == post.channel_id,
            Outbox.c.ts == post.ts,
            Outbox.c.team_id == post.team_id,
        )
        .limit(1)
    )
    return result.first() is not None


def _on(post: Post) -> tuple[ColumnElement[bool], ...]:
    """The rows of one post."""
    return (
        col(Engagement.team_id) == post.team_id,
        col(Engagement.channel_id) == post.channel_id,
        col(Engagement.message_ts) == post.ts,
    )


def _newer(incoming: str, stored: str) -> bool:
    try:
        return float(incoming) > float(stored or 0)
    except ValueError:
        return False


async def apply(session: AsyncSession, mark: Mark, *, now: datetime) -> bool:
    """Set one row present or absent unless a newer event already decided it.

    True when the counts changed."""
    detail = mark.detail[:100]  # the column's width (a reaction's name is free text)
    key = (
        *_on(mark.post),
        col(Engagement.user_id) == mark.user_id,
        col(Engagement.kind) == mark.kind,
        col(Engagement.detail) == detail,
    )
    for _ in range(2):
        found = (await session.exec(select(Engagement).where(*key))).first()
        if found is None:
            row = Engagement(
                team_id=mark.post.team_id,
                channel_id=mark.post.channel_id,
                message_ts=mark.post.ts,
                user_id=mark.user_id,
                kind=mark.kind,
                detail=detail,
                present=mark.present,
                event_ts=mark.event_ts,
                updated_at=now,
            )
            if await add_unique(session, row):
                return mark.present  # an absent row (a removal first) changes no count
            continue  # another delivery inserted it first: decide against that row
        if not _newer(mark.event_ts, found.event_ts):
            return False
        changed = found.present != mark.present
        found.present = mark.present
        found.event_ts = mark.event_ts
        found.updated_at = now
        session.add(found)
        await session.flush()
        return changed
    return False


async def counts(session: AsyncSession, post: Post) -> dict[str, int]:
    """How many reactions and replies a post has now, by kind."""
    result = await session.exec(
        select(Engagement.kind, func.count())
        .where(*_on(post), Engagement.present == True)  # noqa: E712
        .group_by(Engagement.kind)
    )
    return {str(kind): int(n) for kind, n in result.all()}


async def people(session: AsyncSession, post: Post, *, kind: str | None) -> list[str]:
    """The distinct people who reacted or replied (or only one `kind` of it), sorted."""
    stmt = select(Engagement.user_id).where(*_on(post), Engagement.present == True)  # noqa: E712
    if kind is not None:
        stmt = stmt.where(Engagement.kind == kind)
    result = await session.exec(stmt.distinct())
    return sorted(str(u) for u in result.all())
