"""Home tab and profile events."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext

from bot.directory import profile_from_user
from bot.listeners.context import services_of
from storage import members


async def on_home_opened(event: dict[str, Any], context: AsyncBoltContext, client: Any) -> None:
    if event.get("tab", "home") != "home":
        return
    await services_of(context).home_opened(client, context.team_id or "", event["user"])


async def on_user_changed(event: dict[str, Any], context: AsyncBoltContext) -> None:
    """Keep the cached profile (time zone, title, admin flag) in step with Slack."""
    services = services_of(context)
    user = event.get("user") or {}
    if not user.get("id"):
        return
    async with services.db.session() as session:
        await members.upsert_member(
            session,
            profile=profile_from_user(context.team_id or user.get("team_id", ""), user),
            now=services.clock.now(),
        )


def register(app: AsyncApp) -> None:
    app.event("app_home_opened")(on_home_opened)
    app.event("user_change")(on_user_changed)
    app.event("team_join")(on_user_changed)
