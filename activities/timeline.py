"""The community's timeline: every dated thing the bot runs, as one kind of entry.

Each kind that has dated things gives its `ActivityKind` a `timeline` function
(see activities/kinds/__init__.py). It is computed every time from the activity's
schedule and the kind's own rows, never stored, so it cannot drift from what runs.
The calendar in Slack, the Home tab and the ICS feeds all read these entries.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

from sqlmodel.ext.asyncio.session import AsyncSession

from activities import schedule
from activities.errors import UserError
from storage import activities as activity_store
from storage.models import Activity, ActivityState

Status = Literal["confirmed", "cancelled"]
PAST = timedelta(days=30)
AHEAD = timedelta(days=180)
# A paused or cancelled activity keeps showing its next occurrences as cancelled for
# this long after the change, so subscribed calendars remove them; then they go.
CANCELLED_SHOWN_FOR = timedelta(days=30)
MAX_PER_ACTIVITY = 400  # a daily slot over the whole window fits; a runaway rule does not


@dataclass(frozen=True, slots=True)
class Window:
    """From `start` (included) to `end` (excluded), aware UTC."""

    start: datetime
    end: datetime

    def __contains__(self, moment: datetime) -> bool:
        return self.start <= moment < self.end

    @classmethod
    def around(cls, now: datetime) -> Window:
        """What the feeds cover: the past 30 days and the next 180."""
        return cls(now - PAST, now + AHEAD)


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One dated thing. `uid` never comes from a list position: it names the activity
    and the slot (or the kind's own row), so it survives regenerations."""

    uid: str
    activity_id: int
    kind: str
    title: str
    channel_id: str
    start: datetime
    timezone: str
    last_modified: datetime
    sequence: int = 0
    end: datetime | None = None
    status: Status = "confirmed"
    # The Slack message it was posted as, once sent: (channel id, ts).
    message: tuple[str, str] | None = None
    # Whose it is, for personal feeds: None is everyone in the channel.
    people: frozenset[str] | None = None
    # Where the shared RSVP model (issue 11) keys a person's answer for this entry;
    # None when the thing takes no RSVPs.
    rsvp_key: str | None = None
    description: str = field(default="", compare=False)


@dataclass(slots=True)
class TimelineRequest:
    session: AsyncSession
    activity: Activity
    window: Window
    now: datetime


# What a kind contributes: its activity's entries inside the window.
TimelineSource = Callable[[TimelineRequest], Awaitable[list[TimelineEntry]]]


def sequence_of(activity: Activity) -> int:
    """Grows with every change of the activity (seconds between creation and the last
    update), so calendar clients replace what they hold; no counter column needed."""
    return max(0, int((activity.updated_at - activity.created_at).total_seconds()))


def uid_for(activity: Activity, slot: datetime, suffix: str = "") -> str:
    stamp = slot.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"activity-{activity.id}-{stamp}{suffix}@convene"


@dataclass(frozen=True, slots=True)
class Slot:
    """One occurrence of an activity's schedule: when, and the run that claimed it."""

    at: datetime
    run_id: int | None
    status: Status


async def slots(request: TimelineRequest) -> list[Slot]:
    """The activity's occurrences in the window: the runs that happened (past), then what
    its schedule says comes next. A paused or cancelled activity's next occurrences are
    marked cancelled for a while, so a subscribed calendar drops them."""
    activity, window, now = request.activity, request.window, request.now
    assert activity.id is not None
    found: list[Slot] = []
    for run in await activity_store.list_runs(request.session, activity_id=activity.id):
        if run.scheduled_for in window and run.scheduled_for <= now:
            found.append(Slot(run.scheduled_for, run.id, "confirmed"))
    status: Status = "confirmed"
    if activity.state != ActivityState.ACTIVE:
        if activity.state == ActivityState.FINISHED or (
            activity.updated_at + CANCELLED_SHOWN_FOR <= now
        ):
            return found
        status = "cancelled"
    try:
        plan = schedule.Schedule(rule=activity.schedule_rule, timezone=activity.timezone)
        cursor = max(now, window.start)
        while len(found) < MAX_PER_ACTIVITY:
            fire = schedule.next_run(plan, cursor)
            if fire is None or fire >= window.end:
                break
            found.append(Slot(fire, None, status))
            cursor = fire
    except UserError:
        pass  # a schedule that no longer parses has no future; the runner reports it
    return found


def entry(
    activity: Activity,
    slot: Slot,
    *,
    title: str,
    suffix: str = "",
    end: datetime | None = None,
    message: tuple[str, str] | None = None,
    people: frozenset[str] | None = None,
) -> TimelineEntry:
    """An entry for one slot of an activity, with what every kind shares."""
    assert activity.id is not None
    return TimelineEntry(
        uid=uid_for(activity, slot.at, suffix),
        activity_id=activity.id,
        kind=activity.kind,
        title=title,
        channel_id=activity.channel_id,
        start=slot.at,
        timezone=activity.timezone,
        last_modified=activity.updated_at,
        sequence=sequence_of(activity),
        end=end,
        status=slot.status,
        message=message,
        people=people,
    )


async def schedule_only(request: TimelineRequest) -> list[TimelineEntry]:
    """Each slot of the activity's schedule, titled after it: what a kind without its
    own `timeline` shows (its richer dated things, once it gives one)."""
    return [
        entry(request.activity, slot, title=request.activity.title) for slot in await slots(request)
    ]


def ordered(entries: list[TimelineEntry]) -> list[TimelineEntry]:
    return sorted(entries, key=lambda e: (e.start, e.uid))
