"""Organisers' buttons on the Home tab: run, pause, resume, preview."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext

from activities import manage
from activities.errors import UserError
from bot.blocks.activities import preview_text
from bot.home import publish_home
from bot.listeners.context import ORGANISER_ONLY, services_of


async def _dm(client: Any, user_id: str, text: str) -> None:
    # Home-tab clicks have no channel for an ephemeral reply: answer in the app's DM.
    opened = await client.conversations_open(users=user_id)
    await client.chat_postMessage(channel=opened["channel"]["id"], text=text)


async def on_activity_button(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    context: AsyncBoltContext,
    client: Any,
) -> None:
    await ack()
    services = services_of(context)
    team_id = context.team_id or ""
    user_id = body["user"]["id"]
    verb = action["action_id"].removeprefix("home_activity_")
    if not (await services.standing(team_id, user_id)).may_organise:
        await _dm(client, user_id, ORGANISER_ONLY)
        return
    try:
        activity_id = int(action.get("value", ""))
        now = services.clock.now()
        async with services.db.session() as session:
            if verb == "preview":
                activity = await manage.load(session, team_id=team_id, activity_id=activity_id)
                await _dm(
                    client, user_id, preview_text(activity, manage.preview(activity, now=now))
                )
                return
            if verb == "run":
                await manage.run_now(
                    session,
                    team_id=team_id,
                    actor_id=user_id,
                    activity_id=activity_id,
                    now=now,
                    directory=services.directory,
                )
            else:
                await manage.change_state(
                    session,
                    team_id=team_id,
                    actor_id=user_id,
                    activity_id=activity_id,
                    action=verb,
                    now=now,
                )
    except (UserError, ValueError) as exc:
        await _dm(client, user_id, f"⚠️ {exc}")
        return
    services.work_soon()
    await publish_home(services, client, team_id, user_id)


def register(app: AsyncApp) -> None:
    for verb in ("run", "pause", "resume", "preview"):
        app.action(f"home_activity_{verb}")(on_activity_button)
