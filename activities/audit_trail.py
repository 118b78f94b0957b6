"""The audit trail as use-cases write it: who did what, in the caller's transaction.

A person's step is recorded as their `Actor`; the bot's own steps (reminders, calls
for volunteers, lapses, poll results) as `bot_actor`, under the id `BOT_ID`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from activities.actor import Actor
from storage import audit

BOT_ID = "convene"


def bot_actor(team_id: str, now: datetime) -> Actor:
    return Actor(team_id, BOT_ID, now)


async def record(
    session: AsyncSession,
    actor: Actor,
    action: str,
    subject: str,
    detail: dict[str, Any] | None = None,
) -> None:
    await audit.record(
        session,
        team_id=actor.team_id,
        actor_id=actor.user_id,
        action=action,
        subject=subject,
        detail=detail,
        now=actor.now,
    )
