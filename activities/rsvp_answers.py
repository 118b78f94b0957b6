"""RSVP use-cases shared by every dated event: open one, answer it, redraw its message."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from activities import intents, rsvp
from activities.actor import Actor
from activities.errors import UserError
from activities.intents import Intent
from storage import rsvps as store
from storage.models import RsvpEvent

NO_EVENT = "I can't find that event any more."


# Make an event answerable (or move it): storage's own, as use-cases open one.
open_event = store.open_event


@dataclass(frozen=True, slots=True)
class EventState:
    """What an event's message shows of it: its key (the buttons carry it), how many gave
    each answer, and whether it was cancelled (or never opened)."""

    event_key: str
    counts: Mapping[str, int]
    cancelled: bool

    @property
    def going(self) -> int:
        return self.counts.get("going", 0)


async def state(session: AsyncSession, *, team_id: str, event_key: str) -> EventState:
    event = await store.get_event(session, team_id=team_id, event_key=event_key)
    counts = await store.counts(session, team_id=team_id, event_key=event_key)
    return EventState(event_key, counts, cancelled=event is None or event.cancelled_at is not None)


async def answer(
    session: AsyncSession, actor: Actor, *, event_key: str, answer: rsvp.Answer
) -> RsvpEvent:
    """Record the person's answer, unless the event was cancelled or has started."""
    team_id, user_id, now = actor.team_id, actor.user_id, actor.now
    event = await store.get_event(session, team_id=team_id, event_key=event_key)
    if event is None:
        raise UserError(NO_EVENT)
    rsvp.check_open(starts_at=event.starts_at, cancelled=event.cancelled_at is not None, now=now)
    await store.answer(
        session, team_id=team_id, event_key=event_key, user_id=user_id, answer=answer, now=now
    )
    return event


async def refresh_message(session: AsyncSession, *, event: RsvpEvent, now: datetime) -> None:
    """Ask for the event's message to be redrawn with the new counts (after the answer commits)."""
    if not event.message_intent:
        return
    intent = Intent(event.message_intent, event.message_key, dict(event.message_payload), True)
    await intents.refresh(session, team_id=event.team_id, intent=intent, now=now)
