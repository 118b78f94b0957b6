"""The "new announcement" modal's submission."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext

from activities import announcement, manage, schedule
from activities.errors import UserError
from bot.blocks.modals import ANNOUNCEMENT_CALLBACK, state_value
from bot.listeners.commands.community import created_text
from bot.listeners.context import ORGANISER_ONLY, services_of, tell
from bot.parsing import truncate


async def handle_submission(
    ack: AsyncAck,
    body: dict[str, Any],
    view: dict[str, Any],
    context: AsyncBoltContext,
    client: Any,
) -> None:
    services = services_of(context)
    team_id = context.team_id or ""
    user_id = body["user"]["id"]
    values = view["state"]["values"]
    if not (await services.standing(team_id, user_id)).may_organise:
        await ack(response_action="errors", errors={"text": ORGANISER_ONLY})
        return
    channel_id = state_value(values, "channel")
    timezone = state_value(values, "timezone") or await services.timezone_of(team_id, user_id)
    # Each input is checked on its own, so an error shows under the field it is about.
    try:
        timezone = schedule.validate_timezone(timezone)
    except UserError as exc:
        await ack(response_action="errors", errors={"timezone": str(exc)[:300]})
        return
    try:
        text = announcement.validate_text(state_value(values, "text"))
    except UserError as exc:
        await ack(response_action="errors", errors={"text": str(exc)})
        return
    try:
        async with services.db.session() as session:
            activity = await manage.create(
                session,
                team_id=team_id,
                actor_id=user_id,
                kind="announcement",
                channel_id=channel_id,
                title=truncate(text, 60),
                schedule_text=state_value(values, "schedule"),
                timezone=timezone,
                config={"text": text},
                now=services.clock.now(),
            )
    except UserError as exc:
        await ack(response_action="errors", errors={"schedule": str(exc)[:300]})
        return
    await ack()
    await tell(client, user_id=user_id, channel_id=channel_id, text=created_text(activity))


def register(app: AsyncApp) -> None:
    app.view(ANNOUNCEMENT_CALLBACK)(handle_submission)
