"""What an activity's next slot would say, worked out without saying it.

The kind's own run handler runs for the next slot inside the caller's transaction,
which the caller then rolls back: the intents it records are exactly those the real
run will record, and the kind's renderers turn them into exactly the messages the
courier will send. Nothing is kept, so nothing is sent.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from activities.kind import ActivityKind, Directory, RunContext
from storage import rehearsal as store
from storage.models import Activity, OutboxMessage, Run


async def rehearse(
    session: AsyncSession,
    *,
    activity: Activity,
    kind: ActivityKind[Any],
    directory: Directory,
    at: datetime,
) -> list[OutboxMessage]:
    """The outbox rows the slot at `at` records. The caller must roll back afterwards."""
    assert activity.id is not None
    before = await store.last_outbox_id(session)
    run = Run(team_id=activity.team_id, activity_id=activity.id, scheduled_for=at, started_at=at)
    session.add(run)
    await session.flush()
    await kind.run(RunContext(session, activity, run, at, directory))
    await session.flush()
    return await store.outbox_after(session, row_id=before)
