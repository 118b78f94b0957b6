"""Book-club tables: proposals and their +1s, rounds (vote → book → plan → meeting), progress.

A round is one book's cycle. Each dated step of it (the RSVP message, the two
reminders, the meeting's start, the history entry) has its own `…_at` column,
set with a compare-and-set by the periodic task, so each happens once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field

from storage.types import MeetingSteps, TeamChildRow, TeamRow, utc_field, utcnow


class ProposalStatus:
    PROPOSED = "proposed"
    CURRENT = "current"
    READ = "read"
    WITHDRAWN = "withdrawn"


class BookProposal(TeamRow, table=True):
    # Same title and author (any case, any spacing) in one club is one proposal.
    __table_args__ = (UniqueConstraint("activity_id", "match_key", name="uq_bookproposal_match"),)
    activity_id: int = Field(index=True)
    title: str
    author: str = ""
    link: str = ""
    why: str = ""
    proposer_id: str = Field(max_length=32)
    match_key: str = Field(max_length=400)
    status: str = Field(default=ProposalStatus.PROPOSED, max_length=16)
    created_at: datetime = utc_field(default_factory=utcnow)


class BookUpvote(TeamChildRow, table=True):
    __table_args__ = (UniqueConstraint("proposal_id", "user_id", name="uq_bookupvote_user"),)
    proposal_id: int = Field(foreign_key="bookproposal.id", index=True)
    user_id: str = Field(max_length=32)
    created_at: datetime = utc_field(default_factory=utcnow)


class BookRoundBase(TeamRow):
    """A round's columns before its meeting's steps (see `MeetingSteps`)."""

    activity_id: int = Field(index=True)
    poll_id: int | None = Field(default=None, index=True)
    # The proposals the poll offered, in the poll's option order.
    proposal_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    opened_at: datetime = utc_field(default_factory=utcnow)
    settled_at: datetime | None = utc_field(default=None)
    book_id: int | None = Field(default=None)
    meeting_at: datetime | None = utc_field(default=None)
    sections: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    planned_at: datetime | None = utc_field(default=None)
    rsvp_posted_at: datetime | None = utc_field(default=None)


class BookRound(MeetingSteps, BookRoundBase, table=True):
    finished_count: int = 0


class BookMilestone(TeamChildRow, table=True):
    __table_args__ = (UniqueConstraint("round_id", "position", name="uq_bookmilestone_pos"),)
    round_id: int = Field(foreign_key="bookround.id", index=True)
    position: int
    section: str
    due_at: datetime = utc_field()
    posted_at: datetime | None = utc_field(default=None)


class BookProgress(TeamChildRow, table=True):
    """A reader's answer on one milestone: on_track or finished."""

    __table_args__ = (UniqueConstraint("milestone_id", "user_id", name="uq_bookprogress_user"),)
    round_id: int = Field(index=True)
    milestone_id: int = Field(foreign_key="bookmilestone.id", index=True)
    user_id: str = Field(max_length=32)
    answer: str = Field(max_length=16)
    updated_at: datetime = utc_field(default_factory=utcnow)
