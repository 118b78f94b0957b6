"""What coffee and breakfast ask to be said: group intros, check-ins, round summaries."""

from __future__ import annotations

from activities.intents import Intent, IntentType

INTENTS = (
    INTRO := IntentType("coffee.intro"),
    CHECKIN := IntentType("coffee.checkin"),
    ROUND_STARTED := IntentType("coffee.round_started"),
    ROUND_ENDED := IntentType("coffee.round_ended"),
)


def intro(*, group_id: int) -> Intent:
    return INTRO(f"coffee:group:{group_id}:intro", group_id=group_id)


def checkin(*, group_id: int) -> Intent:
    return CHECKIN(f"coffee:group:{group_id}:checkin", group_id=group_id)


def round_started(*, round_id: int) -> Intent:
    return ROUND_STARTED(f"coffee:round:{round_id}:start", round_id=round_id)


def round_ended(*, round_id: int) -> Intent:
    return ROUND_ENDED(f"coffee:round:{round_id}:end", round_id=round_id)
