"""A real database outage: a loopback TCP proxy in front of PostgreSQL refuses or drops."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest
from sqlmodel import select

from activities.clock import ManualClock
from bot.guards import OUTAGE_TEXT
from bot.sandbox import FakeSlack
from storage.kinds.poll.models import Poll
from tests.e2e.harness import ADMIN, START, Harness, eventually, reply_text
from tests.e2e.proxy import FlakyProxy, proxied_url, proxy_for

CHANNEL = "C0COMMUNITY"


@pytest.fixture
async def outage(db_url: str) -> AsyncIterator[tuple[Harness, FlakyProxy]]:
    proxy = await proxy_for(db_url)
    proxied = proxied_url(db_url, proxy)
    async with FakeSlack() as slack:
        slack.add_user(ADMIN, "admin")
        slack.add_user("UMEM", "mia")
        slack.add_channel(CHANNEL, "community", [ADMIN, "UMEM"])
        h = Harness(slack, proxied, ManualClock(START))
        # The real scheduler, ticking fast: its outage lines are counted too.
        await h.start(run_scheduler=True, SCHEDULER_TICK_SECONDS="0.2")
        try:
            yield h, proxy
        finally:
            await proxy.restore()
            await h.stop()
            await proxy.stop()


async def _healthz(h: Harness) -> tuple[int, float]:
    started = time.monotonic()
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{h.bot.port}/healthz") as resp,
    ):
        return resp.status, time.monotonic() - started


async def _polls(h: Harness) -> int:
    async with h.bot.db.session() as session:
        return len((await session.exec(select(Poll))).all())


def _answered_by_response_url(h: Harness, text: str) -> bool:
    return any(c.args.get("text") == text for c in h.slack.calls_to("response_url"))


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
@pytest.mark.parametrize("failure", ["blackhole", "refuse"])
async def test_during_a_database_outage_everyone_gets_an_answer_and_nothing_happens_late(
    outage: tuple[Harness, FlakyProxy], failure: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    h, proxy = outage
    said = reply_text(await h.command("UMEM", "/poll", '"Lunch?" "Yes" "No"', channel_id=CHANNEL))
    assert "✅" in said, said
    await h.settle()
    message = h.slack.last_message(CHANNEL)
    async with h.bot.db.session() as session:
        (poll,) = (await session.exec(select(Poll))).all()

    if failure == "blackhole":
        proxy.blackhole()
    else:
        await proxy.refuse()
    await asyncio.sleep(1.2)  # past the second a recent success vouches for the database

    status, took = await _healthz(h)
    assert status == 503 and took < 1.0, (status, took)

    answer = await h.command("UMEM", "/poll", '"Dinner?" "Yes" "No"', channel_id=CHANNEL)
    assert answer.elapsed < 3.0, answer.elapsed
    assert reply_text(answer) == OUTAGE_TEXT

    click = await h.say.click("UMEM", message, "poll_vote", value=f"{poll.id}:0")
    assert click.status == 200 and click.elapsed < 3.0
    await eventually(lambda: _answered_by_response_url(h, OUTAGE_TEXT), 5)

    event = await h.say.app_home_opened("UMEM")
    assert event.status == 200 and event.elapsed < 3.0

    await asyncio.sleep(3)  # the courier keeps trying meanwhile
    await proxy.restore()

    def back(logger: str) -> bool:
        return any(
            r.name == logger and "reaches the database again" in r.getMessage()
            for r in caplog.records
        )

    await eventually(lambda: back("bot.delivery") and back("bot.scheduler"), 15)
    status, _ = await _healthz(h)
    assert status == 200
    await asyncio.sleep(1)
    # The refused poll was not created after all, behind the person's back.
    assert await _polls(h) == 1
    # The courier polled and the scheduler ticked all along: one line each way apiece.
    for logger in ("bot.delivery", "bot.scheduler"):
        lines = [r.getMessage() for r in caplog.records if r.name == logger]
        assert len([m for m in lines if "cannot reach the database" in m]) == 1, lines
        assert len([m for m in lines if "reaches the database again" in m]) == 1, lines
    # No traceback, and no error besides the two "cannot reach" lines.
    loud = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert [r.getMessage() for r in loud if "cannot reach the database" not in r.getMessage()] == []
    assert not [r for r in loud if r.exc_info]
