"""What an announcement asks to be said."""

from __future__ import annotations

from activities.intents import Intent, IntentType

INTENTS = (POST := IntentType("announcement.post"),)


def post(*, activity_id: int, run_id: int) -> Intent:
    return POST(f"announcement:{activity_id}:run:{run_id}", activity_id=activity_id, run_id=run_id)
