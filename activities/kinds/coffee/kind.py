"""Coffee pairings and breakfast switch-ups: two kinds on one matching engine."""

from __future__ import annotations

from activities.kind import ActivityKind
from activities.kinds.coffee import intents, rules, timeline, use_cases

COFFEE = ActivityKind(
    name="coffee",
    label="Coffee pairings",
    settings=rules.CoffeeSettings,
    form=rules.form("coffee"),
    run=use_cases.run,
    intents=intents.INTENTS,
    timeline=timeline.timeline,
)
BREAKFAST = ActivityKind(
    name="breakfast",
    label="Breakfast switch-up",
    settings=rules.CoffeeSettings,
    form=rules.form("breakfast"),
    run=use_cases.run,
    intents=intents.INTENTS,
    timeline=timeline.timeline,
)
