"""Someone joins a community channel: DM them the charter, once a person."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext

from activities import charter
from activities.actor import Actor
from bot.listeners.context import services_of


async def on_member_joined(event: dict[str, Any], context: AsyncBoltContext) -> None:
    services = services_of(context)
    team_id = context.team_id or str(event.get("team", ""))
    user_id = str(event.get("user", ""))
    channel_id = str(event.get("channel", ""))
    if not user_id or not channel_id or user_id == context.bot_user_id:
        return
    profile = await services.directory.profile(team_id, user_id)
    async with services.db.session() as session:
        joiner = Actor(team_id, user_id, services.clock.now())
        sent = await charter.welcome_joiner(
            session, joiner=joiner, channel_id=channel_id, profile=profile
        )
    if sent:
        services.work_soon()


def register(app: AsyncApp) -> None:
    app.event("member_joined_channel")(on_member_joined)
