"""The shared row helpers on the real databases."""

from __future__ import annotations

from datetime import UTC, datetime

from storage.db import Database
from storage.kinds.poll import queries as polls
from storage.kinds.poll.models import Poll
from storage.rows import add_row

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


async def test_mark_once_stamps_the_row_already_loaded(db: Database) -> None:
    """A step claimed in a session shows on the row that session already holds, so a later
    step of the same tick (which reads the row from the session) sees it done; the second
    claim loses."""
    async with db.session() as session:
        poll = await add_row(
            session, row=Poll(team_id="T1", channel_id="C1", creator_id="U1", question="Q?")
        )
        assert poll.id is not None
        assert await polls.mark_reminded(session, poll_id=poll.id, now=NOW)
        assert poll.reminded_at == NOW
        assert not await polls.mark_reminded(session, poll_id=poll.id, now=NOW)
