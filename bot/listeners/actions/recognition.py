"""The "Share as a win" message shortcut: a modal prefilled with the message's text and
its author credited; submitting it shares the win, linking back to the message."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from activities import recognition_use_cases as recognition
from activities.text import unescape_slack
from bot.blocks import recognition as blocks
from bot.blocks.forms import view_inputs
from bot.listeners.commands.recognition import publish_win
from bot.listeners.context import Caller, Reply, metadata_of, on_shortcut, submission
from storage.recognition import Source

log = logging.getLogger(__name__)


async def on_share_win(caller: Caller, shortcut: dict[str, Any]) -> Reply | None:
    message = shortcut.get("message") or {}
    # Refused here, before the form, when there is nowhere to post.
    async with caller.services.db.session() as session:
        await recognition.wins_channel(session, team_id=caller.team_id)
    metadata = {"channel": caller.channel_id, "ts": str(shortcut.get("message_ts") or "")}
    text = unescape_slack(str(message.get("text") or ""))
    await caller.open_view(blocks.win_modal(text, str(message.get("user") or ""), metadata))
    return None


async def on_win_submitted(caller: Caller, view: dict[str, Any]) -> Reply:
    source = metadata_of(view)
    text = view_inputs(view).get("text", "")
    values = (view.get("state") or {}).get("values") or {}
    credit = (values.get("credit") or {}).get("credit", {}).get("selected_users") or []
    channel, ts = str(source.get("channel") or ""), str(source.get("ts") or "")
    return await publish_win(
        caller,
        text,
        credit=[str(user) for user in credit],
        source=Source(channel, ts, await _permalink(caller, channel, ts)),
    )


async def _permalink(caller: Caller, channel: str, ts: str) -> str:
    if not (channel and ts):
        return ""
    try:
        found = await caller.client.chat_getPermalink(channel=channel, message_ts=ts)
    except SlackApiError as exc:
        # The win still goes out, without the link (the message may be gone or private).
        log.info("no permalink for a shared win", extra={"error": exc.response.get("error")})
        return ""
    return str(found.get("permalink") or "")


def register(app: AsyncApp) -> None:
    on_shortcut(app, blocks.SHARE_WIN_SHORTCUT, on_share_win)
    app.view(blocks.SHARE_WIN_CALLBACK)(submission(on_win_submitted))
