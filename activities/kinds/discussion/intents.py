"""What a topic discussion asks to be said."""

from __future__ import annotations

from datetime import datetime

from activities.intents import IdIntentType, Intent, IntentType

INTENTS = (
    PROMPT := IntentType("discussion.prompt"),
    PROPOSER := IdIntentType(
        "discussion.proposer", key="discussion:topic:{}:proposer", about="topic_id"
    ),
    BACKLOG := IdIntentType("discussion.backlog", key="discussion:{}:backlog", about="activity_id"),
    BACKLOG_UPDATE := BACKLOG.update("discussion.backlog_update"),
    ASK := IntentType("discussion.ask"),
    DIGEST := IdIntentType("discussion.digest", key="discussion:topic:{}:digest", about="topic_id"),
)


def prompt_key(topic_id: int) -> str:
    return f"discussion:topic:{topic_id}:prompt"


def prompt(*, topic_id: int, late_since: datetime | None) -> Intent:
    return PROMPT(
        prompt_key(topic_id),
        topic_id=topic_id,
        late_since=late_since.isoformat() if late_since else None,
    )


def ask(*, activity_id: int, slot: datetime, left: int) -> Intent:
    return ASK(
        f"discussion:{activity_id}:ask:{slot.isoformat()}",
        activity_id=activity_id,
        slot=slot.isoformat(),
        left=left,
    )
