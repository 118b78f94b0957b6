from __future__ import annotations

from aiohttp.test_utils import TestClient, TestServer
from slack_bolt.async_app import AsyncApp

from bot.web import build_web_app
from storage.db import Database


async def test_healthz_says_503_when_the_database_does_not_answer() -> None:
    db = Database("postgresql+asyncpg://nobody@127.0.0.1:9/none")
    bolt = AsyncApp(signing_secret="s", token="xoxb-x")
    async with TestClient(TestServer(build_web_app(bolt, db))) as client:
        resp = await client.get("/healthz")
        assert resp.status == 503
        assert (await resp.json())["ok"] is False
    await db.dispose()
