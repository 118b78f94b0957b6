"""What a talk series asks to be said."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from activities.intents import IdIntentType, Intent, IntentType, ReminderType

STAMP = "%Y%m%dT%H%M%S.%f"  # a moment in a key, to the microsecond

INTENTS = (
    CALL := IntentType("talks.call"),
    ACK := IdIntentType("talks.ack", key="talk:{}:ack", about="talk_id"),
    ANSWER := IntentType("talks.answer"),
    ANNOUNCE := IdIntentType("talks.announce", key="talk:{}:announce", about="talk_id"),
    ANNOUNCE_UPDATE := ANNOUNCE.update("talks.announce_update"),
    CHECKIN := IntentType("talks.checkin"),
    REMINDER := ReminderType("talks.reminder", key="talk:{}:remind", about="talk_id", stamp=STAMP),
    CHANGED := IntentType("talks.changed"),
    QA := IdIntentType("talks.qa", key="talk:{}:qa", about="talk_id"),
    THANKS := IdIntentType("talks.thanks", key="talk:{}:thanks", about="talk_id"),
    SUMMARY := IntentType("talks.summary"),
)


def _stamp(now: datetime) -> str:
    return now.strftime(STAMP)


def call(activity_id: int, now: datetime) -> Intent:
    return CALL(f"talks:{activity_id}:call:{_stamp(now)}", activity_id=activity_id)


def answer(talk_id: int, now: datetime) -> Intent:
    return ANSWER(f"talk:{talk_id}:answer:{_stamp(now)}", talk_id=talk_id)


def checkin(talk_id: int, slot_at: datetime) -> Intent:
    return CHECKIN(f"talk:{talk_id}:checkin:{_stamp(slot_at)}", talk_id=talk_id)


def changed(talk_id: int, user_id: str, now: datetime) -> Intent:
    return CHANGED(
        f"talk:{talk_id}:changed:{_stamp(now)}:{user_id}", talk_id=talk_id, user_id=user_id
    )


def summary(talk_id: int, questions: Sequence[tuple[str, str, int]]) -> Intent:
    return SUMMARY(
        f"talk:{talk_id}:summary",
        talk_id=talk_id,
        questions=[list(q) for q in questions],
    )
