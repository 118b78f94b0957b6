"""The "new coffee pairings / breakfast" modal's submission."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext

from activities import coffee
from activities.errors import UserError
from bot.blocks.modals import COFFEE_CALLBACK, checked, state_value
from bot.listeners.commands.community import created_text
from bot.listeners.context import ORGANISER_ONLY, services_of, tell


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
    kind = json.loads(view.get("private_metadata") or "{}").get("kind", "coffee")
    if not (await services.standing(team_id, user_id)).may_organise:
        await ack(response_action="errors", errors={"channel": ORGANISER_ONLY})
        return
    channel_id = state_value(values, "channel")
    try:
        options = coffee.parse_options(
            kind,
            every=state_value(values, "every"),
            day=state_value(values, "day"),
            at=state_value(values, "time"),
            timezone=state_value(values, "timezone") or services.settings.default_timezone,
            size=state_value(values, "size"),
            icebreakers_flag="on" if "on" in checked(values, "icebreakers") else "off",
        )
        async with services.db.session() as session:
            activity = await coffee.create(
                session,
                team_id=team_id,
                actor_id=user_id,
                channel_id=channel_id,
                options=options,
                title="",
                now=services.clock.now(),
            )
    except UserError as exc:
        # Shown under the field it is about; the examples speak of flags, so drop them.
        message = str(exc).split(" Example:")[0]
        await ack(response_action="errors", errors={exc.field or "channel": message[:300]})
        return
    await ack()
    await tell(client, user_id=user_id, channel_id=channel_id, text=created_text(activity))


def register(app: AsyncApp) -> None:
    app.view(COFFEE_CALLBACK)(handle_submission)
