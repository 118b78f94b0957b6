"""The tick: find due activities and run each slot exactly once."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

from sqlmodel.ext.asyncio.session import AsyncSession

from activities import channels, manage
from activities.clock import Clock
from activities.kind import Directory, KindCatalog
from storage import activities as store
from storage.models import Activity

log = logging.getLogger(__name__)


async def _refusal(activity: Activity, directory: Directory) -> str | None:
    """Whoever created it must still be allowed to post there (read from Slack outside any
    transaction). A Slack hiccup does not block the run: its sends fail on their own."""
    if not activity.created_by:
        return None
    try:
        access = await directory.channel_access(
            activity.team_id, activity.channel_id, activity.created_by
        )
    except Exception:
        log.warning(
            "could not check channel rights",
            extra={"team_id": activity.team_id, "activity_id": activity.id},
        )
        return None
    return channels.refusal(access, activity.channel_id)


SessionFactory = Callable[[], AbstractAsyncContextManager[AsyncSession]]
BATCH = 50


async def tick(
    sessions: SessionFactory, *, clock: Clock, directory: Directory, catalog: KindCatalog
) -> list[int]:
    """Run every due slot once; returns the ids of the runs made.

    Each slot gets its own transaction, so one failing activity neither blocks
    the others nor loses its slot: its transaction rolls back and the next tick
    tries again.
    """
    now = clock.now()
    async with sessions() as session:
        due = await store.due_activities(session, now=now, limit=BATCH)
    ran: list[int] = []
    for activity in due:
        refused = await _refusal(activity, directory)
        try:
            async with sessions() as session:
                fresh = await store.get_activity(
                    session, team_id=activity.team_id, activity_id=activity.id or 0
                )
                if fresh is None or fresh.next_run_at != activity.next_run_at:
                    continue
                outcome = await manage.run_slot(
                    session, fresh, now=now, directory=directory, catalog=catalog, refused=refused
                )
                if outcome.run is not None and outcome.run.id is not None:
                    ran.append(outcome.run.id)
        except Exception:
            # Logged with context and retried on the next tick; never silent.
            log.exception(
                "activity run failed",
                extra={"team_id": activity.team_id, "activity_id": activity.id},
            )
    return ran
