"""Slack Web API clients: one token, or per-workspace tokens from OAuth installs."""

from __future__ import annotations

from typing import Any

from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.settings import Settings

DEFAULT_API_URL = "https://slack.com/api/"


def make_client(
    settings: Settings, token: str | None, *, sleep_on_429: bool = True
) -> AsyncWebClient:
    """A Web API client; `sleep_on_429=False` for the courier, which re-queues instead.

    slack_sdk retries connection errors by default but not 429s. Replies to a person
    may wait out a short Retry-After; the courier must not, because it would sleep
    while holding an outbox claim and a send slot.
    """
    client = AsyncWebClient(
        token=token,
        base_url=settings.slack_api_url or DEFAULT_API_URL,
    )
    if sleep_on_429:
        client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=2))
    return client


class ClientProvider:
    """Finds the client for a workspace when no Slack request is at hand (scheduled work)."""

    def __init__(self, settings: Settings, installation_store: Any | None = None) -> None:
        self._settings = settings
        self._store = installation_store
        self._single = make_client(settings, settings.slack_bot_token or None)
        self._courier_single = make_client(
            settings, settings.slack_bot_token or None, sleep_on_429=False
        )
        self._by_team: dict[str, AsyncWebClient] = {}
        self._courier_by_team: dict[str, AsyncWebClient] = {}

    @property
    def default(self) -> AsyncWebClient:
        return self._single

    async def forget(self, team_id: str) -> None:
        """The workspace uninstalled the app: drop its tokens (OAuth installs)."""
        self._by_team.pop(team_id, None)
        self._courier_by_team.pop(team_id, None)
        if self._store is not None:
            await self._store.async_delete_all(enterprise_id=None, team_id=team_id)

    async def for_team(self, team_id: str) -> AsyncWebClient:
        if self._store is None:
            return self._single
        return await self._installed(team_id, self._by_team, sleep_on_429=True)

    async def for_courier(self, team_id: str) -> AsyncWebClient:
        """The courier's client: a 429 raises at once (the courier re-queues the row)."""
        if self._store is None:
            return self._courier_single
        return await self._installed(team_id, self._courier_by_team, sleep_on_429=False)

    async def _installed(
        self, team_id: str, cache: dict[str, AsyncWebClient], *, sleep_on_429: bool
    ) -> AsyncWebClient:
        assert self._store is not None
        if team_id not in cache:
            bot = await self._store.async_find_bot(enterprise_id=None, team_id=team_id)
            if bot is None:
                raise LookupError(f"no installation for workspace {team_id}")
            cache[team_id] = make_client(self._settings, bot.bot_token, sleep_on_429=sleep_on_429)
        return cache[team_id]
