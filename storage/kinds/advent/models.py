"""Advent tables: the entries (tips) and the days already posted."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field

from storage.types import TeamChildRow, UTCDateTime, utcnow


class EntryStatus:
    PENDING = "pending"  # a member's contribution, waiting for an organiser
    APPROVED = "approved"  # in the queue for a free day
    RETURNED = "returned"  # sent back to its author with a note


class AdventEntry(TeamChildRow, table=True):
    """One tip: added by an organiser (approved at once) or contributed by a member."""

    __table_args__ = (Index("ix_advententry_activity_status", "activity_id", "status"),)
    activity_id: int = Field(foreign_key="activity.id")
    author_id: str = Field(max_length=32)
    text: str
    link: str = ""
    anonymous: bool = False
    status: str = Field(default=EntryStatus.APPROVED, max_length=16)
    note: str = ""
    pinned_on: date | None = None
    position: int = 0
    decided_by: str = Field(default="", max_length=32)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class AdventDay(TeamChildRow, table=True):
    """A day that has been handled: posted (with its entry) or skipped as a gap. Unique per
    (run, date), so a restart, a second process or a missed tick never posts it twice."""

    __table_args__ = (UniqueConstraint("activity_id", "day", name="uq_advent_day"),)
    activity_id: int = Field(foreign_key="activity.id", index=True)
    day: date
    number: int
    entry_id: int | None = Field(default=None, foreign_key="advententry.id")
    late: bool = False
    handled_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
