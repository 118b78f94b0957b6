"""Governance tables: named roles, rotation decisions, volunteer calls, community settings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field

from storage.types import Model, TeamRow, UTCDateTime, utcnow


class Role(TeamRow, table=True):
    """A named role admins create ("Book club host"), optionally tied to one activity."""

    __table_args__ = (UniqueConstraint("team_id", "key", name="uq_role_team_key"),)
    # The name lowercased: what a term's `role` holds and what makes names unique.
    key: str = Field(max_length=32)
    name: str = Field(max_length=32)
    activity_id: int | None = Field(default=None)
    involves: str = ""
    checklist: str = ""
    channel_id: str = Field(default="", max_length=32)
    created_by: str = Field(default="", max_length=32)
    created_at: datetime = Field(sa_type=UTCDateTime, default_factory=utcnow)


class RotationDecision(TeamRow, table=True):
    """The answer to one term's rotation DMs for one cycle: the unique key makes the first
    answer the only one."""

    __table_args__ = (UniqueConstraint("term_id", "cycle", name="uq_rotation_term_cycle"),)
    term_id: int = Field(index=True)
    cycle: int = 0
    choice: str = Field(max_length=16)
    decided_by: str = Field(max_length=32)
    decided_at: datetime = Field(sa_type=UTCDateTime, default_factory=utcnow)


class VolunteerCall(TeamRow, table=True):
    """A call for volunteers for a role; `appointed_user_id` is set once (compare-and-set)."""

    role: str = Field(max_length=32)
    term_id: int | None = Field(default=None, index=True)
    channel_id: str = Field(default="", max_length=32)
    opened_at: datetime = Field(sa_type=UTCDateTime, default_factory=utcnow)
    appointed_user_id: str = Field(default="", max_length=32)
    appointed_by: str = Field(default="", max_length=32)
    appointed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Volunteer(TeamRow, table=True):
    __table_args__ = (UniqueConstraint("call_id", "user_id", name="uq_volunteer_call_user"),)
    call_id: int = Field(index=True)
    user_id: str = Field(max_length=32)
    note: str = ""
    created_at: datetime = Field(sa_type=UTCDateTime, default_factory=utcnow)


class RolePoll(TeamRow, table=True):
    """A poll among a call's volunteers. `live` is 1 while the poll is open and NULL once
    it is settled: the unique key allows one open poll a call (so a role), even in a race."""

    __table_args__ = (UniqueConstraint("call_id", "live", name="uq_role_poll_call_live"),)
    call_id: int = Field(index=True)
    poll_id: int = Field(unique=True)
    # The volunteer behind each poll option, in the options' order.
    user_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    opened_by: str = Field(max_length=32)
    opened_at: datetime = Field(sa_type=UTCDateTime, default_factory=utcnow)
    live: int | None = Field(default=1)
    settled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class CommunitySettings(Model, table=True):
    """One row a workspace: the home channel and the charter."""

    team_id: str = Field(primary_key=True, max_length=32)
    home_channel_id: str = Field(default="", max_length=32)
    purpose: str = ""
    benefits: str = ""
    taking_part: str = ""
    updated_by: str = Field(default="", max_length=32)
    updated_at: datetime = Field(sa_type=UTCDateTime, default_factory=utcnow)


class CharterWelcome(TeamRow, table=True):
    """Who was sent the charter on joining: once a person."""

    __table_args__ = (UniqueConstraint("team_id", "user_id", name="uq_charter_team_user"),)
    user_id: str = Field(max_length=32)
    channel_id: str = Field(default="", max_length=32)
    sent_at: datetime = Field(sa_type=UTCDateTime, default_factory=utcnow)
