"""What polls ask to be said: the poll message and its updates, results, reminders, exports."""

from __future__ import annotations

from datetime import datetime

from activities.intents import Intent, IntentType

INTENTS = (
    POST := IntentType("poll.post"),
    UPDATE := IntentType("poll.update", refreshable=True),
    RESULTS := IntentType("poll.results"),
    REMINDER := IntentType("poll.reminder"),
    EXPORT := IntentType("poll.export"),
)


def post_key(poll_id: int) -> str:
    return f"poll:{poll_id}:post"


def update_key(poll_id: int) -> str:
    return f"poll:{poll_id}:update"


def poll_post(poll_id: int) -> Intent:
    return POST(post_key(poll_id), poll_id=poll_id)


def poll_update(poll_id: int) -> Intent:
    return UPDATE(update_key(poll_id), poll_id=poll_id)


def poll_results_dm(poll_id: int) -> Intent:
    return RESULTS(f"poll:{poll_id}:results", poll_id=poll_id)


def poll_reminder(poll_id: int) -> Intent:
    return REMINDER(f"poll:{poll_id}:reminder", poll_id=poll_id)


def poll_export(poll_id: int, user_id: str, now: datetime) -> Intent:
    stamp = now.strftime("%Y%m%dT%H%M%S.%f")
    return EXPORT(f"poll:{poll_id}:export:{user_id}:{stamp}", poll_id=poll_id, user_id=user_id)
