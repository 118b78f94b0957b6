"""RSVPs, shared by every dated event: the event itself (when, where its message is) and answers.

An event is named by a stable key chosen by the kind that owns it ("talk:12",
"bookclub:3:meeting:2027-01-14"); the calendar reads these rows without knowing
the kinds. The event row also says which refreshable intent redraws its message,
so the one RSVP button listener can ask for the live counts to be updated.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field

from storage.types import TeamRow, utc_field, utcnow


class RsvpEvent(TeamRow, table=True):
    __table_args__ = (UniqueConstraint("team_id", "event_key", name="uq_rsvpevent_key"),)
    event_key: str = Field(max_length=120)
    title: str = ""
    channel_id: str = Field(default="", max_length=32)
    starts_at: datetime = utc_field()
    cancelled_at: datetime | None = utc_field(default=None)
    # The refreshable intent (name, dedupe key, payload) that redraws the RSVP message.
    message_intent: str = Field(default="", max_length=64)
    message_key: str = Field(default="", max_length=160)
    message_payload: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    created_at: datetime = utc_field(default_factory=utcnow)


class Rsvp(TeamRow, table=True):
    """One person's answer to one event: going, maybe or cant."""

    __table_args__ = (
        UniqueConstraint("team_id", "event_key", "user_id", name="uq_rsvp_event_user"),
    )
    event_key: str = Field(max_length=120, index=True)
    user_id: str = Field(max_length=32)
    answer: str = Field(max_length=8)
    updated_at: datetime = utc_field(default_factory=utcnow)
