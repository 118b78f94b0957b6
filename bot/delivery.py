"""The courier: sends outbox rows to Slack, rate-limited, retried, never twice once sent."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel.ext.asyncio.session import AsyncSession

from activities.clock import Clock
from bot.clients import ClientProvider
from bot.ratelimit import RateLimiter
from storage import outbox
from storage.db import Database
from storage.models import OutboxMessage

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Post:
    """A new message in a channel, or in a DM/group DM opened with `users`."""

    text: str
    blocks: list[dict[str, Any]] | None = None
    channel: str | None = None
    users: tuple[str, ...] = ()
    thread_ts: str | None = None


@dataclass(frozen=True, slots=True)
class Update:
    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]] | None = None


@dataclass(frozen=True, slots=True)
class Upload:
    """A file sent to a channel or, with `users`, to a DM."""

    filename: str
    content: bytes
    title: str
    initial_comment: str = ""
    channel: str | None = None
    users: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Skip:
    """Nothing to send any more (the thing it was about is gone)."""

    reason: str


Delivery = Post | Update | Upload | Skip


class Defer(Exception):
    """Not ready yet (e.g. the message to update has no ts yet): try again shortly."""


AfterSent = Callable[[AsyncSession, OutboxMessage, str, str], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Renderer:
    render: Callable[[AsyncSession, OutboxMessage], Awaitable[Delivery]]
    after_sent: AfterSent | None = None


# Errors that no retry will fix: the row is marked failed, with the error, at once.
PERMANENT_ERRORS = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "user_not_found",
        "user_disabled",
        "users_not_found",
        "too_many_users",
        "cannot_dm_bot",
        "invalid_blocks",
        "invalid_blocks_format",
        "msg_too_long",
        "no_text",
        "invalid_arguments",
        "message_not_found",
        "cant_update_message",
        "edit_window_closed",
        "account_inactive",
        "invalid_auth",
        "not_authed",
        "missing_scope",
        "restricted_action",
        "unknown_method",
    }
)
MAX_ATTEMPTS = 8


@dataclass
class CourierStats:
    sent: int = 0
    failed: int = 0
    retried: int = 0
    calls: dict[str, int] = field(default_factory=dict)


def backoff(attempt: int) -> timedelta:
    """1 s, 2 s, 4 s … capped at 5 minutes, with jitter so retries don't march together."""
    base = min(300.0, 2.0 ** max(0, attempt - 1))
    return timedelta(seconds=base * random.uniform(0.8, 1.2))


class Courier:
    def __init__(
        self,
        db: Database,
        clients: ClientProvider,
        clock: Clock,
        renderers: dict[str, Renderer],
        *,
        limiter: RateLimiter | None = None,
        concurrency: int = 8,
        batch: int = 50,
        idle_seconds: float = 0.2,
        stale_after: timedelta = timedelta(minutes=2),
    ) -> None:
        self._db = db
        self._clients = clients
        self._clock = clock
        self._renderers = renderers
        self._limiter = limiter or RateLimiter()
        self._semaphore = asyncio.Semaphore(concurrency)
        self._batch = batch
        self._idle = idle_seconds
        self._stale_after = stale_after
        self._wake = asyncio.Event()
        self._stopping = False
        self.stats = CourierStats()

    def wake(self) -> None:
        """Tell the loop there is new work, so it need not wait for its next poll."""
        self._wake.set()

    async def run_forever(self) -> None:
        self._stopping = False
        while not self._stopping:
            # Cleared before the pass, so a wake() during it is not lost.
            self._wake.clear()
            try:
                handled = await self.drain_once()
            except Exception:
                # A database hiccup must not kill the courier; it logs and polls again.
                log.exception("courier pass failed")
                handled = 0
            if handled == 0 and not self._stopping:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=self._idle)

    def stop(self) -> None:
        """Finish the sends under way (so their ts is recorded), then leave the loop."""
        self._stopping = True
        self._wake.set()

    async def drain_once(self) -> int:
        async with self._db.session(priority=True) as session:
            rows = await outbox.claim_due(
                session, now=self._clock.now(), limit=self._batch, stale_after=self._stale_after
            )
        if rows:
            await asyncio.gather(*(self._deliver(row) for row in rows))
        return len(rows)

    async def _deliver(self, row: OutboxMessage) -> None:
        assert row.id is not None
        renderer = self._renderers.get(row.intent)
        context = {"outbox_id": row.id, "intent": row.intent, "team_id": row.team_id}
        if renderer is None:
            log.error("no renderer for intent", extra=context)
            await self._finish_failed(row, f"no renderer for {row.intent}")
            return
        async with self._semaphore:
            try:
                async with self._db.session(priority=True) as session:
                    delivery = await renderer.render(session, row)
                channel, ts = await self._send(row.team_id, delivery)
            except Defer as exc:
                await self._retry(row, str(exc) or "deferred", timedelta(seconds=1), count=False)
                return
            except SlackApiError as exc:
                await self._slack_error(row, exc, context)
                return
            except (ClientError, TimeoutError, OSError) as exc:
                await self._transient(row, f"{type(exc).__name__}: {exc}", context)
                return
            except Exception as exc:
                # A bug in a renderer, or an uninstalled workspace: logged with its
                # traceback, retried with backoff, and failed for good after MAX_ATTEMPTS
                # rather than left `sending` forever.
                log.exception("outbox row could not be delivered", extra=context)
                await self._transient(row, f"{type(exc).__name__}: {exc}", context)
                return
        async with self._db.session(priority=True) as session:
            await outbox.mark_sent(
                session,
                row_id=row.id,
                version=row.version,
                channel_id=channel,
                ts=ts,
                now=self._clock.now(),
            )
            if renderer.after_sent is not None and not isinstance(delivery, Skip):
                await renderer.after_sent(session, row, channel, ts)
        self.stats.sent += 1
        log.debug("outbox row sent", extra={**context, "channel": channel, "ts": ts})

    async def _slack_error(
        self, row: OutboxMessage, exc: SlackApiError, context: dict[str, Any]
    ) -> None:
        error = str(exc.response.get("error", "")) if exc.response is not None else ""
        status = exc.response.status_code if exc.response is not None else 0
        if status == 429 or error == "ratelimited":
            retry_after = float(exc.response.headers.get("Retry-After", "1") or 1)
            await self._retry(row, "ratelimited", timedelta(seconds=retry_after), count=False)
            return
        if error in PERMANENT_ERRORS:
            log.error("outbox row failed for good", extra={**context, "error": error})
            await self._finish_failed(row, error)
            return
        await self._transient(row, error or f"http {status}", context)

    async def _transient(self, row: OutboxMessage, error: str, context: dict[str, Any]) -> None:
        if row.attempts + 1 >= MAX_ATTEMPTS:
            log.error("outbox row gave up", extra={**context, "error": error})
            await self._finish_failed(row, error)
            return
        log.warning("outbox row will retry", extra={**context, "error": error})
        await self._retry(row, error, backoff(row.attempts + 1), count=True)

    async def _retry(
        self, row: OutboxMessage, error: str, delay: timedelta, *, count: bool
    ) -> None:
        assert row.id is not None
        self.stats.retried += 1
        async with self._db.session(priority=True) as session:
            await outbox.mark_retry(
                session,
                row_id=row.id,
                version=row.version,
                error=error,
                next_attempt_at=self._clock.now() + delay,
                count_attempt=count,
            )

    async def _finish_failed(self, row: OutboxMessage, error: str) -> None:
        assert row.id is not None
        self.stats.failed += 1
        async with self._db.session(priority=True) as session:
            await outbox.mark_failed(session, row_id=row.id, version=row.version, error=error)

    async def _call(self, client: AsyncWebClient, team_id: str, method: str, **kwargs: Any) -> Any:
        await self._limiter.wait(team_id, method)
        self.stats.calls[method] = self.stats.calls.get(method, 0) + 1
        return await client.api_call(method, json=kwargs)

    async def _open(self, client: AsyncWebClient, team_id: str, users: tuple[str, ...]) -> str:
        resp = await self._call(client, team_id, "conversations.open", users=",".join(users))
        return str(resp["channel"]["id"])

    async def _send(self, team_id: str, delivery: Delivery) -> tuple[str, str]:
        if isinstance(delivery, Skip):
            return "", ""
        client = await self._clients.for_team(team_id)
        if isinstance(delivery, Update):
            args: dict[str, Any] = {
                "channel": delivery.channel,
                "ts": delivery.ts,
                "text": delivery.text,
            }
            if delivery.blocks is not None:
                args["blocks"] = delivery.blocks
            resp = await self._call(client, team_id, "chat.update", **args)
            return str(resp["channel"]), str(resp["ts"])
        channel = delivery.channel or await self._open(client, team_id, delivery.users)
        if isinstance(delivery, Upload):
            await self._limiter.wait(team_id, "files.completeUploadExternal")
            resp = await client.files_upload_v2(
                channel=channel,
                filename=delivery.filename,
                content=delivery.content,
                title=delivery.title,
                initial_comment=delivery.initial_comment or None,
            )
            file_info: dict[str, Any] = resp.get("file") or {}
            return channel, str(file_info.get("id", ""))
        args = {"channel": channel, "text": delivery.text}
        if delivery.blocks is not None:
            args["blocks"] = delivery.blocks
        if delivery.thread_ts:
            args["thread_ts"] = delivery.thread_ts
        resp = await self._call(client, team_id, "chat.postMessage", **args)
        return str(resp["channel"]), str(resp["ts"])
