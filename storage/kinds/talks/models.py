"""Talk tables: volunteered talks (backlog → scheduled → given) and each series' call state.

One slot holds one talk (unique activity and slot); each dated step of a talk has
its own `…_at` column, claimed with a compare-and-set so it happens once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from storage.types import MeetingSteps, Model, TeamRow, utc_field, utcnow


class TalkStatus:
    PROPOSED = "proposed"
    SCHEDULED = "scheduled"
    DECLINED = "declined"
    GIVEN = "given"
    CANCELLED = "cancelled"


class TalkBase(TeamRow):
    """A talk's columns before its meeting's steps (see `MeetingSteps`)."""

    activity_id: int = Field(index=True)
    speaker_id: str = Field(max_length=32)
    title: str
    title_key: str = Field(max_length=200)
    abstract: str = ""
    months: str = ""
    recordable: bool = False
    status: str = Field(default=TalkStatus.PROPOSED, max_length=16)
    note: str = ""
    slot_at: datetime | None = utc_field(default=None)
    checkin_answer: str = Field(default="", max_length=16)
    announced_at: datetime | None = utc_field(default=None)
    checkin_at: datetime | None = utc_field(default=None)


class Talk(MeetingSteps, TalkBase, table=True):
    __table_args__ = (
        UniqueConstraint("activity_id", "title_key", name="uq_talk_title"),
        UniqueConstraint("activity_id", "slot_at", name="uq_talk_slot"),
    )
    summarised_at: datetime | None = utc_field(default=None)
    created_at: datetime = utc_field(default_factory=utcnow)


class TalkSeries(Model, table=True):
    """When a series last called for speakers (at most once a fortnight)."""

    activity_id: int = Field(primary_key=True)
    team_id: str = Field(max_length=32)
    last_call_at: datetime | None = utc_field(default=None)
