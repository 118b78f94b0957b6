"""What coffee and breakfast ask to be said: group intros, check-ins, round summaries."""

from __future__ import annotations

from activities.intents import IdIntentType

INTENTS = (
    INTRO := IdIntentType("coffee.intro", key="coffee:group:{}:intro", about="group_id"),
    CHECKIN := IdIntentType("coffee.checkin", key="coffee:group:{}:checkin", about="group_id"),
    ROUND_STARTED := IdIntentType(
        "coffee.round_started", key="coffee:round:{}:start", about="round_id"
    ),
    ROUND_ENDED := IdIntentType("coffee.round_ended", key="coffee:round:{}:end", about="round_id"),
)
