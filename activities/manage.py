"""Organisers' use-cases for any activity: create, pause, resume, cancel, run now, preview."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from activities import intents, schedule
from activities.actor import Actor
from activities.audit_trail import record
from activities.errors import UserError
from activities.forms import Draft
from activities.kind import ActivityKind, Directory, KindCatalog, KindSettings, RunContext
from activities.text import escape_mrkdwn
from storage import activities as store
from storage import roles as role_store
from storage.models import Activity, ActivityState, Run
from storage.rows import add_row

log = logging.getLogger(__name__)

# A slot run more than this long after its time is "late" and says so.
LATE_AFTER = timedelta(minutes=5)


async def _audit(
    session: AsyncSession, activity: Activity, actor: Actor, action: str, **detail: Any
) -> None:
    """Who did what to an activity, in the audit log, in the caller's transaction."""
    await record(session, actor, f"activity.{action}", f"activity:{activity.id}", detail)


def _missing(activity_id: int) -> UserError:
    return UserError(
        f"There is no activity #{activity_id} here. `/community activities` lists them."
    )


async def create(
    session: AsyncSession,
    actor: Actor,
    *,
    kind: ActivityKind[Any],
    channel_id: str,
    draft: Draft[KindSettings],
    timezone: str,
) -> Activity:
    """Store a validated activity (a kind's form made the draft) and schedule its first run."""
    rule = schedule.parse_schedule(draft.schedule_text, timezone, now=actor.now)
    next_run_at = _first_run(rule, draft.schedule_text, actor.now)
    made = Activity(
        team_id=actor.team_id,
        kind=kind.name,
        channel_id=channel_id,
        title=draft.title,
        schedule_rule=rule.rule,
        timezone=rule.timezone,
        config=draft.settings.model_dump(mode="json"),
        created_by=actor.user_id,
        next_run_at=next_run_at,
        created_at=actor.now,
        updated_at=actor.now,
    )
    activity = await add_row(session, row=made)
    await _audit(
        session, activity, actor, "create", kind=kind.name, channel=channel_id, schedule=rule.rule
    )
    log.info("activity created", extra={"team_id": actor.team_id, "activity_id": activity.id})
    return activity


def _first_run(rule: schedule.Schedule, typed: str, now: datetime) -> datetime:
    next_run_at = schedule.next_run(rule, now)
    if next_run_at is None:
        raise UserError(
            f"`{escape_mrkdwn(typed)}` never happens after now; pick a time in the future.",
            field="schedule",
        )
    return next_run_at


def current_inputs(kind: ActivityKind[Any], activity: Activity) -> dict[str, str]:
    """The activity's settings as form inputs (the edit modal starts from these)."""
    settings = kind.settings_of(activity)
    return {
        **kind.form.inputs_of(settings, schedule.editable_text(activity.schedule_rule)),
        "timezone": activity.timezone,
        "title": activity.title,
    }


async def update(
    session: AsyncSession,
    actor: Actor,
    *,
    kind: ActivityKind[Any],
    activity: Activity,
    channel_id: str,
    draft: Draft[KindSettings],
    timezone: str,
) -> Activity:
    """`/community edit`: new settings, channel or schedule; the next run follows them."""
    if activity.state in (ActivityState.CANCELLED, ActivityState.FINISHED):
        raise UserError(f"Activity #{activity.id} is {activity.state}; it can't be edited now.")
    unchanged = (
        draft.schedule_text == schedule.editable_text(activity.schedule_rule)
        and timezone == activity.timezone
    )
    # An unchanged text keeps the stored rule (an every-2-weeks rule keeps its anchor).
    rule = (
        schedule_of(activity)
        if unchanged
        else schedule.parse_schedule(draft.schedule_text, timezone, now=actor.now)
    )
    changes: dict[str, Any] = {
        "channel_id": channel_id,
        "title": draft.title,
        "schedule_rule": rule.rule,
        "timezone": rule.timezone,
        "config": draft.settings.model_dump(mode="json"),
    }
    if activity.state == ActivityState.ACTIVE and not unchanged:
        changes["next_run_at"] = _first_run(rule, draft.schedule_text, actor.now)
    await store.update_activity(session, activity=activity, now=actor.now, **changes)
    await _audit(
        session, activity, actor, "edit", kind=kind.name, channel=channel_id, schedule=rule.rule
    )
    log.info("activity edited", extra={"team_id": actor.team_id, "activity_id": activity.id})
    return activity


async def load(session: AsyncSession, *, team_id: str, activity_id: int) -> Activity:
    activity = await store.get_activity(session, team_id=team_id, activity_id=activity_id)
    if activity is None:
        raise _missing(activity_id)
    return activity


async def organisers(session: AsyncSession, *, activity: Activity, today: date) -> list[str]:
    """Who hears about an activity's gaps and problems: its creator and the organisers."""
    terms = await role_store.current_terms(session, team_id=activity.team_id, today=today)
    found = [activity.created_by] if activity.created_by else []
    found += [t.user_id for t in terms if t.user_id not in found]
    return found


def schedule_of(activity: Activity) -> schedule.Schedule:
    return schedule.Schedule(rule=activity.schedule_rule, timezone=activity.timezone)


async def change_state(
    session: AsyncSession, actor: Actor, *, activity_id: int, action: str
) -> Activity:
    """Pause, resume or cancel. Resuming skips the slots that passed while paused."""
    activity = await load(session, team_id=actor.team_id, activity_id=activity_id)
    if activity.state in (ActivityState.CANCELLED, ActivityState.FINISHED):
        raise UserError(f"Activity #{activity_id} is {activity.state}; it can't be changed now.")
    if action == "pause":
        if activity.state == ActivityState.PAUSED:
            raise UserError(f"Activity #{activity_id} is already paused.")
        changes: dict[str, Any] = {"state": ActivityState.PAUSED}
    elif action == "resume":
        if activity.state == ActivityState.ACTIVE:
            raise UserError(f"Activity #{activity_id} is already running.")
        changes = {
            "state": ActivityState.ACTIVE,
            "next_run_at": schedule.next_run(schedule_of(activity), actor.now),
        }
    elif action == "cancel":
        changes = {"state": ActivityState.CANCELLED, "next_run_at": None}
    else:
        raise ValueError(f"unknown action {action}")
    await store.update_activity(session, activity=activity, now=actor.now, **changes)
    await _audit(session, activity, actor, action)
    return activity


async def pause_all(session: AsyncSession, actor: Actor, *, reason: str) -> list[int]:
    """Pause every running activity of a workspace (it uninstalled the app); returns ids."""
    paused: list[int] = []
    for activity in await store.list_activities(
        session, team_id=actor.team_id, states=(ActivityState.ACTIVE,)
    ):
        assert activity.id is not None
        await store.update_activity(
            session, activity=activity, now=actor.now, state=ActivityState.PAUSED
        )
        await _audit(session, activity, actor, "pause", reason=reason)
        paused.append(activity.id)
    return paused


@dataclass(frozen=True, slots=True)
class RunOutcome:
    run: Run | None
    reason: str = ""


def next_slot(activity: Activity, *, now: datetime, manual: bool) -> store.Slot:
    """The slot a run at `now` takes: the one due (now, for a manual run of an activity
    with none due), and the one after it."""
    scheduled_for = activity.next_run_at or now
    following = schedule.next_run(schedule_of(activity), max(now, scheduled_for))
    late = not manual and now - scheduled_for > LATE_AFTER
    return store.Slot(scheduled_for, following, late=late, manual=manual)


async def run_slot(
    session: AsyncSession,
    activity: Activity,
    *,
    now: datetime,
    directory: Directory,
    catalog: KindCatalog,
    manual: bool = False,
    refused: str | None = None,
) -> RunOutcome:
    """Claim the activity's next slot and run its use-case, in the caller's transaction.

    A slot missed during downtime runs once, late; the slots after it that also
    passed are skipped rather than replayed in a burst. A scheduled run unless `manual`.
    """
    kind = catalog.get(activity.kind)
    if kind is None:
        return RunOutcome(None, f"unknown kind {activity.kind}")
    slot = next_slot(activity, now=now, manual=manual)
    run = await store.claim_slot(session, activity=activity, slot=slot, now=now)
    if run is None:
        return RunOutcome(None, "another process took this slot")
    if slot.following is None and not manual:
        activity.state = ActivityState.FINISHED
        session.add(activity)
    if refused is not None:
        # The slot passes without posting; whoever set it up hears why.
        assert activity.id is not None and run.id is not None
        said = f"⚠️ Activity #{activity.id} did not run: {refused}"
        await intents.tell_skipped(session, activity, run_id=run.id, reason=said, now=now)
        log.warning(
            "activity run refused",
            extra={"team_id": activity.team_id, "activity_id": activity.id, "reason": refused},
        )
        return RunOutcome(run, refused)
    await kind.run(
        RunContext(session=session, activity=activity, run=run, now=now, directory=directory)
    )
    log.info(
        "activity ran",
        extra={
            "team_id": activity.team_id,
            "activity_id": activity.id,
            "run_id": run.id,
            "late": slot.late,
            "manual": manual,
        },
    )
    return RunOutcome(run)


async def run_now(
    session: AsyncSession,
    actor: Actor,
    *,
    activity_id: int,
    directory: Directory,
    catalog: KindCatalog,
) -> RunOutcome:
    """`/community run <id>`: the next occurrence happens now."""
    activity = await load(session, team_id=actor.team_id, activity_id=activity_id)
    if activity.state != ActivityState.ACTIVE:
        raise UserError(
            f"Activity #{activity_id} is {activity.state}. "
            f"Resume it first: `/community resume {activity_id}`."
        )
    outcome = await run_slot(
        session, activity, now=actor.now, directory=directory, catalog=catalog, manual=True
    )
    if outcome.run is None:
        raise UserError(f"Activity #{activity_id} is running right now; try again in a moment.")
    await _audit(session, activity, actor, "run", run_id=outcome.run.id)
    return outcome


def preview(activity: Activity, *, now: datetime, count: int = 5) -> list[datetime]:
    if activity.state != ActivityState.ACTIVE:
        return []
    return schedule.preview(schedule_of(activity), now, count)
