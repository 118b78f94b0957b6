"""Announcement: an organiser's text, posted to a channel on a schedule."""

from __future__ import annotations

from activities.kind import ActivityKind
from activities.kinds.announcement import intents, rules, use_cases

KIND = ActivityKind(
    "announcement",
    "Announcement",
    form=rules.FORM,
    run=use_cases.run,
    intents=intents.INTENTS,
    event=False,
    timeline=use_cases.timeline,
)
