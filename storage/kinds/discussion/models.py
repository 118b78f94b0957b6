"""Topic discussions' tables: the topics (open, used, withdrawn…) and their upvotes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field

from storage.types import Model, TeamChildRow, UTCDateTime, utcnow


class TopicState:
    OPEN = "open"  # in the backlog, can be voted for
    USED = "used"  # posted as a prompt; in the archive
    WITHDRAWN = "withdrawn"  # taken back by its proposer
    REMOVED = "removed"  # taken out by an organiser
    MERGED = "merged"  # folded into another topic (its votes moved there)


class DiscussionTopic(TeamChildRow, table=True):
    __table_args__ = (Index("ix_discussiontopic_activity_state", "activity_id", "state"),)
    activity_id: int = Field(foreign_key="activity.id")
    text: str
    proposer_id: str = Field(max_length=32)
    state: str = Field(default=TopicState.OPEN, max_length=16)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    merged_into: int | None = None
    # Set when the next-day digest is asked for: a compare-and-set, so it goes once.
    digest_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class TopicVote(Model, table=True):
    """One member's upvote on one topic (there are no downvotes)."""

    __table_args__ = (UniqueConstraint("topic_id", "user_id", name="uq_topic_vote"),)
    id: int | None = Field(default=None, primary_key=True)
    topic_id: int = Field(foreign_key="discussiontopic.id")
    user_id: str = Field(max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
