"""Poll tables: a poll and its votes. One vote per (poll, voter, slot), enforced by the database."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field

from storage.types import Model, TeamRow, UTCDateTime, utcnow


def _utc(**kwargs: Any) -> Any:
    return Field(sa_type=UTCDateTime, **kwargs)


class PollBase(Model):
    team_id: str = Field(max_length=32, index=True)
    channel_id: str = Field(max_length=32)
    creator_id: str = Field(max_length=32)
    question: str
    kind: str = Field(default="choice", max_length=16)
    max_choices: int = 1
    anonymous: bool = False
    hide_results: bool = False


class Poll(PollBase, table=True):
    """An in-channel poll. Closed or deleted polls keep their votes but take no more."""

    __table_args__ = (Index("ix_poll_deadline", "closed_at", "closes_at"),)
    id: int | None = Field(default=None, primary_key=True)
    options: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    closes_at: datetime | None = _utc(default=None)
    closed_at: datetime | None = _utc(default=None)
    deleted_at: datetime | None = _utc(default=None)
    reminded_at: datetime | None = _utc(default=None)
    activity_id: int | None = Field(default=None, index=True)
    created_at: datetime = _utc(default_factory=utcnow)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None and self.deleted_at is None


class PollVote(TeamRow, table=True):
    """One vote. ``slot`` is 0 in single-choice polls (so a voter holds one row at most)
    and the option index in multi-choice polls (one row per option). ``voter_key`` is the
    user id for named polls and an HMAC of (poll, user) for anonymous ones."""

    __table_args__ = (UniqueConstraint("poll_id", "voter_key", "slot", name="uq_pollvote_slot"),)
    poll_id: int = Field(foreign_key="poll.id", index=True)
    voter_key: str = Field(max_length=64)
    slot: int = 0
    option_index: int
    voted_at: datetime = _utc(default_factory=utcnow)
