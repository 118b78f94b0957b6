"""Coffee pairings and breakfast switch-ups: two kinds on one matching engine."""

from __future__ import annotations

from typing import Literal

from activities.kind import ActivityKind
from activities.kinds.coffee import intents, rules, timeline, use_cases


def _on_the_engine(
    name: Literal["coffee", "breakfast"], label: str
) -> ActivityKind[rules.CoffeeSettings]:
    """A kind of the matching engine: its own name, label and form; the rest is shared."""
    form = rules.form(name)
    return ActivityKind(
        name,
        label,
        form=form,
        run=use_cases.run,
        intents=intents.INTENTS,
        timeline=timeline.timeline,
    )


COFFEE = _on_the_engine("coffee", "Coffee pairings")
BREAKFAST = _on_the_engine("breakfast", "Breakfast switch-up")
