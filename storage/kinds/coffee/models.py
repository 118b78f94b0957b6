"""Coffee pairings and breakfast switch-ups: preferences, rounds, groups, check-ins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field

from storage.types import TeamRow, utc_field, utcnow


class CoffeeRoundStatus:
    PENDING = "pending"  # the run claimed its slot; matching happens on the next tick
    MATCHING = "matching"  # claimed by one tick; committed as started or skipped
    STARTED = "started"
    SKIPPED = "skipped"


class CoffeePreference(TeamRow, table=True):
    """One member's coffee settings for a workspace (all its coffee/breakfast activities)."""

    __table_args__ = (UniqueConstraint("team_id", "user_id", name="uq_coffeepref_team_user"),)
    user_id: str = Field(max_length=32)
    opted_out: bool = False
    paused_until: datetime | None = utc_field(default=None)
    avoid: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # Local working hours (whole hours; a night shift such as 22-6 wraps past midnight).
    # Read only once chosen (`hours_chosen`): until then everyone has the one default of
    # activities/working_week.py, whatever these columns hold.
    work_start: int = 9
    work_end: int = 17
    # Working days as bits, Monday = 1 … Sunday = 64 (Monday to Friday by default).
    work_days: int = 31
    # Whether the member chose their hours and days (`/coffee hours`): matching and quiet
    # hours then follow them; until then the default working week.
    hours_chosen: bool = False
    updated_at: datetime = utc_field(default_factory=utcnow)


class CoffeeRound(TeamRow, table=True):
    """One round of an activity: who was matched, when to check in, when it ends."""

    activity_id: int = Field(foreign_key="activity.id", index=True)
    run_id: int = Field(foreign_key="run.id", unique=True)
    status: str = Field(default=CoffeeRoundStatus.PENDING, max_length=16)
    skipped_reason: str = ""
    created_at: datetime = utc_field(default_factory=utcnow)
    started_at: datetime | None = utc_field(default=None)
    checkin_at: datetime | None = utc_field(default=None)
    ends_at: datetime | None = utc_field(default=None)
    checkin_sent_at: datetime | None = utc_field(default=None)
    summary_sent_at: datetime | None = utc_field(default=None)
    participant_count: int = 0
    group_count: int = 0


class CoffeeGroup(TeamRow, table=True):
    """A group of a round; its group DM is recorded once the intro is sent."""

    round_id: int = Field(foreign_key="coffeeround.id", index=True)
    members: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    suggested_at: datetime | None = utc_field(default=None)
    icebreaker: str = ""
    dm_channel_id: str = Field(default="", max_length=32)
    intro_ts: str = Field(default="", max_length=32)


class CoffeeCheckin(TeamRow, table=True):
    """A member's answer to "did you meet?"; the latest answer counts."""

    __table_args__ = (UniqueConstraint("group_id", "user_id", name="uq_coffeecheckin_group_user"),)
    group_id: int = Field(foreign_key="coffeegroup.id", index=True)
    user_id: str = Field(max_length=32)
    answer: str = Field(max_length=16)
    at: datetime = utc_field(default_factory=utcnow)
