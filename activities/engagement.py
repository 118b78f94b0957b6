"""Members taking part by reacting and replying: recorded for the bot's own posts only.

Shared by every kind (advent days, discussion prompts, later the report): the
events listener records, kinds ask "how did this post do" and "who took part".
Only who and how many are kept; never the text of a reply.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from storage import engagement as store

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PostStats:
    reactions: int = 0
    replies: int = 0


async def record_reaction(
    session: AsyncSession,
    *,
    team_id: str,
    channel_id: str,
    message_ts: str,
    user_id: str,
    reaction: str,
    added: bool,
    event_ts: str,
    now: datetime,
) -> bool:
    """A reaction added or removed; ignored unless it is on one of the bot's posts."""
    if not await store.is_bot_post(session, team_id=team_id, channel_id=channel_id, ts=message_ts):
        return False
    return await store.apply(
        session,
        team_id=team_id,
        channel_id=channel_id,
        message_ts=message_ts,
        user_id=user_id,
        kind=store.REACTION,
        detail=reaction[:100],
        present=added,
        event_ts=event_ts,
        now=now,
    )


async def record_reply(
    session: AsyncSession,
    *,
    team_id: str,
    channel_id: str,
    thread_ts: str,
    reply_ts: str,
    user_id: str,
    present: bool,
    event_ts: str,
    now: datetime,
) -> bool:
    """A thread reply written (or deleted) under one of the bot's posts; others ignored."""
    if not thread_ts or thread_ts == reply_ts:
        return False  # not a reply in a thread
    if not await store.is_bot_post(session, team_id=team_id, channel_id=channel_id, ts=thread_ts):
        return False
    return await store.apply(
        session,
        team_id=team_id,
        channel_id=channel_id,
        message_ts=thread_ts,
        user_id=user_id,
        kind=store.REPLY,
        detail=reply_ts,
        present=present,
        event_ts=event_ts,
        now=now,
    )


async def stats(session: AsyncSession, *, team_id: str, channel_id: str, ts: str) -> PostStats:
    """Reactions and replies this post has now."""
    found = await store.counts(session, team_id=team_id, channel_id=channel_id, message_ts=ts)
    return PostStats(reactions=found.get(store.REACTION, 0), replies=found.get(store.REPLY, 0))


async def participants(
    session: AsyncSession, *, team_id: str, channel_id: str, ts: str, replies_only: bool = False
) -> list[str]:
    """The distinct people who reacted or replied to this post (or only replied)."""
    return await store.people(
        session,
        team_id=team_id,
        channel_id=channel_id,
        message_ts=ts,
        kind=store.REPLY if replies_only else None,
    )
