"""What a person's Home tab asks of polls: the open ones in some channels, and which of
them a voter key has voted in."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.kinds.poll.models import Poll, PollVote
from storage.rows import fetch_all


async def open_in(
    session: AsyncSession, *, team_id: str, channel_ids: Collection[str], limit: int = 50
) -> list[Poll]:
    """The newest open polls posted in `channel_ids`."""
    if not channel_ids:
        return []
    return await fetch_all(
        session,
        statement=select(Poll)
        .where(
            col(Poll.team_id) == team_id,
            col(Poll.channel_id).in_(list(channel_ids)),
            col(Poll.closed_at).is_(None),
            col(Poll.deleted_at).is_(None),
        )
        .order_by(col(Poll.created_at).desc(), col(Poll.id).desc())
        .limit(limit),
    )


async def voted(session: AsyncSession, *, keys: Mapping[int, str]) -> set[int]:
    """The polls (of `keys`: poll id -> that voter's key in it) the voter has voted in."""
    if not keys:
        return set()
    result = await session.exec(
        select(PollVote.poll_id, PollVote.voter_key).where(
            col(PollVote.poll_id).in_(list(keys)), col(PollVote.voter_key).in_(set(keys.values()))
        )
    )
    return {poll_id for poll_id, key in result.all() if keys.get(poll_id) == key}
