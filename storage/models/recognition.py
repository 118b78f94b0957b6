"""Wins and thanks: the community's successes and recognition, kept for the report.

Free Slack keeps 90 days of history, so these rows are the long-term record: the
report counts them, `/community me` shows a member their own.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field

from storage.types import Model, TeamRow, UTCDateTime, utcnow


def _utc(**kwargs: Any) -> Any:
    return Field(sa_type=UTCDateTime, **kwargs)


class Win(TeamRow, table=True):
    """A success shared with `/community win` or the "Share as a win" shortcut."""

    author_id: str = Field(max_length=32)
    text: str = ""
    # The members the win credits (user ids), the author included when they name themselves.
    credited: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # Where it was posted (the wins channel), once posted.
    channel_id: str = Field(default="", max_length=32)
    message_ts: str = Field(default="", max_length=32)
    # The message it was shared from, for the shortcut ("" for a typed win).
    source_channel_id: str = Field(default="", max_length=32)
    source_ts: str = Field(default="", max_length=32)
    created_at: datetime = _utc(default_factory=utcnow, index=True)


class Thanks(TeamRow, table=True):
    """One member thanking another (`/community thanks @person "for …"`)."""

    giver_id: str = Field(max_length=32, index=True)
    receiver_id: str = Field(max_length=32, index=True)
    reason: str = ""
    # Shown in the channel too (the giver chose it and the receiver has not opted out).
    public: bool = False
    channel_id: str = Field(default="", max_length=32)
    created_at: datetime = _utc(default_factory=utcnow, index=True)


class RecognitionSettings(Model, table=True):
    """One row a workspace: where wins go, and whether the thanks leaderboard is on."""

    team_id: str = Field(primary_key=True, max_length=32)
    # "" means the community's home channel (CommunitySettings.home_channel_id).
    wins_channel_id: str = Field(default="", max_length=32)
    # Off by default: kudos leaderboards feel unfair to newcomers.
    leaderboard: bool = False
    updated_by: str = Field(default="", max_length=32)
    updated_at: datetime = _utc(default_factory=utcnow)


class ShoutoutOptOut(Model, table=True):
    """A member who wants thanks by DM only, never shouted out in a channel."""

    team_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    created_at: datetime = _utc(default_factory=utcnow)
