"""What a topic discussion asks to be said."""

from __future__ import annotations

from datetime import datetime

from activities.intents import Intent, IntentType

INTENTS = (
    PROMPT := IntentType("discussion.prompt"),
    PROPOSER := IntentType("discussion.proposer"),
    BACKLOG := IntentType("discussion.backlog"),
    BACKLOG_UPDATE := IntentType("discussion.backlog_update", refreshable=True),
    ASK := IntentType("discussion.ask"),
    DIGEST := IntentType("discussion.digest"),
)


def prompt_key(topic_id: int) -> str:
    return f"discussion:topic:{topic_id}:prompt"


def backlog_key(activity_id: int) -> str:
    return f"discussion:{activity_id}:backlog"


def prompt(*, topic_id: int, late_since: datetime | None) -> Intent:
    return PROMPT(
        prompt_key(topic_id),
        topic_id=topic_id,
        late_since=late_since.isoformat() if late_since else None,
    )


def proposer(*, topic_id: int) -> Intent:
    return PROPOSER(f"discussion:topic:{topic_id}:proposer", topic_id=topic_id)


def backlog(*, activity_id: int) -> Intent:
    return BACKLOG(backlog_key(activity_id), activity_id=activity_id)


def backlog_update(*, activity_id: int) -> Intent:
    return BACKLOG_UPDATE(f"{backlog_key(activity_id)}:update", activity_id=activity_id)


def ask(*, activity_id: int, slot: datetime, left: int) -> Intent:
    return ASK(
        f"discussion:{activity_id}:ask:{slot.isoformat()}",
        activity_id=activity_id,
        slot=slot.isoformat(),
        left=left,
    )


def digest(*, topic_id: int) -> Intent:
    return DIGEST(f"discussion:topic:{topic_id}:digest", topic_id=topic_id)
