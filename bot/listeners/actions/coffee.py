"""Coffee buttons: intro controls (skip next, pause), check-in answers, Home tab controls."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_bolt.context.async_context import AsyncBoltContext

from activities import coffee
from activities.errors import UserError
from bot.blocks import coffee as coffee_blocks
from bot.blocks.common import slack_date
from bot.home import publish_home
from bot.listeners.context import services_of

log = logging.getLogger(__name__)


async def _say(respond: AsyncRespond, text: str) -> None:
    await respond(text=text, response_type="ephemeral", replace_original=False)


async def on_intro_button(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    context: AsyncBoltContext,
    respond: AsyncRespond,
) -> None:
    await ack()
    services = services_of(context)
    team_id = context.team_id or ""
    user_id = body["user"]["id"]
    now = services.clock.now()
    try:
        async with services.db.session() as session:
            if action["action_id"] == coffee_blocks.SKIP_NEXT:
                until = await coffee.skip_next(
                    session,
                    team_id=team_id,
                    user_id=user_id,
                    group_id=int(action.get("value", "0")),
                    now=now,
                )
            else:
                until = await coffee.pause_until(
                    session,
                    team_id=team_id,
                    user_id=user_id,
                    until=now + timedelta(weeks=2),
                    now=now,
                )
    except (UserError, ValueError) as exc:
        await _say(respond, f"⚠️ {exc}")
        return
    await _say(respond, f"⏸️ You're paused until {slack_date(until)}. `/coffee resume` undoes it.")


async def on_checkin(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    context: AsyncBoltContext,
    respond: AsyncRespond,
) -> None:
    await ack()
    services = services_of(context)
    team_id = context.team_id or ""
    user_id = body["user"]["id"]
    answer = action["action_id"].removeprefix(coffee_blocks.CHECKIN_PREFIX)
    try:
        async with services.db.session() as session:
            await coffee.record_checkin(
                session,
                team_id=team_id,
                group_id=int(action.get("value", "0")),
                user_id=user_id,
                answer=answer,
                now=services.clock.now(),
            )
    except (UserError, ValueError) as exc:
        await _say(respond, f"⚠️ {exc}")
        return
    log.info("coffee check-in", extra={"team_id": team_id, "user": user_id, "answer": answer})
    await _say(respond, f"Thanks! Noted: {coffee.ANSWERS[answer]}.")


async def on_home_button(
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
    now = services.clock.now()
    async with services.db.session() as session:
        if action["action_id"] == coffee_blocks.HOME_PAUSE:
            await coffee.pause_until(
                session, team_id=team_id, user_id=user_id, until=now + timedelta(weeks=2), now=now
            )
        elif action["action_id"] == coffee_blocks.HOME_RESUME:
            await coffee.resume(session, team_id=team_id, user_id=user_id, now=now)
        else:
            await coffee.join(session, team_id=team_id, user_id=user_id, now=now)
    await publish_home(services, client, team_id, user_id)


def register(app: AsyncApp) -> None:
    for action_id in (coffee_blocks.SKIP_NEXT, coffee_blocks.PAUSE_2W):
        app.action(action_id)(on_intro_button)
    for answer in coffee.ANSWERS:
        app.action(f"{coffee_blocks.CHECKIN_PREFIX}{answer}")(on_checkin)
    for action_id in (coffee_blocks.HOME_JOIN, coffee_blocks.HOME_PAUSE, coffee_blocks.HOME_RESUME):
        app.action(action_id)(on_home_button)
