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
    services = services_of(context)
    async with services.db.session() as session:
        await engagement.record_reaction(
            session,
            team_id=context.team_id or "",
            channel_id=str(item.get("channel", "")),
            message_ts=str(item.get("ts", "")),
            user_id=str(event["user"]),
            reaction=str(event.get("reaction", "")),
            added=event.get("type") == "reaction_added",
            event_ts=str(event.get("event_ts", "")),
            now=services.clock.now(),
        )


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
    async with services.db.session() as session:
        await engagement.record_reply(
            session,
            team_id=context.team_id or "",
            channel_id=str(event.get("channel", "")),
            thread_ts=str(thread_ts),
            reply_ts=str(reply_ts),
            user_id=str(user_id),
            present=present,
            event_ts=str(event.get("event_ts") or reply_ts),
            now=services.clock.now(),
        )


def register(app: AsyncApp) -> None:
    app.event("reaction_added")(on_reaction)
    app.event("reaction_removed")(on_reaction)
    app.event("message")(on_message)
