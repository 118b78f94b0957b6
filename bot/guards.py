"""What every request passes before any listener: the right workspace, a database that
answers, a trigger not seen before — and one answer for everyone when something fails.

Bolt runs these as one global middleware (so they hold over HTTP and Socket Mode alike)
and the error handler; bot/app.py wires them in, listeners know nothing of them.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.outage import MAYBE_DATABASE
from bot.services import Services
from storage import events
from storage.group_commit import GroupCommit

log = logging.getLogger(__name__)

OUTAGE_TEXT = (
    "Convene can't reach its database right now — nothing was changed; try again in a minute."
)
NOT_SERVED_TEXT = "This Convene installation does not serve your workspace, so nothing was done."
TROUBLE_TEXT = "Something went wrong on Convene's side — nothing was changed; try again soon."
# Within Slack's 3 s, with room for the answer itself.
DATABASE_BUDGET_SECONDS = 1.0

Next = Callable[[], Awaitable[None]]


def kind_of(body: dict[str, Any]) -> str:
    """command, event, view_submission, interaction (clicks, shortcuts…), or other."""
    if "command" in body:
        return "command"
    kind = body.get("type")
    if kind == "event_callback":
        return "event"
    if kind == "view_submission":
        return "view_submission"
    if kind in ("block_actions", "shortcut", "message_action", "view_closed", "block_suggestion"):
        return "interaction"
    return "other"


def _ephemeral(text: str) -> BoltResponse:
    body = json.dumps({"response_type": "ephemeral", "text": text})
    return BoltResponse(status=200, body=body, headers={"content-type": "application/json"})


def _notice_view(text: str) -> dict[str, Any]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Convene"},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
    }


class Guards:
    """The middleware and the error handler, sharing the services and a few caches."""

    def __init__(self, services: Services) -> None:
        self._services = services
        self._own_team: str | None = None
        self._background: set[asyncio.Task[None]] = set()
        # Every click and command marks its trigger seen before any listener runs: shared
        # transactions, or a burst of votes is one commit per click (SQLite takes one at a
        # time) before the votes' own group commit even starts.
        self._triggers: GroupCommit[events.Trigger, bool] = GroupCommit(
            services.db, events.mark_triggers_seen, name="trigger-ledger"
        )

    # ------------------------------------------------------------------ tenancy

    async def own_team(self) -> str | None:
        """The workspace the bot token belongs to (auth.test, asked once and remembered)."""
        if self._own_team is None:
            resp = await self._services.clients.default.auth_test()
            self._own_team = str(resp.get("team_id") or "") or None
        return self._own_team

    async def admit(
        self,
        body: dict[str, Any],
        context: AsyncBoltContext,
        next: Next,
        admitted: Callable[[AsyncBoltContext], None],
    ) -> BoltResponse | None:
        """The guards in order (tenancy needs no database, replay needs one): the first
        refusal is the answer; a request they all let through gets `admitted` (the
        services put in its context) and goes on to the listeners."""
        for guard in (
            self.serve_only_our_team,
            self.database_or_apology,
            self.answer_each_trigger_once,
        ):
            refusal = await guard(body, context)
            if refusal is not None:
                return refusal
        admitted(context)
        await next()
        return None

    async def serve_only_our_team(
        self, body: dict[str, Any], context: AsyncBoltContext
    ) -> BoltResponse | None:
        """Single-token mode: act only for the token's own workspace (None: it may go on).
        In OAuth mode Bolt's authorization already refuses any workspace without an
        installation."""
        if self._services.settings.oauth:
            return None
        team_id = context.team_id or ""
        try:
            ours = await self.own_team()
        except (SlackApiError, OSError, TimeoutError) as exc:
            log.error("cannot tell which workspace the bot token serves", extra={"error": exc})
            return self._refusal(body, TROUBLE_TEXT)
        if ours is not None and team_id == ours:
            return None
        log.warning(
            "request from a workspace this installation does not serve refused",
            extra={"team_id": team_id, "kind": kind_of(body)},
        )
        return self._refusal(body, NOT_SERVED_TEXT)

    def _refusal(self, body: dict[str, Any], text: str) -> BoltResponse:
        kind = kind_of(body)
        if kind == "command":
            return _ephemeral(text)
        if kind == "view_submission":
            return self._view_answer(text)
        return BoltResponse(status=200, body="")

    # ------------------------------------------------------------------ database

    async def database_or_apology(
        self, body: dict[str, Any], context: AsyncBoltContext
    ) -> BoltResponse | None:
        """A person's command or click is answered at once when the database is away,
        and nothing is done: it would otherwise hang, or take effect behind their back."""
        if await self._services.db.reachable(within=DATABASE_BUDGET_SECONDS):
            return None
        return await self._outage_answer(body, context)

    async def _outage_answer(self, body: dict[str, Any], context: AsyncBoltContext) -> BoltResponse:
        kind = kind_of(body)
        log.warning("request answered with the database outage notice", extra={"kind": kind})
        if kind == "command":
            return _ephemeral(OUTAGE_TEXT)
        if kind == "view_submission":
            return self._view_answer(OUTAGE_TEXT)
        if kind == "interaction":
            self._soon(self._tell_clicker(body, context, OUTAGE_TEXT))
        # Events get their 200 (Slack would only send them again, into the same outage).
        return BoltResponse(status=200, body="")

    @staticmethod
    def _view_answer(text: str) -> BoltResponse:
        body = json.dumps({"response_action": "update", "view": _notice_view(text)})
        return BoltResponse(status=200, body=body, headers={"content-type": "application/json"})

    def _soon(self, work: Awaitable[None]) -> None:
        """After the ack: the HTTP answer must not wait for a call to Slack."""
        task = asyncio.ensure_future(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _tell_clicker(
        self, body: dict[str, Any], context: AsyncBoltContext, text: str
    ) -> None:
        """A click's answer: through its response URL, or else a small modal."""
        try:
            response_url = context.response_url or _first_response_url(body)
            if response_url:
                webhook = AsyncWebhookClient(url=response_url, session=self._services.http)
                await webhook.send_dict(
                    {"response_type": "ephemeral", "replace_original": False, "text": text}
                )
                return
            trigger_id = body.get("trigger_id")
            client = context.client
            if trigger_id and isinstance(client, AsyncWebClient):
                await client.views_open(trigger_id=trigger_id, view=_notice_view(text))
        except Exception as exc:  # the notice is best effort; the person can click again
            log.warning("could not tell the person about the outage", extra={"error": exc})

    # ------------------------------------------------------------------ replay

    async def answer_each_trigger_once(
        self, body: dict[str, Any], context: AsyncBoltContext
    ) -> BoltResponse | None:
        """Slack gives every command and click its own trigger_id: a second request with one
        already seen is a replay, and gets an empty answer instead of acting again."""
        trigger_id = body.get("trigger_id")
        if not isinstance(trigger_id, str) or not trigger_id:
            return None
        first = await self._triggers.submit(
            events.Trigger(trigger_id[:128], context.team_id or "", self._services.clock.now())
        )
        if not first:
            log.warning("replayed request ignored", extra={"kind": kind_of(body)})
            return BoltResponse(status=200, body="")
        return None

    # ------------------------------------------------------------------ errors

    async def on_error(
        self,
        error: Exception,
        body: dict[str, Any],
        context: AsyncBoltContext,
        response: BoltResponse | None,
    ) -> BoltResponse | None:
        """Every failure gets an answer: the outage notice when the database is away, a
        short apology otherwise; events get 200 (Slack would only send them again)."""
        kind = kind_of(body)
        outage = isinstance(error, MAYBE_DATABASE) and not await self._services.db.reachable(
            within=DATABASE_BUDGET_SECONDS
        )
        if outage:
            log.warning("request failed: the database is not answering", extra={"kind": kind})
        else:
            log.error("request failed", exc_info=error, extra={"kind": kind})
        text = OUTAGE_TEXT if outage else TROUBLE_TEXT
        if kind == "event" or kind == "other":
            return BoltResponse(status=200, body="") if response is not None else None
        if response is not None:
            # Not acknowledged yet: the answer goes back with the HTTP response.
            if kind == "command":
                return _ephemeral(text)
            if kind == "view_submission":
                return self._view_answer(text)
            self._soon(self._tell_clicker(body, context, text))
            return BoltResponse(status=200, body="")
        # Already acknowledged ("Working on it…"): the answer goes by response URL or modal.
        self._soon(self._tell_clicker(body, context, text))
        return None


def _first_response_url(body: dict[str, Any]) -> str | None:
    urls = body.get("response_urls") or []
    if urls and isinstance(urls[0], dict):
        url = urls[0].get("response_url")
        return str(url) if url else None
    return None


def install(
    bolt: AsyncApp, services: Services, admitted: Callable[[AsyncBoltContext], None]
) -> Guards:
    """Wire the guards in as one middleware, with `admitted` for what they let through:
    Bolt spends ~15-20 µs a request on each middleware it runs, whatever it does."""
    guards = Guards(services)

    async def admit(
        body: dict[str, Any], context: AsyncBoltContext, next: Next
    ) -> BoltResponse | None:
        return await guards.admit(body, context, next, admitted)

    async def on_error(
        error: Exception,
        body: dict[str, Any],
        context: AsyncBoltContext,
        response: BoltResponse | None,
    ) -> BoltResponse | None:
        return await guards.on_error(error, body, context, response)

    bolt.middleware(admit)
    bolt.error(on_error)
    return guards
