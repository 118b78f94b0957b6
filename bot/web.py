"""HTTP routes: Slack's request URL and the health check.

Slack's request URL checks the signature and timestamp on the raw body before anything
reads it: an unsigned or malformed request costs one comparison, never a parse, a
traceback or a log line with its body in it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_sdk.signature import SignatureVerifier

from bot.slack_request import bolt_request as bolt_request_of
from storage.db import Database

log = logging.getLogger(__name__)

# Slack refuses requests whose timestamp is more than five minutes off; so do we.
MAX_CLOCK_SKEW_SECONDS = 60 * 5
HEALTH_BUDGET_SECONDS = 0.8
# At most one line per source per this many seconds about refused requests.
REFUSAL_LOG_INTERVAL = 60.0
_REFUSAL_SOURCES_MAX = 10_000


class RefusalLog:
    """One line per source per minute, however many requests it refuses meanwhile."""

    def __init__(
        self,
        interval: float = REFUSAL_LOG_INTERVAL,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._interval = interval
        self._monotonic = monotonic
        self._last: dict[str, float] = {}
        self._quiet: dict[str, int] = {}

    def note(self, source: str, reason: str) -> None:
        now = self._monotonic()
        last = self._last.get(source)
        if last is not None and now - last < self._interval:
            self._quiet[source] = self._quiet.get(source, 0) + 1
            return
        if len(self._last) >= _REFUSAL_SOURCES_MAX:
            self._last.clear()
            self._quiet.clear()
        self._last[source] = now
        log.warning(
            "refused a request that is not from Slack",
            extra={
                "source": source,
                "reason": reason,
                "refused_quietly": self._quiet.pop(source, 0),
            },
        )


def check_signature(
    verifier: SignatureVerifier, body: bytes, timestamp: str | None, signature: str | None
) -> tuple[int, str] | None:
    """None when the request is Slack's; else the HTTP status and the reason."""
    if not timestamp or not signature:
        return 401, "unsigned"
    if not timestamp.isdigit() or len(timestamp) > 12:
        return 400, "malformed timestamp"
    if abs(time.time() - int(timestamp)) > MAX_CLOCK_SKEW_SECONDS:
        return 401, "stale timestamp"
    if not verifier.is_valid(body, timestamp, signature):
        return 401, "bad signature"
    return None


def build_web_app(
    bolt: AsyncApp, db: Database, *, signing_secret: str, oauth: bool = False
) -> web.Application:
    verifier = SignatureVerifier(signing_secret)
    refusals = RefusalLog()

    async def slack_events(request: web.Request) -> web.Response:
        body = await request.read()
        refused = check_signature(
            verifier,
            body,
            request.headers.get("X-Slack-Request-Timestamp"),
            request.headers.get("X-Slack-Signature"),
        )
        if refused is not None:
            status, reason = refused
            refusals.note(request.remote or "unknown", reason)
            return web.json_response({"error": "invalid request"}, status=status)
        try:
            bolt_request = bolt_request_of(
                body.decode(), query=request.query_string, headers=request.headers
            )
        except (ValueError, TypeError, AttributeError, KeyError):
            # Signed by Slack's secret yet unreadable: still nothing worth a traceback.
            refusals.note(request.remote or "unknown", "unreadable body")
            return web.json_response({"error": "unreadable body"}, status=400)
        bolt_response = await bolt.async_dispatch(bolt_request)
        return await to_aiohttp_response(bolt_response)

    async def healthz(request: web.Request) -> web.Response:
        if await db.ping(within=HEALTH_BUDGET_SECONDS):
            return web.json_response({"ok": True})
        return web.json_response({"ok": False, "error": "database unavailable"}, status=503)

    async def oauth_flow(request: web.Request) -> web.Response:
        flow = bolt.oauth_flow
        assert flow is not None
        bolt_request = await to_bolt_request(request)
        if request.path.endswith("/install"):
            return await to_aiohttp_response(await flow.handle_installation(bolt_request))
        return await to_aiohttp_response(await flow.handle_callback(bolt_request))

    app = web.Application()
    app.router.add_post("/slack/events", slack_events)
    app.router.add_get("/healthz", healthz)
    if oauth:
        app.router.add_get("/slack/install", oauth_flow)
        app.router.add_get("/slack/oauth_redirect", oauth_flow)
    return app
