"""Multi-workspace installs: with a client id and secret the bot serves Slack's OAuth flow."""

from __future__ import annotations

import aiohttp

from activities.clock import ManualClock
from bot.sandbox import FakeSlack
from tests.e2e.harness import START, Harness


async def test_install_page_links_to_slack_authorize_with_the_bot_scopes(db_url: str) -> None:
    async with FakeSlack() as slack:
        h = Harness(slack, db_url, ManualClock(START))
        await h.start(SLACK_BOT_TOKEN="", SLACK_CLIENT_ID="111.222", SLACK_CLIENT_SECRET="shh")
        try:
            url = f"http://127.0.0.1:{h.bot.port}/slack/install"
            session = aiohttp.ClientSession()
            async with session as http, http.get(url, allow_redirects=False) as resp:
                body = await resp.text()
                location = resp.headers.get("Location", "")
            link = location or body
            assert resp.status in (200, 302)
            assert "oauth/v2/authorize" in link and "client_id=111.222" in link
            assert "chat:write" in link.replace("%3A", ":")
        finally:
            await h.stop()
