"""Clicks on a poll message: vote buttons and the overflow menu (close, export, delete).

Both go through `on_action` like every other button, so the generated authorization
test tries them. Anyone in the channel may click them: a vote is everyone's, and the
menu's creator-or-organiser rule is checked by the use-cases, which say why.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from activities.kinds.poll import use_cases as uc
from activities.kinds.poll.rules import PollError
from bot.kinds.poll.blocks import (
    MENU_ACTION_ID,
    VOTE_ACTION_ID,
    parse_menu_value,
    parse_vote_value,
    vote_confirmation,
)
from bot.listeners.context import Caller, Reply, on_action

# The reply goes to the clicker through the click's response_url (the wrapper does so),
# not chat.postEphemeral: Slack allows about 100 of those a minute per workspace, which
# a poll with a few hundred voters would exceed.


def _refused(exc: ValueError) -> Reply:
    # PollError says why; any other ValueError is a forged or stale value.
    return Reply(str(exc) if isinstance(exc, PollError) else uc.NOT_THIS_POLL)


async def vote(caller: Caller, clicked: dict[str, Any]) -> Reply:
    try:
        poll_id, index = parse_vote_value(str(clicked.get("value", "")))
        # Through the vote queue: clicks arriving together share one transaction.
        ballot = uc.Ballot.by(
            caller.actor, poll_id, index, channel_id=caller.channel_id, message_ts=caller.message_ts
        )
        outcome = await caller.services.votes.cast(ballot)
    except ValueError as exc:
        return _refused(exc)
    return Reply(vote_confirmation(outcome.option_text, outcome.decision))


async def menu(caller: Caller, clicked: dict[str, Any]) -> Reply:
    selected = clicked.get("selected_option") or {}
    services = caller.services
    try:
        verb, poll_id = parse_menu_value(str(selected.get("value", "")))
        may_organise = (await caller.standing()).may_organise
        async with services.db.session() as session:
            await uc.check_message(
                session, poll_id=poll_id, channel_id=caller.channel_id, message_ts=caller.message_ts
            )
            args: dict[str, Any] = {
                "actor": caller.actor,
                "poll_id": poll_id,
                "may_organise": may_organise,
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
        return _refused(exc)
    return Reply(text)


def register(app: AsyncApp) -> None:
    on_action(app, [VOTE_ACTION_ID], vote)
    on_action(app, [MENU_ACTION_ID], menu)
