"""APScheduler wiring: the tick that runs due work. The database decides who runs what."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlmodel.ext.asyncio.session import AsyncSession

from activities import (
    due,
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
from storage import activities as activity_store
from storage import events, outbox
from storage import roadmaps as roadmap_store

log = logging.getLogger(__name__)

TICK_JOB_ID = "convene-tick"

# Periodic work besides activity slots (poll deadlines, check-ins…), from the plug-ins.
PeriodicTask = Callable[[Services], Awaitable[None]]
# When a periodic task next has anything to do: the first moment after now at which it
# would act, or None. Earlier than the truth costs a tick that finds nothing; later would
# let the shell's clock jump past due work, so it never is.
NextDue = Callable[[Services], Awaitable[datetime | None]]


@dataclass(frozen=True, slots=True)
class Periodic:
    run: PeriodicTask
    next_due: NextDue


class DueQuery(Protocol):
    async def __call__(self, session: AsyncSession, *, now: datetime) -> datetime | None: ...


def read_due(query: DueQuery) -> NextDue:
    """A next-due answer read from the database in a transaction of its own."""

    async def next_due(services: Services) -> datetime | None:
        async with services.db.session() as session:
            return await query(session, now=services.clock.now())

    return next_due


def first_of(*answers: NextDue) -> NextDue:
    """The earliest of several next-due answers (a task that does several things)."""

    async def next_due(services: Services) -> datetime | None:
        moments = [await answer(services) for answer in answers]
        return min((m for m in moments if m is not None), default=None)

    return next_due


async def never_due(services: Services) -> datetime | None:
    """For work that nothing outside it dates: housekeeping nobody sees, or a follow-up
    that the same tick's earlier step sets off."""
    return None


async def rotate_roles(services: Services) -> None:
    """Reminders before terms end, calls for volunteers, lapses, closed polls among
    volunteers: each step claimed in the database, so none is sent twice."""
    admin_ids = services.settings.admin_user_ids
    async with services.db.session() as session:
        rotated = await governance.rotate(session, now=services.clock.now(), admin_ids=admin_ids)
        settled = await role_polls.settle_closed(
            session, now=services.clock.now(), admin_ids=admin_ids
        )
        # A lapse drops the term from its holder's Home tab and from the admins' roles
        # list; a settled role poll is no longer shown open on the admins' tabs.
        teams = {t.team_id for t in rotated.lapsed} | {p.team_id for p in settled}
        for team_id in sorted(teams):
            holders = [t.user_id for t in rotated.lapsed if t.team_id == team_id]
            await services.redraw_homes(session, team_id, holders, admins=True)


async def monthly_report(services: Services) -> None:
    """The community report to organisers and sponsors on the month's first working day,
    once a team and month (its dedupe key), however often the tick runs or restarts."""
    if not services.settings.monthly_report:
        return
    async with services.db.session() as session:
        await report.send_monthly(session, directory=services.directory, now=services.clock.now())


async def monthly_report_due(services: Services) -> datetime | None:
    if not services.settings.monthly_report:
        return None
    return report.next_monthly_change(services.clock.now())


async def digest_due(services: Services) -> datetime | None:
    return recognition.next_digest_change(services.clock.now())


async def roadmap_recheck_due(services: Services) -> datetime | None:
    async with services.db.session() as session:
        return await roadmap_store.next_recheck(session, now=services.clock.now())


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


CORE = (
    Periodic(rotate_roles, read_due(governance.next_due)),
    # Forgetting old event ids changes nothing anyone sees.
    Periodic(forget_old_events, never_due),
    Periodic(redraw_roadmaps, roadmap_recheck_due),
    Periodic(monthly_report, monthly_report_due),
    Periodic(post_win_digests, digest_due),
)


async def next_due(services: Services, tasks: Sequence[Periodic]) -> datetime | None:
    """The first moment after now at which a tick would do anything: an activity's next
    slot, an outbox row's retry, or a periodic task's next due moment."""
    now = services.clock.now()
    async with services.db.session() as session:
        moments = [
            await activity_store.next_slot_after(session, now=now),
            await outbox.next_due_at(session),
        ]
    for task in [*CORE, *tasks]:
        moments.append(await task.next_due(services))
    return due.next_after(now, moments)


async def tick(
    services: Services, tasks: Sequence[Periodic], outage: OutageNotes | None = None
) -> None:
    """One pass: due activity slots, then every periodic task; each failure is contained.

    With the database away the pass stops at the first failure, and `outage` logs it once
    for the whole outage (a tick every few seconds would otherwise log a traceback each).
    """
    outage = outage or tick_outage_notes()
    # Asked first: with the database silent, a tick's transactions would queue for a
    # turn behind others stuck on it, and the pass would neither run nor say why.
    if not await outage.answers(services.db):
        return
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
    for task in [*CORE, *tasks]:
        try:
            await task.run(services)
        except Exception as exc:
            if await outage.is_outage(exc, services.db):
                return
            log.exception("periodic task failed", extra={"task": task.run.__name__})
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
