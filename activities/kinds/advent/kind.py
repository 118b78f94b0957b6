"""Advent of learning: one tip a day between two dates, with a recap on the last day."""

from __future__ import annotations

from activities.kind import ActivityKind
from activities.kinds.advent import intents, rules, use_cases

KIND = ActivityKind(
    "advent", "Advent of learning", form=rules.FORM, run=use_cases.run, intents=intents.INTENTS
)
