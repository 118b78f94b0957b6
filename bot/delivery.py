"""The courier: sends outbox rows to Slack, rate-limited, retried, never twice once sent."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel.ext.asyncio.session import AsyncSession

from activities import quiet_hours
from activities.clock import Clock, SystemClock
from bot.clients import ClientProvider
from bot.outage import OutageNotes
from bot.ratelimit import RateLimiter
from bot.slots import SendSlots
from storage import outbox
from storage.db import Database
from storage.models import OutboxMessage

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Post:
    """A new message in a channel, or in a DM/group DM opened with `users`.

    `users` are the people it pings directly (with a `channel` too: the DM it goes to is
    already open), so it waits for their quiet hours, unless it is the `answer` to what
    they just did (they are there). `pointless_after`: when it stops mattering (the
    event a reminder is about starts); it is dropped rather than sent after that.
    """

    text: str
    blocks: list[dict[str, Any]] | None = None
    channel: str | None = None
    users: tuple[str, ...] = ()
    thread_ts: str | None = None
    answer: bool = False
    pointless_after: datetime | None = None


@dataclass(frozen=True, slots=True)
class Update:
    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]] | None = None


@dataclass(frozen=True, slots=True)
class Upload:
    """A file sent to a channel or, with `users`, to a DM. `content` may be a function
    that makes it (a chart): it is called in a thread at send time, outside the database
    turn the renderer held, so slow drawing blocks neither the loop nor the database."""

    filename: str
    content: bytes | Callable[[], bytes]
    title: str
    initial_comment: str = ""
    channel: str | None = None
    users: tuple[str, ...] = ()
    answer: bool = False
    pointless_after: datetime | None = None


@dataclass(frozen=True, slots=True)
class Publish:
    """A person's Home tab, drawn afresh at send time (on the page it last showed)."""

    user_id: str


# Draws a person's Home tab (team, user) as the view views.publish takes.
DrawHome = Callable[[str, str], Awaitable[dict[str, Any]]]


@dataclass(frozen=True, slots=True)
class RedrawChannel:
    """The open Home tabs of a channel's members, each asked for as its own Publish (the
    members are read at send time, out of the request that changed what they show)."""

    channel: str
    but: str = ""  # whose tab the request that asked redrew itself


# Asks for the Home redraws of a channel's members (team, channel, but).
RedrawMembers = Callable[[str, str, str], Awaitable[object]]


@dataclass(frozen=True, slots=True)
class Skip:
    """Nothing to send any more (the thing it was about is gone)."""

    reason: str


Delivery = Post | Update | Upload | Publish | RedrawChannel | Skip


def pinged(delivery: Delivery) -> tuple[str, ...]:
    """Whom a delivery pings directly (a DM, a group DM): they get quiet hours."""
    if isinstance(delivery, Post | Upload) and not delivery.answer:
        return delivery.users
    return ()


class Defer(Exception):
    """Not ready yet (e.g. the message to update has no ts yet): try again shortly."""


AfterFailed = Callable[[AsyncSession, OutboxMessage, str, datetime], Awaitable[None]]
AfterSent = Callable[[AsyncSession, OutboxMessage, str, str], Awaitable[None]]
# What an outbox row becomes when it is its turn.
Render = Callable[[AsyncSession, OutboxMessage], Awaitable[Delivery]]


@dataclass(frozen=True, slots=True)
class Renderer:
    render: Render
    after_sent: AfterSent | None = None
    # Told when the row failed for good, in the transaction that marks it (e.g. to tell
    # whoever asked for the post that it never went out, and why).
    after_failed: AfterFailed | None = None
    # A refreshable row asked for again while it was being sent goes again this long
    # after that send (poll tallies: about one redraw a second).
    resend_after: timedelta = timedelta(seconds=1)


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
    held: int = 0
    dropped: int = 0
    calls: dict[str, int] = field(default_factory=dict)


def backoff(attempt: int) -> timedelta:
    """1 s, 2 s, 4 s … capped at 5 minutes, with jitter so retries don't march together."""
    base = min(300.0, 2.0 ** max(0, attempt - 1))
    return timedelta(seconds=base * random.uniform(0.8, 1.2))


# How long a claim holds without renewal: a crashed courier's rows are taken back this
# soon. The holder renews at a third of it, so a slow send (Slack holding the answer,
# the limiter pacing a fan-out) never loses its row while the process lives.
LEASE = timedelta(seconds=6)
# The holder sends only while its last renewal leaves at least this much of the lease:
# a courier that cannot reach the database stops before another one may take over.
LEASE_MARGIN = timedelta(seconds=2)
# Where the courier marks every message it posts, to find it again after a crash.
METADATA_EVENT_TYPE = "convene_outbox"
# How far back a message that may have been posted is looked for (messages, pages).
HISTORY_PAGE = 100
HISTORY_PAGES = 3


def outbox_metadata(dedupe_key: str) -> dict[str, Any]:
    return {"event_type": METADATA_EVENT_TYPE, "event_payload": {"outbox_key": dedupe_key}}


def carries_key(message: dict[str, Any], dedupe_key: str) -> bool:
    metadata = message.get("metadata") or {}
    payload = metadata.get("event_payload") or {}
    return bool(
        metadata.get("event_type") == METADATA_EVENT_TYPE
        and payload.get("outbox_key") == dedupe_key
    )


# Re-reads the stale or unknown profiles of (team, people) with the users.info reader it
# is given, keeping the last ones on error: the directory's `refresh_zones`.
Profiles = Callable[
    [str, Sequence[str], Callable[[str], Awaitable[dict[str, Any]]]], Awaitable[None]
]


class LeaseLost(Exception):
    """The claim could not be renewed in time: another courier may hold the row now."""


class Courier:
    def __init__(
        self,
        db: Database,
        clients: ClientProvider,
        clock: Clock,
        renderers: dict[str, Renderer],
        *,
        limiter: RateLimiter | None = None,
        concurrency: int = 16,
        lane_depth: int = 16,
        batch: int = 64,
        idle_seconds: float = 0.2,
        lease: timedelta = LEASE,
        lease_clock: Clock | None = None,
        profiles: Profiles | None = None,
    ) -> None:
        self._db = db
        # Re-reads recipients' Slack profiles the bot does not know or has not read lately
        # (their time zones), through this courier's limiter.
        self._profiles = profiles
        self._clients = clients
        self._clock = clock
        # Leases measure whether a process is alive: real time, whatever the business clock.
        self._lease_clock = lease_clock or SystemClock()
        self._renderers = renderers
        self._limiter = limiter or RateLimiter()
        # Lanes: an intent holds at most `lane_depth` rows at once, and a claim takes turns
        # across intents, so a fan-out (500 intros waiting on conversations.open's rate
        # tier) fills its own lane only and a poll someone just created is claimed at once.
        # A row waits for its method's allowance holding no send slot, taking turns with
        # the other intents waiting on that method; `concurrency` slots bound only the
        # Slack calls actually in flight. `batch` caps the rows held in all.
        self._lane_depth = lane_depth
        self._slots = SendSlots(concurrency)
        self._in_flight: dict[str, int] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._batch = batch
        self._idle = idle_seconds
        self._lease = lease
        # Claim tokens this courier holds, with the end of the lease last written for each.
        self._held: dict[str, datetime] = {}
        self._wake = asyncio.Event()
        self._stopping = False
        self._outage = OutageNotes(log, "courier")
        self.stats = CourierStats()
        # Set by the runtime once the Home tab's sections are known (home.redraw rows).
        self.draw_home: DrawHome | None = None
        # Set by the runtime too (home.redraw_channel rows).
        self.redraw_members: RedrawMembers | None = None

    def wake(self) -> None:
        """Tell the loop there is new work, so it need not wait for its next poll."""
        self._wake.set()

    async def run_forever(self) -> None:
        # `_stopping` is not reset here: a stop() that comes before this task's first turn
        # (a SIGTERM right after the start) must still end the loop, not wait out the
        # runtime's 15 s limit on the way down.
        heartbeat = asyncio.create_task(self._renew_forever(), name="courier-leases")
        try:
            while not self._stopping:
                # Cleared before the pass, so a wake() during it is not lost; a send that
                # ends wakes the loop too, so its lane is refilled at once.
                self._wake.clear()
                try:
                    claimed = await self.claim_more()
                except Exception as exc:
                    # A database outage must not kill the courier, nor fill the log: one
                    # line when it starts, one when it ends.
                    self._outage.lost(exc)
                    claimed = 0
                else:
                    self._outage.back()
                if claimed == 0 and not self._stopping:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), timeout=self._idle)
            # Sends under way finish, so their ts is recorded before the process ends.
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
        finally:
            heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await heartbeat

    async def _renew_forever(self) -> None:
        interval = self._lease.total_seconds() / 3
        while True:
            await asyncio.sleep(interval)
            with contextlib.suppress(Exception):
                await self.renew_leases()

    async def renew_leases(self) -> None:
        """Extend every lease this courier holds (the heartbeat calls it)."""
        tokens = list(self._held)
        if not tokens:
            return
        until = self._lease_clock.now() + self._lease
        async with self._db.session(priority=True) as session:
            still = await outbox.renew(session, tokens=tokens, until=until)
        for token in tokens:
            if token in still and token in self._held:
                self._held[token] = until
            else:
                self._held.pop(token, None)

    def _check_lease(self, row: OutboxMessage) -> None:
        until = self._held.get(row.claim_token)
        if until is None or until - self._lease_clock.now() < LEASE_MARGIN:
            raise LeaseLost(f"lease of outbox row {row.id} lapsed")

    def stop(self) -> None:
        """Finish the sends under way (so their ts is recorded), then leave the loop."""
        self._stopping = True
        self._wake.set()

    async def claim_more(self) -> int:
        """Claim what the free lanes can start now and start it; returns how many."""
        room = self._batch - len(self._tasks)
        if room <= 0:
            return 0
        left = {intent: max(0, self._lane_depth - n) for intent, n in self._in_flight.items()}
        async with self._db.session(priority=True) as session:
            rows = await outbox.claim_due(
                session,
                now=self._clock.now(),
                limit=room,
                lease=self._lease,
                lease_now=self._lease_clock.now(),
                per_intent=self._lane_depth,
                room=left,
            )
        for row in rows:
            assert row.lease_until is not None
            self._held[row.claim_token] = row.lease_until
            self._start(row)
        return len(rows)

    async def drain_once(self) -> int:
        """Claim and send one pass, waiting for those sends (tests and benchmarks)."""
        before = set(self._tasks)
        claimed = await self.claim_more()
        await asyncio.gather(*(self._tasks - before))
        return claimed

    def _start(self, row: OutboxMessage) -> None:
        intent = row.intent
        self._in_flight[intent] = self._in_flight.get(intent, 0) + 1
        task = asyncio.create_task(self._deliver(row), name=f"send-{row.id}")
        self._tasks.add(task)

        def finished(done: asyncio.Task[None]) -> None:
            self._tasks.discard(done)
            left = self._in_flight.get(intent, 1) - 1
            if left > 0:
                self._in_flight[intent] = left
            else:
                self._in_flight.pop(intent, None)
            self._wake.set()
            if not done.cancelled() and done.exception() is not None:
                # Recording the outcome failed (the database went away mid-send).
                self._outage.lost(done.exception())  # type: ignore[arg-type]

        task.add_done_callback(finished)

    async def _deliver(self, row: OutboxMessage) -> None:
        try:
            await self._deliver_held(row)
        finally:
            self._held.pop(row.claim_token, None)

    async def _deliver_held(self, row: OutboxMessage) -> None:
        assert row.id is not None
        renderer = self._renderers.get(row.intent)
        context = {"outbox_id": row.id, "intent": row.intent, "team_id": row.team_id}
        if renderer is None:
            log.error("no renderer for intent", extra=context)
            await self._finish_failed(row, f"no renderer for {row.intent}")
            return
        try:
            async with self._db.session(priority=True) as session:
                delivery = await renderer.render(session, row)
            if await self._kept_quiet(row, delivery, context):
                return
            channel, ts = await self._send(row, delivery)
        except LeaseLost:
            # Someone else may hold the row now; it is theirs to send (and to check).
            log.warning("outbox row given up: its lease lapsed", extra=context)
            return
        except Defer as exc:
            await self._retry(row, str(exc) or "deferred", timedelta(seconds=1), count=False)
            return
        except SlackApiError as exc:
            await self._slack_error(row, exc, context)
            return
        except (ClientError, TimeoutError, OSError) as exc:
            # The request may have reached Slack before the connection failed.
            await self._transient(row, f"{type(exc).__name__}: {exc}", context, in_doubt=True)
            return
        except Exception as exc:
            # A bug in a renderer, or an uninstalled workspace: logged with its
            # traceback, retried with backoff, and failed for good after MAX_ATTEMPTS
            # rather than left `sending` forever.
            log.exception("outbox row could not be delivered", extra=context)
            await self._transient(row, f"{type(exc).__name__}: {exc}", context)
            return
        async with self._db.session(priority=True) as session:
            kept = await outbox.mark_sent(
                session,
                claim=outbox.claim_of(row),
                channel_id=channel,
                ts=ts,
                now=self._clock.now(),
                min_interval=renderer.resend_after,
            )
            if kept and renderer.after_sent is not None and not isinstance(delivery, Skip):
                await renderer.after_sent(session, row, channel, ts)
        if not kept:
            # The new holder finds this message by its metadata and does not post again.
            log.warning("outbox row sent after its claim was taken over", extra=context)
            return
        self.stats.sent += 1
        log.debug("outbox row sent", extra={**context, "channel": channel, "ts": ts})

    async def _kept_quiet(
        self, row: OutboxMessage, delivery: Delivery, context: dict[str, Any]
    ) -> bool:
        """Quiet hours (activities/quiet_hours.py), for every message that pings people:
        True when it was held for their hours or dropped, not sent now."""
        users = pinged(delivery)
        pointless_after = delivery.pointless_after if isinstance(delivery, Post | Upload) else None
        if not users and pointless_after is None:
            return False
        now = self._clock.now()
        if users and self._profiles is not None:
            client = await self._clients.for_courier(row.team_id)

            async def user_info(user_id: str) -> dict[str, Any]:
                # In the courier's turn for users.info: limited, counted, never asleep on
                # a 429, and the lease checked (LeaseLost gives the row up, as for a send).
                resp = await self._read(client, row, "users.info", user=user_id)
                return dict(resp["user"])

            try:
                await self._profiles(row.team_id, users, user_info)
            except LeaseLost:
                raise
            except Exception:  # their zones as last read will do
                log.warning("profiles not read for quiet hours", extra=context, exc_info=True)
        async with self._db.session(priority=True) as session:
            people = await quiet_hours.people_of(session, team_id=row.team_id, user_ids=users)
        # Its hold's moment has come: sent without deciding again, unless it is claimed
        # long after it (quiet_hours.GRACE). The outbox lets go of a hold on any retry or
        # re-arm, so those are decided again (outbox.mark_held).
        decision = quiet_hours.plan(
            now, people, pointless_after=pointless_after, held_until=row.held_until
        )
        if isinstance(decision, quiet_hours.Send):
            return False
        claim = outbox.claim_of(row)
        async with self._db.session(priority=True) as session:
            if isinstance(decision, quiet_hours.Hold):
                reason = f"quiet hours: held until {decision.until:%Y-%m-%d %H:%M} UTC"
                kept = await outbox.mark_held(
                    session, claim=claim, until=decision.until, reason=reason
                )
            else:
                reason = decision.reason
                kept = await outbox.mark_dropped(session, claim=claim, reason=reason)
        if not kept:
            # Another courier holds the row now: it decides for itself.
            log.warning("outbox row not held or dropped: its claim was taken over", extra=context)
        elif isinstance(decision, quiet_hours.Hold):
            self.stats.held += 1
            log.info("outbox row held for quiet hours", extra={**context, "until": reason})
        else:
            self.stats.dropped += 1
            log.info("outbox row dropped", extra={**context, "reason": reason})
        return True

    async def _slack_error(
        self, row: OutboxMessage, exc: SlackApiError, context: dict[str, Any]
    ) -> None:
        error = str(exc.response.get("error", "")) if exc.response is not None else ""
        status = exc.response.status_code if exc.response is not None else 0
        if status == 429 or error == "ratelimited":
            # The courier's client never sleeps on a 429: the row goes back to the queue
            # until Retry-After has passed, and the send slot is free meanwhile.
            retry_after = _retry_after(exc)
            log.info("outbox row rate limited", extra={**context, "retry_after": retry_after})
            await self._retry(row, "ratelimited", timedelta(seconds=retry_after), count=False)
            return
        if error in PERMANENT_ERRORS:
            log.error("outbox row failed for good", extra={**context, "error": error})
            await self._finish_failed(row, error)
            return
        # A 5xx may come after Slack acted on the request.
        await self._transient(row, error or f"http {status}", context, in_doubt=status >= 500)

    async def _transient(
        self, row: OutboxMessage, error: str, context: dict[str, Any], *, in_doubt: bool = False
    ) -> None:
        if row.attempts + 1 >= MAX_ATTEMPTS:
            log.error("outbox row gave up", extra={**context, "error": error})
            await self._finish_failed(row, error)
            return
        log.warning("outbox row will retry", extra={**context, "error": error})
        await self._retry(row, error, backoff(row.attempts + 1), count=True, in_doubt=in_doubt)

    async def _retry(
        self,
        row: OutboxMessage,
        error: str,
        delay: timedelta,
        *,
        count: bool,
        in_doubt: bool = False,
    ) -> None:
        self.stats.retried += 1
        async with self._db.session(priority=True) as session:
            await outbox.mark_retry(
                session,
                claim=outbox.claim_of(row),
                error=error,
                next_attempt_at=self._clock.now() + delay,
                count_attempt=count,
                in_doubt=in_doubt,
            )

    async def _finish_failed(self, row: OutboxMessage, error: str) -> None:
        self.stats.failed += 1
        renderer = self._renderers.get(row.intent)
        async with self._db.session(priority=True) as session:
            held = await outbox.mark_failed(session, claim=outbox.claim_of(row), error=error)
            if held and renderer is not None and renderer.after_failed is not None:
                await renderer.after_failed(session, row, error, self._clock.now())

    @contextlib.asynccontextmanager
    async def _turn(self, row: OutboxMessage, method: str) -> AsyncIterator[None]:
        """Inside: one call of `method` may go now. It waits for the method's allowance
        (taking turns with other intents) holding no send slot, then takes a slot; the
        claim is checked last, inside the slot, just before the call.

        A rate token is only spent with a slot at hand: when every slot is busy, the
        token goes back to its bucket and the row waits for a free slot, then for its
        turn again, so tokens granted during a slot shortage are not spent in a burst
        once slots free up."""
        while True:
            await self._limiter.wait(row.team_id, method, turn=row.intent)
            if self._slots.take():
                break
            self._limiter.give_back(row.team_id, method)
            await self._slots.until_free()
        try:
            self._check_lease(row)
            self.stats.calls[method] = self.stats.calls.get(method, 0) + 1
            yield
        finally:
            self._slots.put_back()

    async def _call(
        self, client: AsyncWebClient, row: OutboxMessage, method: str, **kwargs: Any
    ) -> Any:
        async with self._turn(row, method):
            return await client.api_call(method, json=kwargs)

    async def _read(
        self, client: AsyncWebClient, row: OutboxMessage, method: str, **params: Any
    ) -> Any:
        """A read method Slack takes only as form or query arguments (no JSON body)."""
        async with self._turn(row, method):
            return await client.api_call(method, http_verb="GET", params=params)

    async def _open(
        self, client: AsyncWebClient, row: OutboxMessage, users: tuple[str, ...]
    ) -> str:
        resp = await self._call(client, row, "conversations.open", users=",".join(users))
        return str(resp["channel"]["id"])

    async def _already_posted(
        self, client: AsyncWebClient, row: OutboxMessage, channel: str, thread_ts: str | None
    ) -> str | None:
        """The ts of this row's message if an earlier send reached Slack, else None."""
        method = "conversations.replies" if thread_ts else "conversations.history"
        params: dict[str, Any] = {
            "channel": channel,
            "limit": HISTORY_PAGE,
            "include_all_metadata": "true",
        }
        if thread_ts:
            params["ts"] = thread_ts
        for _ in range(HISTORY_PAGES):
            resp = await self._read(client, row, method, **params)
            for message in resp.get("messages") or []:
                if carries_key(message, row.dedupe_key):
                    return str(message.get("ts", ""))
            cursor = (resp.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return None
            params["cursor"] = cursor
        return None

    async def _send(self, row: OutboxMessage, delivery: Delivery) -> tuple[str, str]:
        if isinstance(delivery, Skip):
            return "", ""
        client = await self._clients.for_courier(row.team_id)
        self._check_lease(row)
        if isinstance(delivery, Update):
            args: dict[str, Any] = {
                "channel": delivery.channel,
                "ts": delivery.ts,
                "text": delivery.text,
            }
            if delivery.blocks is not None:
                args["blocks"] = delivery.blocks
            resp = await self._call(client, row, "chat.update", **args)
            return str(resp["channel"]), str(resp["ts"])
        if isinstance(delivery, Publish):
            if self.draw_home is None:
                raise Defer("the Home tab cannot be drawn yet")
            view = await self.draw_home(row.team_id, delivery.user_id)
            await self._call(client, row, "views.publish", user_id=delivery.user_id, view=view)
            return "", ""
        if isinstance(delivery, RedrawChannel):
            if self.redraw_members is None:
                raise Defer("the channel's members cannot be read yet")
            await self.redraw_members(row.team_id, delivery.channel, delivery.but)
            return "", ""
        channel = delivery.channel or await self._open(client, row, delivery.users)
        if isinstance(delivery, Upload):
            content = delivery.content
            if not isinstance(content, bytes):
                content = await asyncio.to_thread(content)
            async with self._turn(row, "files.completeUploadExternal"):
                resp = await client.files_upload_v2(
                    channel=channel,
                    filename=delivery.filename,
                    content=content,
                    title=delivery.title,
                    initial_comment=delivery.initial_comment or None,
                )
            file_info: dict[str, Any] = resp.get("file") or {}
            return channel, str(file_info.get("id", ""))
        if row.in_doubt:
            found = await self._already_posted(client, row, channel, delivery.thread_ts)
            if found:
                log.info(
                    "outbox row was posted before a crash; not posting again",
                    extra={"outbox_id": row.id, "channel": channel, "ts": found},
                )
                return channel, found
        args = {
            "channel": channel,
            "text": delivery.text,
            "metadata": outbox_metadata(row.dedupe_key),
        }
        if delivery.blocks is not None:
            args["blocks"] = delivery.blocks
        if delivery.thread_ts:
            args["thread_ts"] = delivery.thread_ts
        resp = await self._call(client, row, "chat.postMessage", **args)
        return str(resp["channel"]), str(resp["ts"])


def _retry_after(exc: SlackApiError) -> float:
    raw = exc.response.headers.get("Retry-After", "1") if exc.response is not None else "1"
    try:
        return max(0.0, float(raw or 1))
    except (TypeError, ValueError):
        return 1.0
