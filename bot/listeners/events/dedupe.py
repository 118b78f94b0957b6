"""Slack redelivers events it thinks were lost; each `event_id` is handled once."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.response import BoltResponse

from bot.listeners.context import services_of
from storage import events

log = logging.getLogger(__name__)


async def once_per_event(
    body: dict[str, Any], context: AsyncBoltContext, next: Callable[[], Awaitable[None]]
) -> BoltResponse | None:
    event_id = body.get("event_id") if body.get("type") == "event_callback" else None
    if event_id:
        services = services_of(context)
        async with services.db.session() as session:
            first = await events.mark_processed(
                session,
                event_id=event_id,
                team_id=body.get("team_id", ""),
                now=services.clock.now(),
            )
        if not first:
            log.info("duplicate event ignored", extra={"event_id": event_id})
            return BoltResponse(status=200, body="")
    await next()
    return None


def register(app: AsyncApp) -> None:
    app.middleware(once_per_event)
