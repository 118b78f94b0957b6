"""Talks: a TED-style series that members fill by volunteering talks."""

from __future__ import annotations

from activities.kind import ActivityKind
from activities.kinds.talks import intents, rules, use_cases

KIND = ActivityKind("talks", "Talks", form=rules.FORM, run=use_cases.run, intents=intents.INTENTS)
