"""`/poll`: in-channel polls for everyone."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot.blocks.help import POLL_HELP
from bot.listeners.context import Reply


async def handle_poll(ack: AsyncAck, body: dict[str, Any]) -> None:
    await ack(**Reply(POLL_HELP).ack_args())


def register(app: AsyncApp) -> None:
    app.command("/poll")(handle_poll)
