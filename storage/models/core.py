"""The base tables: workspaces, members, activities and runs, outbox, events, roles, audit."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypedDict

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field

from storage.types import Model, TeamRow, utc_field, utcnow


class Workspace(Model, table=True):
    """A Slack workspace the bot serves (one row per install)."""

    team_id: str = Field(primary_key=True, max_length=32)
    name: str = ""
    bot_user_id: str = ""
    installed_at: datetime = utc_field(default_factory=utcnow)


class MemberBase(Model):
    team_id: str = Field(max_length=32, index=True)
    user_id: str = Field(max_length=32)
    name: str = ""
    real_name: str = ""
    timezone: str = "UTC"
    title: str = ""
    is_admin: bool = False
    is_bot: bool = False
    deleted: bool = False


class Member(MemberBase, table=True):
    """The Slack profile facts the bot needs about one person."""

    __table_args__ = (UniqueConstraint("team_id", "user_id", name="uq_member_team_user"),)
    id: int | None = Field(default=None, primary_key=True)
    refreshed_at: datetime = utc_field(default_factory=utcnow)
    # The public channels they are in (matching prefers people who share few), and when
    # that was last read from Slack: at most once a day.
    channels: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    channels_at: datetime | None = utc_field(default=None)


class HomeViewer(Model, table=True):
    """Someone who has opened the bot's Home tab: a change that affects them redraws it
    (a person who never opened it is not published to)."""

    team_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    opened_at: datetime = utc_field(default_factory=utcnow)
    # What their tab last showed (its page, the waiting items opened), so a redraw made
    # for someone else's change leaves them where they were.
    page: int = 0
    focus: str = Field(default="", max_length=100)


class WaitingSeen(Model, table=True):
    """When an organiser last opened one line of their Home tab's "Waiting for you" (its
    key, e.g. `topics_7`): a kind may count only what came after."""

    team_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    key: str = Field(primary_key=True, max_length=100)
    seen_at: datetime = utc_field(default_factory=utcnow)


class ActivityState:
    ACTIVE = "active"
    PAUSED = "paused"
    CANCELLED = "cancelled"
    FINISHED = "finished"


class ActivityBase(Model):
    team_id: str = Field(max_length=32, index=True)
    kind: str = Field(max_length=32)
    channel_id: str = Field(max_length=32)
    title: str = ""
    schedule_rule: str = ""
    timezone: str = "UTC"
    state: str = Field(default=ActivityState.ACTIVE, max_length=16)
    created_by: str = Field(default="", max_length=32)


class Activity(ActivityBase, table=True):
    """Anything that happens on a schedule in a channel."""

    __table_args__ = (Index("ix_activity_due", "state", "next_run_at"),)
    id: int | None = Field(default=None, primary_key=True)
    config: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    next_run_at: datetime | None = utc_field(default=None)
    created_at: datetime = utc_field(default_factory=utcnow)
    updated_at: datetime = utc_field(default_factory=utcnow)


class InActivity(TypedDict):
    """The two columns a row of an activity opens with: its workspace and the activity.
    `AdventDay(**in_activity(run), day=…)` names them once instead of at every row."""

    team_id: str
    activity_id: int


def in_activity(activity: Activity) -> InActivity:
    assert activity.id is not None  # a stored activity's rows only
    return InActivity(team_id=activity.team_id, activity_id=activity.id)


class Run(TeamRow, table=True):
    """One occurrence of an activity. Unique per scheduled time: a slot never runs twice."""

    __table_args__ = (UniqueConstraint("activity_id", "scheduled_for", name="uq_run_slot"),)
    activity_id: int = Field(foreign_key="activity.id", index=True)
    scheduled_for: datetime = utc_field()
    started_at: datetime = utc_field(default_factory=utcnow)
    late: bool = False
    manual: bool = False


class OutboxStatus:
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    # Never sent, on purpose: it could only have arrived once it no longer mattered (a
    # reminder held by quiet hours past its event's start). `last_error` says why.
    DROPPED = "dropped"


class OutboxMessage(TeamRow, table=True):
    """Something a use-case asked to say to Slack; the courier sends it.

    `version` grows each time a refreshable row (a message update) is asked for
    again, so a send that started before the newest request never marks it done.
    A claim is fenced: `claim_token` names the courier that holds the row, and it
    holds it only until `lease_until` unless it renews. `in_doubt` says a send may
    have reached Slack without its answer being recorded (a crash, a timeout), so
    the channel is checked for the message before it is sent again. `held_until` is
    set when the row waited for its recipients' quiet hours: it goes at that moment.
    """

    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)
    intent: str = Field(max_length=64)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    dedupe_key: str = Field(max_length=255, unique=True)
    status: str = Field(default=OutboxStatus.PENDING, max_length=16)
    version: int = 1
    attempts: int = 0
    next_attempt_at: datetime = utc_field(default_factory=utcnow)
    claimed_at: datetime | None = utc_field(default=None)
    claim_token: str = Field(default="", max_length=64)
    lease_until: datetime | None = utc_field(default=None)
    in_doubt: bool = False
    last_error: str = ""
    channel_id: str = ""
    ts: str = ""
    created_at: datetime = utc_field(default_factory=utcnow)
    sent_at: datetime | None = utc_field(default=None)
    held_until: datetime | None = utc_field(default=None)


class ProcessedEvent(Model, table=True):
    """Slack retries deliveries; the primary key makes a second delivery a no-op."""

    event_id: str = Field(primary_key=True, max_length=64)
    team_id: str = Field(default="", max_length=32)
    received_at: datetime = utc_field(default_factory=utcnow)


class ProcessedTrigger(Model, table=True):
    """A slash command or interaction seen again (same `trigger_id`) is answered once."""

    trigger_id: str = Field(primary_key=True, max_length=128)
    team_id: str = Field(default="", max_length=32)
    received_at: datetime = utc_field(default_factory=utcnow)


class RoleTermBase(Model):
    team_id: str = Field(max_length=32, index=True)
    user_id: str = Field(max_length=32)
    role: str = Field(default="organiser", max_length=32)
    starts_on: date
    ends_on: date
    assigned_by: str = Field(default="", max_length=32)


class RoleTerm(RoleTermBase, table=True):
    """An organiser's term: it holds from `starts_on` to `ends_on` unless ended early."""

    id: int | None = Field(default=None, primary_key=True)
    ended_at: datetime | None = utc_field(default=None)
    ended_by: str = ""
    reminded_at: datetime | None = utc_field(default=None)
    created_at: datetime = utc_field(default_factory=utcnow)
    # Where it was assigned (the volunteer call goes there until a home channel is set).
    channel_id: str = Field(default="", max_length=32)
    # Rotation: which cycle the reminders belong to (renewing starts the next one), which
    # reminders were claimed, the volunteer call, the lapse, and the handover note.
    cycle: int = 0
    reminded_30_at: datetime | None = utc_field(default=None)
    reminded_7_at: datetime | None = utc_field(default=None)
    called_at: datetime | None = utc_field(default=None)
    lapsed_at: datetime | None = utc_field(default=None)
    handover_note: str = ""


class AuditEntry(TeamRow, table=True):
    """Who changed what, and when."""

    actor_id: str = Field(max_length=32)
    action: str = Field(max_length=64)
    subject: str = ""
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    at: datetime = utc_field(default_factory=utcnow)
