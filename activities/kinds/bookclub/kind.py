"""Book club: members propose and +1 books, vote through a poll, read to a plan, meet."""

from __future__ import annotations

from activities.kind import ActivityKind
from activities.kinds.bookclub import intents, rules, use_cases

KIND = ActivityKind(
    "bookclub", "Book club", form=rules.FORM, run=use_cases.run, intents=intents.INTENTS
)
