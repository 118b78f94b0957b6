"""The one listener for every event's Going / Maybe / Can't buttons (any kind's message).

The button's value is the event's key; the event row says whether it still takes
answers and which message to redraw, so no kind needs its own RSVP listener.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from slack_bolt.async_app import AsyncApp

from activities import rsvp, rsvp_answers
from activities.text import escape_mrkdwn
from bot.blocks import rsvp as rsvp_blocks
from bot.blocks.calendar import CALENDAR_RSVP
from bot.home import HomeRequest
from bot.listeners.commands import calendar as calendar_words
from bot.listeners.context import Caller, Reply, on_action
from storage import rsvps as rsvp_store

log = logging.getLogger(__name__)


async def on_rsvp(caller: Caller, clicked: dict[str, Any]) -> Reply:
    answer = rsvp_blocks.ACTION_IDS[clicked["action_id"]]
    event_key = str(clicked.get("value", ""))
    async with caller.services.db.session() as session:
        event = await rsvp_answers.answer(session, caller.actor, event_key=event_key, answer=answer)
        if caller.view.get("type") != "home":
            # Answered in a channel or the calendar: their open Home tab shows their answers
            # too (a click on the tab redraws it by itself).
            await caller.services.redraw_homes(session, caller.team_id, [caller.user_id])
    async with caller.services.db.session() as session:
        await rsvp_answers.refresh_message(session, event=event, now=caller.now)
    caller.services.courier.wake()
    if answer == "going":
        # Reminders are written in each person's own time zone: make sure we know it.
        await caller.services.directory.profile(caller.team_id, caller.user_id)
    log.info("rsvp", extra={"team_id": caller.team_id, "event_key": event_key, "answer": answer})
    said = rsvp.confirmation(answer, escape_mrkdwn(event.title))
    block_id = str(clicked.get("block_id", ""))
    if block_id.startswith(f"{CALENDAR_RSVP}:"):
        # From `/community calendar`: redraw the calendar with the answer ticked.
        weeks = block_id.split(":", 2)[1]
        shown = await calendar_words.show(caller, [weeks])
        return replace(shown, text=said, replace_original=True)
    return Reply(said)


async def rsvp_home(home: HomeRequest) -> list[Any]:
    """The Home tab's list of the person's RSVPs (kinds with events add this section)."""
    items = await rsvp_store.of_user(
        home.session, team_id=home.team_id, user_id=home.user_id, after=home.now
    )
    return rsvp_blocks.home_section(items)


def register(app: AsyncApp) -> None:
    on_action(app, list(rsvp_blocks.ACTION_IDS), on_rsvp)
