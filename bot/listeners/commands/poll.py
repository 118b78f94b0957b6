"""`/poll`: in-channel polls for everyone."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext

from activities import manage
from activities import poll_use_cases as uc
from activities.errors import UserError
from activities.polls import (
    EXAMPLE_CHOICE,
    PollError,
    PollSpec,
    build_poll_spec,
    next_event_template,
)
from activities.schedule import parse_deadline
from bot.blocks.help import POLL_HELP
from bot.blocks.polls import poll_modal
from bot.listeners.commands.community import created_text
from bot.listeners.context import ORGANISER_ONLY, CommandCall, Reply, services_of
from bot.parsing import CommandSyntaxError, escape_mrkdwn, split_flags, tokenize
from bot.services import Services

log = logging.getLogger(__name__)

VALUED_FLAGS = {"choices", "closes", "scale", "template"}
BOOLEAN_FLAGS = {"multi", "anonymous", "hide-results"}
TEMPLATES = ("next-event",)


def parse_choices(raw: str | bool | None) -> int | None:
    if raw is None or isinstance(raw, bool):
        return None
    if not raw.strip().isdigit():
        raise PollError(
            f"--choices takes a number, e.g. `{EXAMPLE_CHOICE} --choices 2`.", field="choices"
        )
    return int(raw)


async def parse_closes(
    services: Services, team_id: str, user_id: str, text: str | None, now: datetime
) -> datetime | None:
    """A deadline typed by a person, read in their own time zone."""
    if not text:
        return None
    timezone = await services.timezone_of(team_id, user_id)
    return parse_deadline(text, now=now, timezone=timezone)


def quotes_nothing(text: str, tokens: list[str]) -> bool:
    """True when no quotes (straight or curly) grouped or wrapped anything in ``text``.

    A lone apostrophe ("What's best?") is not a quote, so it doesn't count as quoting.
    """
    return tokens == text.split()


async def start_poll(
    services: Services,
    *,
    team_id: str,
    channel_id: str,
    creator_id: str,
    spec: PollSpec,
    now: datetime,
) -> str:
    """Store a validated poll, wake the courier to post it and say so (/poll and its modal)."""
    async with services.db.session() as session:
        poll = await uc.create_poll(
            session,
            team_id=team_id,
            channel_id=channel_id,
            creator_id=creator_id,
            spec=spec,
            now=now,
        )
    services.courier.wake()
    return f"✅ Poll #{poll.id} is on its way to <#{channel_id}>."


async def create_from_text(
    services: Services, *, team_id: str, user_id: str, channel_id: str, text: str
) -> Reply:
    tokens = tokenize(text)
    positional, flags = split_flags(
        tokens, flags_with_values=VALUED_FLAGS, boolean_flags=BOOLEAN_FLAGS
    )
    if len(positional) > 1 and quotes_nothing(text, tokens):
        # `/poll Which is best? Tea Coffee` would read as question "Which" and 4 options.
        raise PollError(
            "Put the question and each option in quotes, so I can tell where each one "
            f"ends. Example: `{EXAMPLE_CHOICE}`",
            field="question",
        )
    now = services.clock.now()
    template = flags.get("template")
    if isinstance(template, str):
        if template.strip().lower() not in TEMPLATES:
            raise PollError(
                f"Unknown template `{template}`. Try `/poll --template next-event`.",
            )
        async with services.db.session() as session:
            kinds = await uc.next_event_kinds(session, team_id=team_id)
        question, options = next_event_template(kinds)
        positional = [positional[0] if positional else question, *options]
    if not positional:
        raise PollError(f"A poll needs a question. Example: `{EXAMPLE_CHOICE}`", field="question")
    closes_text = flags.get("closes")
    spec = build_poll_spec(
        positional[0],
        positional[1:],
        scale=str(flags["scale"]) if "scale" in flags else None,
        multi=bool(flags.get("multi")),
        choices=parse_choices(flags.get("choices")),
        anonymous=bool(flags.get("anonymous")),
        hide_results=bool(flags.get("hide-results")),
        closes_at=await parse_closes(
            services, team_id, user_id, closes_text if isinstance(closes_text, str) else None, now
        ),
        now=now,
    )
    return Reply(
        await start_poll(
            services,
            team_id=team_id,
            channel_id=channel_id,
            creator_id=user_id,
            spec=spec,
            now=now,
        )
    )


async def handle_poll(
    ack: AsyncAck, body: dict[str, Any], context: AsyncBoltContext, client: Any
) -> None:
    services = services_of(context)
    team_id = context.team_id or body.get("team_id", "")
    user_id = body["user_id"]
    channel_id = body.get("channel_id", "")
    text = (body.get("text") or "").strip()
    if not text:
        await ack()
        await client.views_open(trigger_id=body.get("trigger_id", ""), view=poll_modal(channel_id))
        return
    if text.lower() == "help":
        await ack(**Reply(POLL_HELP).ack_args())
        return
    try:
        reply = await create_from_text(
            services, team_id=team_id, user_id=user_id, channel_id=channel_id, text=text
        )
    except CommandSyntaxError as exc:
        reply = Reply(f"⚠️ {exc}")  # already escaped where it echoes what was typed
    except UserError as exc:
        # Poll and deadline errors quote what was typed: escape it so it can't ping anyone.
        reply = Reply(f"⚠️ {escape_mrkdwn(str(exc))}")
    await ack(**reply.ack_args())


NEW_POLL_EXAMPLE = (
    '/community new poll #general "every friday 16:00" "How was your week?" '
    '"Great" "Fine" "Tough" --closes-after 2d'
)


async def new_poll_activity(call: CommandCall, args: list[str]) -> Reply | None:
    """`/community new poll #channel "<schedule>" "Question?" "A" "B" [--closes-after 2d] …`."""
    if not (await call.standing()).may_organise:
        raise UserError(ORGANISER_ONLY)
    positional, flags = split_flags(
        args,
        flags_with_values={"choices", "scale", "closes-after", "tz", "title"},
        boolean_flags=BOOLEAN_FLAGS,
    )
    if len(positional) < 3:
        raise UserError(
            "A recurring poll needs a channel, a schedule, a question and its options, each "
            f"quoted if it has spaces. Example: `{NEW_POLL_EXAMPLE}`"
        )
    channel_id = await call.resolve_channel(positional[0], NEW_POLL_EXAMPLE)
    now = call.services.clock.now()
    closes_after = flags.get("closes-after")
    scale = flags.get("scale")
    config = uc.poll_config(
        question=positional[2],
        options=positional[3:],
        scale=scale if isinstance(scale, str) else None,
        multi=bool(flags.get("multi")),
        choices=parse_choices(flags.get("choices")),
        anonymous=bool(flags.get("anonymous")),
        hide_results=bool(flags.get("hide-results")),
        closes_after=closes_after if isinstance(closes_after, str) else None,
        now=now,
    )
    timezone = str(flags.get("tz") or await call.services.timezone_of(call.team_id, call.user_id))
    async with call.services.db.session() as session:
        activity = await manage.create(
            session,
            team_id=call.team_id,
            actor_id=call.user_id,
            kind="poll",
            channel_id=channel_id,
            title=str(flags.get("title") or positional[2][:60]),
            schedule_text=positional[1],
            timezone=timezone,
            config=config,
            now=now,
        )
    return Reply(created_text(activity))


def register(app: AsyncApp) -> None:
    app.command("/poll")(handle_poll)
