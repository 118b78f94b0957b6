"""`/poll`: in-channel polls for everyone, from the command's text or its modal."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from slack_bolt.async_app import AsyncApp

from activities.errors import UserError
from activities.kinds.poll import use_cases as uc
from activities.kinds.poll.rules import (
    EXAMPLE_CHOICE,
    PollError,
    PollSpec,
    build_poll_spec,
    parse_choices,
)
from activities.schedule import ScheduleError, parse_deadline
from activities.text import escape_mrkdwn
from bot.blocks.help import POLL_HELP
from bot.kinds.poll.blocks import (
    ERROR_BLOCKS,
    MODAL_CALLBACK_ID,
    modal_spec,
    parse_poll_modal,
    poll_modal,
)
from bot.listeners.context import Caller, Reply, command, submission
from bot.parsing import split_flags, tokenize, unescape_slack

log = logging.getLogger(__name__)

VALUED_FLAGS = {"choices", "closes", "scale", "template"}
BOOLEAN_FLAGS = {"multi", "anonymous", "hide-results"}


async def parse_closes(caller: Caller, text: str | None) -> datetime | None:
    """A deadline typed by a person, read in their own time zone."""
    if not text:
        return None
    try:
        return parse_deadline(text, now=caller.now, timezone=await caller.timezone())
    except ScheduleError as exc:
        raise ScheduleError(str(exc), field="closes_at") from None


def quotes_nothing(text: str, tokens: list[str]) -> bool:
    """True when no quotes (straight or curly) grouped or wrapped anything in ``text``.

    A lone apostrophe ("What's best?") is not a quote, so it doesn't count as quoting.
    """
    return tokens == text.split()


async def start_poll(caller: Caller, *, channel_id: str, spec: PollSpec) -> Reply:
    """Store a validated poll and wake the courier to post it (command and modal alike)."""
    async with caller.services.db.session() as session:
        poll = await uc.create_poll(session, actor=caller.actor, channel_id=channel_id, spec=spec)
    caller.services.courier.wake()
    return Reply(f"✅ Poll #{poll.id} is on its way to <#{channel_id}>.", channel_id=channel_id)


async def create_from_text(caller: Caller, text: str) -> Reply:
    raw_tokens = tokenize(text)
    tokens = [unescape_slack(t) for t in raw_tokens]
    positional, flags = split_flags(
        tokens, flags_with_values=VALUED_FLAGS, boolean_flags=BOOLEAN_FLAGS
    )
    if len(positional) > 1 and quotes_nothing(text, raw_tokens):
        # `/poll Which is best? Tea Coffee` would read as question "Which" and 4 options.
        raise PollError(
            "Put the question and each option in quotes, so I can tell where each one "
            f"ends. Example: `{EXAMPLE_CHOICE}`",
            field="question",
        )
    template = flags.get("template")
    if isinstance(template, str):
        async with caller.services.db.session() as session:
            question, options = await uc.template_poll(
                session,
                team_id=caller.team_id,
                name=template,
                event_labels=caller.services.catalog.event_labels(),
                question=positional[0] if positional else None,
            )
        positional = [question, *options]
    if not positional:
        raise PollError(f"A poll needs a question. Example: `{EXAMPLE_CHOICE}`", field="question")
    closes = flags.get("closes")
    choices = flags.get("choices")
    spec = build_poll_spec(
        positional[0],
        positional[1:],
        scale=str(flags["scale"]) if "scale" in flags else None,
        multi=bool(flags.get("multi")),
        choices=parse_choices(choices.strip()) if isinstance(choices, str) else None,
        anonymous=bool(flags.get("anonymous")),
        hide_results=bool(flags.get("hide-results")),
        closes_at=await parse_closes(caller, closes if isinstance(closes, str) else None),
        now=caller.now,
    )
    return await start_poll(caller, channel_id=caller.channel_id, spec=spec)


async def handle_poll(caller: Caller, text: str) -> Reply | None:
    text = text.strip()
    if not text:
        await caller.open_view(poll_modal(caller.channel_id))
        return None
    if text.lower() == "help":
        return Reply(POLL_HELP)
    try:
        return await create_from_text(caller, text)
    except PollError as exc:
        # Poll errors may quote what was typed (an option, a scale): escape them here.
        raise UserError(escape_mrkdwn(str(exc)), field=exc.field) from None


async def on_modal(caller: Caller, view: dict[str, Any]) -> Reply:
    fields = parse_poll_modal(view["state"]["values"])
    channel_id = fields["channel_id"]
    if not channel_id:
        raise UserError("Pick a channel for the poll.", field="channel")
    closes_at = await parse_closes(caller, fields["closes"])
    spec = modal_spec(fields, closes_at=closes_at, now=caller.now)
    return await start_poll(caller, channel_id=channel_id, spec=spec)


def register(app: AsyncApp) -> None:
    app.command("/poll")(command(handle_poll))
    app.view(MODAL_CALLBACK_ID)(submission(on_modal, field_blocks=ERROR_BLOCKS))
