"""Clicks on a poll message: vote buttons and the overflow menu (close, export, delete)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext

from activities import poll_use_cases as uc
from activities.polls import PollError
from bot.blocks.polls import (
    MENU_ACTION_ID,
    VOTE_ACTION_ID,
    parse_menu_value,
    parse_vote_value,
    vote_confirmation,
)
from bot.listeners.context import services_of
from bot.services import Services
from storage.models.polls import Poll

log = logging.getLogger(__name__)

# How the message follows the votes. None (production): each vote asks for the coalesced
# `poll.update` intent. The benchmark swaps in a naive per-vote chat.update to compare.
DirectUpdate = Callable[[Services, Any, Poll], Awaitable[None]]
direct_update: DirectUpdate | None = None


def _where(body: dict[str, Any]) -> tuple[str, str, str, str]:
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id", "")
    team = (body.get("team") or {}).get("id", "")
    return team, body["user"]["id"], str(channel), str(container.get("message_ts", ""))


async def handle_vote(
    ack: AsyncAck, body: dict[str, Any], context: AsyncBoltContext, client: Any
) -> None:
    await ack()
    services = services_of(context)
    team_id, user_id, channel_id, message_ts = _where(body)
    team_id = context.team_id or team_id
    naive = direct_update
    try:
        poll_id, index = parse_vote_value(str(body["actions"][0].get("value", "")))
        db = services.db
        async with db.session() as session:
            outcome = await uc.cast_vote(
                session,
                team_id=team_id,
                poll_id=poll_id,
                option_index=index,
                user_id=user_id,
                channel_id=channel_id,
                message_ts=message_ts,
                secret=services.settings.anonymity_secret,
                now=services.clock.now(),
            )
        if outcome.changed and naive is None:
            async with db.session() as session:
                await uc.refresh_message(session, poll=outcome.poll, now=services.clock.now())
    except ValueError as exc:  # PollError is a ValueError too; a bad value reads the same.
        text = str(exc) if isinstance(exc, PollError) else uc.NOT_THIS_POLL
    else:
        text = vote_confirmation(outcome.option_text, outcome.decision)
        if naive is not None:
            await naive(services, client, outcome.poll)
        # No courier.wake() per vote: the update is coalesced and the courier's own poll
        # (every 0.2 s) picks it up; waking it on every click only makes it spin.
    await client.chat_postEphemeral(channel=channel_id, user=user_id, text=text)


async def handle_menu(
    ack: AsyncAck, body: dict[str, Any], context: AsyncBoltContext, client: Any
) -> None:
    await ack()
    services = services_of(context)
    team_id, user_id, channel_id, message_ts = _where(body)
    team_id = context.team_id or team_id
    selected = body["actions"][0].get("selected_option") or {}
    try:
        verb, poll_id = parse_menu_value(str(selected.get("value", "")))
        may_organise = (await services.standing(team_id, user_id)).may_organise
        now = services.clock.now()
        async with services.db.session() as session:
            await uc.check_message(
                session, poll_id=poll_id, channel_id=channel_id, message_ts=message_ts
            )
            args: dict[str, Any] = {
                "team_id": team_id,
                "poll_id": poll_id,
                "actor_id": user_id,
                "may_organise": may_organise,
                "now": now,
            }
            if verb == "close":
                await uc.close_poll(session, **args)
                text = "Poll closed. The final results are on the message; I've sent a summary."
            elif verb == "delete":
                await uc.delete_poll(session, **args)
                text = "Poll deleted."
            else:
                await uc.request_export(session, **args)
                text = "I'll send you the results as a CSV file in a DM."
        services.courier.wake()
    except ValueError as exc:
        text = str(exc) if isinstance(exc, PollError) else uc.NOT_THIS_POLL
    await client.chat_postEphemeral(channel=channel_id, user=user_id, text=text)


def register(app: AsyncApp) -> None:
    app.action(VOTE_ACTION_ID)(handle_vote)
    app.action(MENU_ACTION_ID)(handle_menu)
