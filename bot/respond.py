"""`respond()` over one shared HTTP session, at the cost of one plain POST.

Bolt's own `respond` opens a new HTTP session, and a new connection, for every reply.
A poll that 2,000 people click at once answers each click through its response URL;
reusing connections keeps that cheap and keeps the event loop free for acks. The POST is
made here rather than through slack_sdk's webhook client, which per call rebuilds its
User-Agent and formats debug lines of the whole body even when debug logging is off:
about a third of a vote's reply in bench/polls.py.
"""

from __future__ import annotations

import json
import platform
from collections.abc import Sequence
from typing import Any

import aiohttp
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.version import __version__ as SLACK_SDK_VERSION
from slack_sdk.webhook import WebhookResponse

# One retry on a dropped connection, as slack_sdk's default retry handler does: a pooled
# keep-alive connection the other side closed meanwhile fails before anything was sent.
CONNECTION_RETRIES = 1


HEADERS = {
    "Content-Type": "application/json;charset=utf-8",
    "User-Agent": f"convene slack_sdk/{SLACK_SDK_VERSION} Python/{platform.python_version()}",
}


class PooledRespond(AsyncRespond):
    def __init__(self, *, response_url: str, session: aiohttp.ClientSession) -> None:
        super().__init__(response_url=response_url)
        self._session = session

    async def __call__(  # type: ignore[override]
        self,
        text: str | dict[str, Any] = "",
        blocks: Sequence[dict[str, Any]] | None = None,
        response_type: str | None = None,
        replace_original: bool | None = None,
        delete_original: bool | None = None,
        **extra: Any,
    ) -> WebhookResponse:
        message: dict[str, Any] = dict(text) if isinstance(text, dict) else {"text": text}
        optional = {
            "blocks": blocks,
            "response_type": response_type,
            "replace_original": replace_original,
            "delete_original": delete_original,
            **extra,
        }
        message.update({k: v for k, v in optional.items() if v is not None})
        assert self.response_url is not None
        data = json.dumps(message)
        for attempt in range(CONNECTION_RETRIES + 1):
            try:
                async with self._session.post(
                    self.response_url, data=data, headers=HEADERS
                ) as response:
                    return WebhookResponse(
                        url=self.response_url,
                        status_code=response.status,
                        body=await response.text(),
                        headers=dict(response.headers),
                    )
            except aiohttp.ClientConnectionError:
                if attempt == CONNECTION_RETRIES:
                    raise
        raise AssertionError("unreachable")
