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
    mark = engagement.Mark.reaction(
        post,
        user_id=str(event["user"]),
        name=str(event.get("reaction", "")),
        present=event.get("type") == "reaction_added",
        at=str(event.get("event_ts", "")),
    )
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
    at = str(event.get("event_ts") or reply_ts)
    mark = engagement.Mark.reply(
        thread, user_id=str(user_id), reply_ts=str(reply_ts), present=present, at=at
    )
    async with services.db.session() as session:
        await engagement.record(session, mark, now=services.clock.now())


def register(app: AsyncApp) -> None:
    app.event("reaction_added")(on_reaction)
    app.event("reaction_removed")(on_reaction)
    app.event("message")(on_message)
