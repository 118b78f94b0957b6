"""What an advent run asks to be said."""

from __future__ import annotations

from datetime import date

from activities.intents import Intent, IntentType

INTENTS = (
    DAY := IntentType("advent.day"),
    RECAP := IntentType("advent.recap"),
    GAP := IntentType("advent.gap"),
    NOTE := IntentType("advent.note"),
)


def day_key(activity_id: int, day: date) -> str:
    return f"advent:{activity_id}:day:{day.isoformat()}"


def day_post(*, activity_id: int, day: date, **payload: object) -> Intent:
    return DAY(day_key(activity_id, day), activity_id=activity_id, day=day.isoformat(), **payload)


def recap(*, activity_id: int, run_id: int) -> Intent:
    # Per run: `/community run` posts a recap so far without using up the last day's.
    return RECAP(f"advent:{activity_id}:recap:{run_id}", activity_id=activity_id)


def gap(*, activity_id: int, day: date, number: int, user_id: str) -> Intent:
    return GAP(
        f"advent:{activity_id}:gap:{day.isoformat()}:{user_id}",
        activity_id=activity_id,
        day=day.isoformat(),
        number=number,
        user_id=user_id,
    )


def note(*, key: str, user_id: str, text: str) -> Intent:
    """A DM to one person (an organiser told of a skipped day; an author of a decision)."""
    return NOTE(f"advent:note:{key}:{user_id}", user_id=user_id, text=text)
