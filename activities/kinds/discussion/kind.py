"""Topic discussions: members suggest and upvote topics; each slot posts the top one."""

from __future__ import annotations

from activities.kind import ActivityKind
from activities.kinds.discussion import intents, rules, use_cases

KIND = ActivityKind(
    "discussion", "Topic discussion", form=rules.FORM, run=use_cases.run, intents=intents.INTENTS
)
