"""The audit trail as use-cases write it: who did what, in the caller's transaction.

A person's step is recorded as their `Actor`; the bot's own steps (reminders, calls
for volunteers, lapses, poll results) as `bot_actor`, under the id `BOT_ID`. The entry
is `storage.audit.record`'s: it stamps the workspace, the actor and the moment from
the one `Actor` value.
"""

from __future__ import annotations

from datetime import datetime

from activities.actor import Actor
from storage.audit import record

__all__ = ["BOT_ID", "bot_actor", "record"]

BOT_ID = "convene"


def bot_actor(team_id: str, now: datetime) -> Actor:
    return Actor(team_id, BOT_ID, now)
