"""`respond()` over one shared HTTP session.

Bolt's own `respond` opens a new HTTP session, and a new connection, for every reply.
A poll that 2,000 people click at once answers each click through its response URL;
reusing connections keeps that cheap and keeps the event loop free for acks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import aiohttp
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.webhook import WebhookResponse
from slack_sdk.webhook.async_client import AsyncWebhookClient


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
        client = AsyncWebhookClient(url=self.response_url, session=self._session)
        return await client.send_dict(message)
