from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient, TestServer
from slack_bolt.async_app import AsyncApp

from bot.web import build_web_app
from storage.db import Database


async def test_healthz_says_503_when_the_database_does_not_answer() -> None:
    db = Database("postgresql+asyncpg://nobody@127.0.0.1:9/none")
    bolt = AsyncApp(signing_secret="s", token="xoxb-x")
    async with TestClient(TestServer(build_web_app(bolt, db, signing_secret="s"))) as client:
        resp = await client.get("/healthz")
        assert resp.status == 503
        assert (await resp.json())["ok"] is False
    await db.dispose()


@pytest.mark.slow
async def test_the_runtime_freezes_the_collector_after_start_up(tmp_path: object) -> None:
    import gc

    from bot.app import Runtime
    from bot.settings import load_settings

    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": "xoxb-x",
            "SLACK_SIGNING_SECRET": "s",
            "DATABASE_URL": f"sqlite:///{tmp_path}/gc.db",
            "HOST": "127.0.0.1",
        },
        env_file=None,
    )
    gc.unfreeze()
    runtime = Runtime(settings, run_scheduler=False)
    await runtime.start(port=0)
    try:
        assert gc.get_freeze_count() > 0  # start-up objects are out of the collector's way
    finally:
        # Stopped at once, before the courier's loop had a turn (a SIGTERM right after
        # the start): the loop still ends by itself instead of being cancelled at the
        # stop's time limit.
        await runtime.stop()
        gc.unfreeze()
    courier = runtime._courier_task
    assert courier is not None and courier.done() and not courier.cancelled()
