"""APScheduler wiring: the tick that runs due work. The database decides who runs what."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from activities import (
    governance,
    recognition,
    recognition_use_cases,
    roadmap,
    role_polls,
    runner,
)
from activities.report import use_cases as report
from bot.outage import OutageNotes
from bot.services import Services
from storage import events

log = logging.getLogger(__name__)

TICK_JOB_ID = "convene-tick"

# Periodic work besides activity slots (poll deadlines, check-ins…), from the plug-ins.
PeriodicTask = Callable[[Services], Awaitable[None]]


async def rotate_roles(services: Services) -> None:
    """Reminders before terms end, calls for volunteers, lapses, closed polls among
    volunteers: each step claimed in the database, so none is sent twice."""
    admin_ids = services.settings.admin_user_ids
    async with services.db.session() as session:
        await governance.rotate(session, now=services.clock.now(), admin_ids=admin_ids)
        await role_polls.settle_closed(session, now=services.clock.now(), admin_ids=admin_ids)


async def monthly_report(services: Services) -> None:
    """The community report to organisers and sponsors on the month's first working day,
    once a team and month (its dedupe key), however often the tick runs or restarts."""
    if not services.settings.monthly_report:
        return
    async with services.db.session() as session:
        await report.send_monthly(session, directory=services.directory, now=services.clock.now())


# Slack retries an event for a few minutes at most; a day is plenty to catch them all.
EVENT_MEMORY = timedelta(days=1)


async def forget_old_events(services: Services) -> None:
    async with services.db.session() as session:
        await events.forget_before(session, cutoff=services.clock.now() - EVENT_MEMORY)


async def post_win_digests(services: Services) -> None:
    """Last month's wins, posted to each wins channel on the first working day (once a
    team and month: the digest's dedupe key)."""
    if recognition.digest_due(services.clock.now().date()) is None:
        return  # most days: not even a transaction
    async with services.db.session() as session:
        await recognition_use_cases.post_digests(session, now=services.clock.now())


async def redraw_roadmaps(services: Services) -> None:
    """Redraw each roadmap message whose content changed (an activity changed, a date
    passed); a cheap query when nothing did."""
    async with services.db.session() as session:
        await roadmap.redraw_changed(
            session,
            catalog=services.catalog,
            directory=services.directory,
            now=services.clock.now(),
        )


def tick_outage_notes() -> OutageNotes:
    """Shared by every tick of one runtime, so an outage is logged once, not once a tick."""
    return OutageNotes(log, "scheduler")


async def tick(
    services: Services, tasks: Sequence[PeriodicTask], outage: OutageNotes | None = None
) -> None:
    """One pass: due activity slots, then every periodic task; each failure is contained.

    With the database away the pass stops at the first failure, and `outage` logs it once
    for the whole outage (a tick every few seconds would otherwise log a traceback each).
    """
    outage = outage or tick_outage_notes()
    try:
        await runner.tick(
            services.db.session,
            clock=services.clock,
            directory=services.directory,
            catalog=services.catalog,
        )
    except Exception as exc:
        if await outage.is_outage(exc, services.db):
            return
        raise
    core = [rotate_roles, forget_old_events, redraw_roadmaps, monthly_report, post_win_digests]
    for task in [*core, *tasks]:
        try:
            await task(services)
        except Exception as exc:
            if await outage.is_outage(exc, services.db):
                return
            log.exception("periodic task failed", extra={"task": task.__name__})
    outage.back()
    services.courier.wake()


def start_scheduler(services: Services, job: Callable[[], Awaitable[None]]) -> AsyncIOScheduler:
    """Start inside the running loop (APScheduler 3.x binds to the loop it starts in)."""
    scheduler = AsyncIOScheduler(timezone="UTC")
    scheduler.add_job(
        job,
        IntervalTrigger(seconds=services.settings.scheduler_tick_seconds),
        id=TICK_JOB_ID,
        replace_existing=True,
        max_instances=1,
        coalesce=True,
        misfire_grace_time=int(timedelta(minutes=5).total_seconds()),
    )
    scheduler.start()
    return scheduler
