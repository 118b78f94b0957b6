"""Members taking part by reacting and replying: recorded for the bot's own posts only.

Shared by every kind (advent days, discussion prompts, later the report): the
events listener records, kinds ask "how did this post do" and "who took part".
Only who and how many are kept; never the text of a reply.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from storage import engagement as store
from storage.models import OutboxMessage

# What the events listener says happened, in the values storage keeps, under this module.
Post = store.Post
Mark = store.Mark
REACTION, REPLY = store.REACTION, store.REPLY


@dataclass(frozen=True, slots=True)
class PostStats:
    reactions: int = 0
    replies: int = 0


def post_of(sent: OutboxMessage | None) -> Post | None:
    """Where the courier posted `sent`; None until it has."""
    if sent is None or not sent.ts:
        return None
    return Post(sent.team_id, sent.channel_id, sent.ts)


async def record(session: AsyncSession, mark: Mark, *, now: datetime) -> bool:
    """A reaction added or removed, or a thread reply written or deleted: ignored unless it
    is on one of the bot's posts. True when the post's counts changed."""
    if mark.kind == REPLY and mark.detail == mark.post.ts:
        return False  # the thread's own message, not a reply in it
    if not await store.is_bot_post(session, mark.post):
        return False
    return await store.apply(session, mark, now=now)


async def stats(session: AsyncSession, post: Post) -> PostStats:
    """Reactions and replies this post has now."""
    found = await store.counts(session, post)
    return PostStats(reactions=found.get(REACTION, 0), replies=found.get(REPLY, 0))


async def participants(
    session: AsyncSession, post: Post, *, replies_only: bool = False
) -> list[str]:
    """The distinct people who reacted or replied to this post (or only replied)."""
    return await store.people(session, post, kind=REPLY if replies_only else None)
