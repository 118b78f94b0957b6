"""The app leaves a workspace: pause its activities and forget its tokens."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext

from activities import manage
from activities.actor import Actor
from bot.listeners.context import services_of

log = logging.getLogger(__name__)


async def _leave(context: AsyncBoltContext, reason: str) -> None:
    services = services_of(context)
    team_id = context.team_id or ""
    async with services.db.session() as session:
        # Slack itself is who acts: the workspace left the app.
        slack = Actor(team_id=team_id, user_id="slack", now=services.clock.now())
        paused = await manage.pause_all(session, slack, reason=reason)
    await services.clients.forget(team_id)
    log.warning("workspace left", extra={"team_id": team_id, "reason": reason, "paused": paused})


async def on_app_uninstalled(context: AsyncBoltContext) -> None:
    await _leave(context, "app_uninstalled")


async def on_tokens_revoked(event: dict[str, Any], context: AsyncBoltContext) -> None:
    # Only the bot token matters: user tokens are not used.
    if (event.get("tokens") or {}).get("bot"):
        await _leave(context, "tokens_revoked")


def register(app: AsyncApp) -> None:
    app.event("app_uninstalled")(on_app_uninstalled)
    app.event("tokens_revoked")(on_tokens_revoked)
