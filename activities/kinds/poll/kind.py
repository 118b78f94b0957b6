"""Poll: the recurring kind (one-off polls come from `/poll` and share everything else)."""

from __future__ import annotations

from activities.kind import ActivityKind
from activities.kinds.poll import intents, rules, timeline, use_cases

KIND = ActivityKind(
    "poll",
    "Poll",
    form=rules.FORM,
    run=use_cases.run,
    intents=intents.INTENTS,
    event=False,
    timeline=timeline.timeline,
)
