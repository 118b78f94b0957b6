"""APScheduler wiring: the tick that runs due work. The database decides who runs what."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from activities import intents, runner
from activities.roles import REMIND_BEFORE
from bot.features import FEATURES
from bot.services import Services
from storage import outbox
from storage import roles as role_store

log = logging.getLogger(__name__)

TICK_JOB_ID = "convene-tick"

# Periodic work besides activity slots (poll deadlines, check-ins…), from bot/features.
PeriodicTask = Callable[[Services], Awaitable[None]]


async def remind_term_ends(services: Services) -> None:
    """Tell the admins who assigned them that organiser terms end within two weeks."""
    now = services.clock.now()
    async with services.db.session() as session:
        terms = await role_store.terms_ending_by(
            session, today=now.date(), horizon=(now + REMIND_BEFORE).date()
        )
        for term in terms:
            assert term.id is not None
            recipients = {term.assigned_by} | set(services.settings.admin_user_ids)
            for admin_id in sorted(r for r in recipients if r):
                await outbox.enqueue(
                    session,
                    team_id=term.team_id,
                    intent=intents.role_term_reminder(term_id=term.id, admin_id=admin_id),
                    now=now,
                )
            await role_store.mark_reminded(session, term=term, now=now)


async def tick(services: Services) -> None:
    """One pass: due activity slots, then every periodic task; each failure is contained."""
    await runner.tick(services.db.session, clock=services.clock, directory=services.directory)
    feature_tasks = [t for feature in FEATURES for t in feature.PERIODIC_TASKS]
    for task in [remind_term_ends, *feature_tasks]:
        try:
            await task(services)
        except Exception:
            log.exception("periodic task failed", extra={"task": task.__name__})
    services.courier.wake()


def start_scheduler(services: Services) -> AsyncIOScheduler:
    """Start inside the running loop (APScheduler 3.x binds to the loop it starts in)."""
    scheduler = AsyncIOScheduler(timezone="UTC")
    scheduler.add_job(
        tick,
        IntervalTrigger(seconds=services.settings.scheduler_tick_seconds),
        args=[services],
        id=TICK_JOB_ID,
        replace_existing=True,
        max_instances=1,
        coalesce=True,
        misfire_grace_time=int(timedelta(minutes=5).total_seconds()),
    )
    scheduler.start()
    return scheduler
