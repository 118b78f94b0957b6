"""Coffee buttons: intro controls (skip next, pause), check-in answers, Home tab controls."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_bolt.context.async_context import AsyncBoltContext
from sqlmodel.ext.asyncio.session import AsyncSession

from activities import coffee
from activities.errors import UserError
from bot.blocks import coffee as coffee_blocks
from bot.blocks.common import slack_date
from bot.home import publish_home
from bot.listeners.context import services_of
from bot.services import Services

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class _Click:
    """Who clicked a coffee button, where, and when."""

    services: Services
    team_id: str
    user_id: str
    now: datetime
    action: dict[str, Any]

    @property
    def group_id(self) -> int:
        return int(self.action.get("value", "0"))


Work = Callable[[AsyncSession, _Click], Awaitable[str | None]]


async def _handle(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    context: AsyncBoltContext,
    respond: AsyncRespond | None,
    work: Work,
) -> _Click:
    """Ack, run `work` in one transaction and answer its text (ephemeral).

    A UserError (or a malformed value) is answered instead; without a `respond`
    (Home tab clicks have no response_url) it is logged.
    """
    await ack()
    services = services_of(context)
    click = _Click(
        services, context.team_id or "", body["user"]["id"], services.clock.now(), action
    )
    try:
        async with services.db.session() as session:
            text = await work(session, click)
    except (UserError, ValueError) as exc:
        text = f"⚠️ {exc}"
        log.info(
            "coffee button refused",
            extra={"team_id": click.team_id, "user": click.user_id, "error": str(exc)},
        )
    if text and respond is not None:
        await respond(text=text, response_type="ephemeral", replace_original=False)
    return click


async def _intro_button(session: AsyncSession, click: _Click) -> str:
    team_id, user_id, now = click.team_id, click.user_id, click.now
    if click.action["action_id"] == coffee_blocks.SKIP_NEXT:
        until = await coffee.skip_next(
            session, team_id=team_id, user_id=user_id, group_id=click.group_id, now=now
        )
    else:
        until = await coffee.pause_for(session, team_id=team_id, user_id=user_id, now=now)
    return f"⏸️ You're paused until {slack_date(until)}. `/coffee resume` undoes it."


async def _checkin(session: AsyncSession, click: _Click) -> str:
    answer = click.action["action_id"].removeprefix(coffee_blocks.CHECKIN_PREFIX)
    await coffee.record_checkin(
        session,
        team_id=click.team_id,
        group_id=click.group_id,
        user_id=click.user_id,
        answer=answer,
        now=click.now,
    )
    log.info(
        "coffee check-in", extra={"team_id": click.team_id, "user": click.user_id, "answer": answer}
    )
    return f"Thanks! Noted: {coffee.ANSWERS[answer]}."


async def _home_button(session: AsyncSession, click: _Click) -> None:
    team_id, user_id, now = click.team_id, click.user_id, click.now
    action_id = click.action["action_id"]
    if action_id == coffee_blocks.HOME_PAUSE:
        await coffee.pause_for(session, team_id=team_id, user_id=user_id, now=now)
    elif action_id == coffee_blocks.HOME_RESUME:
        await coffee.resume(session, team_id=team_id, user_id=user_id, now=now)
    else:
        await coffee.join(session, team_id=team_id, user_id=user_id, now=now)


async def on_intro_button(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    context: AsyncBoltContext,
    respond: AsyncRespond,
) -> None:
    await _handle(ack, body, action, context, respond, _intro_button)


async def on_checkin(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    context: AsyncBoltContext,
    respond: AsyncRespond,
) -> None:
    await _handle(ack, body, action, context, respond, _checkin)


async def on_home_button(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    context: AsyncBoltContext,
    client: Any,
) -> None:
    click = await _handle(ack, body, action, context, None, _home_button)
    await publish_home(click.services, client, click.team_id, click.user_id)


def register(app: AsyncApp) -> None:
    for action_id in (coffee_blocks.SKIP_NEXT, coffee_blocks.PAUSE_2W):
        app.action(action_id)(on_intro_button)
    for answer in coffee.ANSWERS:
        app.action(f"{coffee_blocks.CHECKIN_PREFIX}{answer}")(on_checkin)
    for action_id in (coffee_blocks.HOME_JOIN, coffee_blocks.HOME_PAUSE, coffee_blocks.HOME_RESUME):
        app.action(action_id)(on_home_button)
