"""`/coffee`: members' controls for pairings."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot.blocks.help import COFFEE_HELP
from bot.listeners.context import Reply


async def handle_coffee(ack: AsyncAck, body: dict[str, Any]) -> None:
    await ack(**Reply(COFFEE_HELP).ack_args())


def register(app: AsyncApp) -> None:
    app.command("/coffee")(handle_coffee)
