"""Reactions and thread replies on the bot's posts, from Slack's events (never their text)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext

from activities import engagement
from bot.listeners.context import services_of

log = logging.getLogger(__name__)

# Message subtypes that are still a person's reply (a reply also sent to the channel).
REPLY_SUBTYPES = frozenset({"", "thread_broadcast", "file_share"})


async def on_reaction(event: dict[str, Any], context: AsyncBoltContext) -> None:
    item = event.get("item") or {}
    if item.get("type") != "message" or not event.get("user"):
        return
    post = engagement.Post(
        context.team_id or "", str(item.get("channel", "")), str(item.get("ts", ""))
    )
    added = event.get("type") == "reaction_added"
    name, event_ts = str(event.get("reaction", "")), str(event.get("event_ts", ""))
    mark = engagement.Mark(post, str(event["user"]), engagement.REACTION, name, added, event_ts)
    services = services_of(context)
    async with services.db.session() as session:
        await engagement.record(session, mark, now=services.clock.now())


async def on_message(event: dict[str, Any], context: AsyncBoltContext) -> None:
    """Only replies in threads count; a deleted reply stops counting. Text is never read."""
    subtype = str(event.get("subtype") or "")
    services = services_of(context)
    if subtype == "message_deleted":
        before = event.get("previous_message") or {}
        thread_ts, reply_ts = before.get("thread_ts"), event.get("deleted_ts")
        user_id, present = before.get("user"), False
    elif subtype in REPLY_SUBTYPES and not event.get("bot_id"):
        thread_ts, reply_ts = event.get("thread_ts"), event.get("ts")
        user_id, present = event.get("user"), True
    else:
        return
    if not (thread_ts and reply_ts and user_id):
        return
    thread = engagement.Post(context.team_id or "", str(event.get("channel", "")), str(thread_ts))
    event_ts = str(event.get("event_ts") or reply_ts)
    mark = engagement.Mark(thread, str(user_id), engagement.REPLY, str(reply_ts), present, event_ts)
    async with services.db.session() as session:
        await engagement.record(session, mark, now=services.clock.now())


def register(app: AsyncApp) -> None:
    app.event("reaction_added")(on_reaction)
    app.event("reaction_removed")(on_reaction)
    app.event("message")(on_message)
