"""The Home tab's "open polls you haven't voted in": the voter's key in each poll is
computed as a vote would compute it (an HMAC on anonymous polls), so nothing about who
voted is stored or read in clear."""

from __future__ import annotations

from collections.abc import Collection

from sqlmodel.ext.asyncio.session import AsyncSession

from activities.kinds.poll import intents as poll_intents
from activities.kinds.poll.use_cases import voter_key
from storage import outbox
from storage.kinds.poll import home as store
from storage.kinds.poll.models import Poll


async def not_voted(
    session: AsyncSession,
    *,
    team_id: str,
    user_id: str,
    channel_ids: Collection[str],
    secret: str,
    limit: int = 5,
) -> list[tuple[Poll, str]]:
    """Open polls in `channel_ids` that `user_id` has not voted in, each with its message
    ts ("" while it is not posted yet), newest first."""
    polls = await store.open_in(session, team_id=team_id, channel_ids=channel_ids)
    keys = {p.id: voter_key(poll=p, user_id=user_id, secret=secret) for p in polls if p.id}
    done = await store.voted(session, keys=keys)
    found = []
    for poll in [p for p in polls if p.id is not None and p.id not in done][:limit]:
        assert poll.id is not None
        posted = await outbox.get_by_key(session, dedupe_key=poll_intents.POST.key_of(poll.id))
        found.append((poll, posted.ts if posted is not None else ""))
    return found
