"""Helpers every listener uses: find the services, reply, refuse."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncRespond
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.errors import SlackApiError

from activities.errors import UserError
from activities.roles import Standing
from activities.schedule import ScheduleError
from bot.blocks.common import Block, section
from bot.parsing import escape_mrkdwn, parse_channel, parse_user, tokenize, unescape_slack
from bot.services import Services

log = logging.getLogger(__name__)

ORGANISER_ONLY = (
    "Only organisers and admins can do that. Ask a workspace admin to make you an "
    "organiser with `/community roles assign @you organiser`."
)
ADMIN_ONLY = "Only workspace admins (and the bot's configured admins) can change roles."


def services_of(context: AsyncBoltContext) -> Services:
    services = context["services"]
    assert isinstance(services, Services)
    return services


@dataclass
class Reply:
    """An ephemeral answer to the person who asked."""

    text: str
    blocks: list[Block] = field(default_factory=list)

    def ack_args(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "blocks": self.blocks or [section(self.text)],
            "response_type": "ephemeral",
        }


@dataclass
class CommandCall:
    """One slash command invocation: who, where, and the services to act with."""

    services: Services
    team_id: str
    user_id: str
    channel_id: str
    trigger_id: str
    client: Any
    _standing: Standing | None = None

    @classmethod
    def of(cls, body: dict[str, Any], context: AsyncBoltContext, client: Any) -> CommandCall:
        return cls(
            services=services_of(context),
            team_id=context.team_id or body.get("team_id", ""),
            user_id=body["user_id"],
            channel_id=body.get("channel_id", ""),
            trigger_id=body.get("trigger_id", ""),
            client=client,
        )

    async def resolve_user(self, token: str, example: str) -> str:
        """The user a `<@U…>` or plain `@name` token names, or a UserError saying so."""
        ref = parse_user(token)
        found = ref.id or await self.services.directory.find_user(self.team_id, ref.name or "")
        if found is None:
            raise UserError(
                f"I couldn't find the person `{escape_mrkdwn(token)}`. Example: `{example}`"
            )
        return found

    async def resolve_channel(self, token: str, example: str) -> str:
        """The channel a `<#C…>` or plain `#name` token names, or a UserError saying so."""
        ref = parse_channel(token)
        found = ref.id or await self.services.directory.find_channel(self.team_id, ref.name or "")
        if found is None:
            raise UserError(
                f"I couldn't find the channel `{escape_mrkdwn(token)}`. Example: `{example}`"
            )
        return found

    async def standing(self) -> Standing:
        if self._standing is None:
            self._standing = await self.services.standing(self.team_id, self.user_id)
        return self._standing


Handler = Callable[[CommandCall, list[str]], Awaitable[Reply | None]]


async def dispatch(
    call: CommandCall, text: str, subcommands: dict[str, Handler], usage: str
) -> Reply | None:
    """Parse, route to a subcommand, and turn every user error into an ephemeral reply."""
    try:
        # Slack sends what people type with &, < and > as entities; mentions stay markup.
        tokens = [unescape_slack(token) for token in tokenize(text)]
        if not tokens:
            return await subcommands["help"](call, [])
        verb = tokens[0].lower()
        handler = subcommands.get(verb)
        if handler is None:
            raise UserError(f"Unknown subcommand `{escape_mrkdwn(tokens[0])}`. {usage}")
        return await handler(call, tokens[1:])
    except ScheduleError as exc:
        # It quotes what the person typed: escape it so nothing in it can ping anyone.
        return Reply(f"⚠️ {escape_mrkdwn(str(exc))}")
    except UserError as exc:
        return Reply(f"⚠️ {exc}")
    except SlackApiError as exc:
        log.warning("command failed on a Slack call", extra={"error": exc.response.get("error")})
        return Reply(f"⚠️ Slack refused that ({exc.response.get('error')}). Try again in a moment.")


# Slack shows "operation_timeout" when a command is not acknowledged within 3 s.
ACK_BUDGET_SECONDS = 2.5


async def answer(ack: AsyncAck, respond: AsyncRespond, work: Awaitable[Reply | None]) -> None:
    """Acknowledge with the reply when it is ready in time; otherwise say so at once and
    send the reply through the response URL when the work is done."""
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=ACK_BUDGET_SECONDS)
    if task not in done:
        await ack(text="⏳ Working on it…", response_type="ephemeral")
        reply = await task
        if reply is not None:
            await respond(**reply.ack_args(), replace_original=False)
        return
    reply = task.result()
    if reply is None:
        await ack()
    else:
        await ack(**reply.ack_args())


async def tell(client: Any, *, user_id: str, channel_id: str, text: str) -> None:
    """An ephemeral note in the channel; in the app's DM when the person can't see it there
    (a modal can name a channel its submitter is not in)."""
    try:
        await client.chat_postEphemeral(channel=channel_id, user=user_id, text=text)
    except SlackApiError as exc:
        log.info("ephemeral refused, sending a DM", extra={"error": exc.response.get("error")})
        opened = await client.conversations_open(users=user_id)
        await client.chat_postMessage(channel=opened["channel"]["id"], text=text)
