"""Clicks on a poll message: vote buttons and the overflow menu (close, export, delete)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_bolt.context.async_context import AsyncBoltContext

from activities.kinds.poll import use_cases as uc
from activities.kinds.poll.rules import PollError
from bot.kinds.poll.blocks import (
    MENU_ACTION_ID,
    VOTE_ACTION_ID,
    parse_menu_value,
    parse_vote_value,
    vote_confirmation,
)
from bot.listeners.context import services_of

log = logging.getLogger(__name__)


async def _say(respond: AsyncRespond, text: str) -> None:
    """Reply to the clicker only, through the click's response_url.

    Not chat.postEphemeral: Slack allows about 100 of those a minute per workspace,
    which a poll with a few hundred voters would exceed.
    """
    await respond(text=text, response_type="ephemeral", replace_original=False)


def _where(body: dict[str, Any]) -> tuple[str, str, str, str]:
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id", "")
    team = (body.get("team") or {}).get("id", "")
    return team, body["user"]["id"], str(channel), str(container.get("message_ts", ""))


async def handle_vote(
    ack: AsyncAck, body: dict[str, Any], context: AsyncBoltContext, respond: AsyncRespond
) -> None:
    await ack()
    services = services_of(context)
    team_id, user_id, channel_id, message_ts = _where(body)
    team_id = context.team_id or team_id
    try:
        poll_id, index = parse_vote_value(str(body["actions"][0].get("value", "")))
        # Through the vote queue: clicks arriving together share one transaction.
        outcome = await services.votes.cast(
            uc.Ballot(
                team_id=team_id,
                poll_id=poll_id,
                option_index=index,
                user_id=user_id,
                channel_id=channel_id,
                message_ts=message_ts,
                now=services.clock.now(),
            )
        )
    except ValueError as exc:  # PollError is a ValueError too; a bad value reads the same.
        text = str(exc) if isinstance(exc, PollError) else uc.NOT_THIS_POLL
    else:
        text = vote_confirmation(outcome.option_text, outcome.decision)
    await _say(respond, text)


async def handle_menu(
    ack: AsyncAck, body: dict[str, Any], context: AsyncBoltContext, respond: AsyncRespond
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
    await _say(respond, text)


def register(app: AsyncApp) -> None:
    app.action(VOTE_ACTION_ID)(handle_vote)
    app.action(MENU_ACTION_ID)(handle_menu)
