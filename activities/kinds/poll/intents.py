"""What polls ask to be said: the poll message and its updates, results, reminders, exports."""

from __future__ import annotations

from datetime import datetime

from activities.intents import IdIntentType, Intent, IntentType

INTENTS = (
    POST := IdIntentType("poll.post", key="poll:{}:post", about="poll_id"),
    UPDATE := IdIntentType("poll.update", key="poll:{}:update", about="poll_id", refreshable=True),
    RESULTS := IdIntentType("poll.results", key="poll:{}:results", about="poll_id"),
    REMINDER := IdIntentType("poll.reminder", key="poll:{}:reminder", about="poll_id"),
    EXPORT := IntentType("poll.export"),
)


def poll_export(poll_id: int, user_id: str, now: datetime) -> Intent:
    stamp = now.strftime("%Y%m%dT%H%M%S.%f")
    return EXPORT(f"poll:{poll_id}:export:{user_id}:{stamp}", poll_id=poll_id, user_id=user_id)
