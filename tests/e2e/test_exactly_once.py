"""Nothing posted twice: two couriers on one database, a held send, a `kill -9` mid fan-out."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest
from sqlmodel import select

from activities.clock import ManualClock
from bot.delivery import LEASE, METADATA_EVENT_TYPE
from bot.sandbox import FakeSlack, SlackDriver
from storage import outbox
from storage.db import Database
from storage.kinds.coffee.models import CoffeePreference
from storage.models import Activity, OutboxMessage, OutboxStatus
from tests.e2e.harness import ADMIN, SIGNING_SECRET, START, Harness, eventually, reply_text
from tests.e2e.proxy import proxied_url, proxy_for

ROOT = Path(__file__).resolve().parents[2]
COFFEE = "C0COFFEE"


ORGANISER = "roles assign <@UORG> organiser"
ANNOUNCE = (
    'new announcement <#C0COMMUNITY|community> "every monday 09:00" "Hello" --tz Europe/London'
)


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
async def test_two_runtimes_and_a_send_held_past_its_lease_post_once(db_url: str) -> None:
    """Two runtimes on one PostgreSQL, each with its own engine and courier.

    A claims an announcement; Slack holds A's chat.postMessage, not acted on, past the
    lease. While A reaches the database its heartbeat keeps the row, so B leaves it.
    Then A is cut off from the database: its lease runs out, B takes the row over (in
    doubt: nothing in the channel's history) and posts it. A's held call is answered
    with a 429 whose Retry-After is longer than the lease, once A reaches the database
    again: A's claim is gone, so A's retry must not give the row back to be posted again.
    """
    proxy = await proxy_for(db_url)
    async with FakeSlack() as slack:
        slack.add_user(ADMIN, "admin")
        slack.add_user("UORG", "olu")
        slack.add_channel("C0COMMUNITY", "community", [ADMIN, "UORG"])
        clock = ManualClock(START)
        a = Harness(slack, proxied_url(db_url, proxy), clock)
        b = Harness(slack, db_url, clock)
        await a.start()
        try:
            said = reply_text(await a.command(ADMIN, "/community", ORGANISER))
            assert "organiser until" in said
            said = reply_text(await a.command("UORG", "/community", ANNOUNCE))
            assert "✅" in said, said
            async with a.bot.db.session() as session:
                activity = (await session.exec(select(Activity))).one()
            held = slack.hold_next("chat.postMessage")
            slack.rate_limit_next("chat.postMessage", retry_after=int(LEASE.total_seconds()) + 4)
            reply_text(await a.command("UORG", "/community", f"run {activity.id}"))
            await a.tick()
            await asyncio.wait_for(held.arrived.wait(), 10)
            claimed_at = time.monotonic()
            await b.start()  # B's courier polls the outbox from now on

            def posts() -> list[dict[str, object]]:
                return [m for m in slack.messages("C0COMMUNITY") if m.get("bot_id")]

            async def row() -> OutboxMessage:
                async with b.bot.db.session() as session:
                    rows = await outbox.list_rows(session)
                (found,) = [r for r in rows if r.intent == "announcement.post"]
                return found

            first_token = (await row()).claim_token
            # Past the lease A took the row with: A renewed it, B has not taken it over.
            await asyncio.sleep(LEASE.total_seconds() + 0.5 - (time.monotonic() - claimed_at))
            assert posts() == []
            assert (await row()).claim_token == first_token

            await proxy.refuse()  # A is alive but cannot reach the database

            async def taken_over() -> bool:
                return len(posts()) == 1 and (await row()).status == OutboxStatus.SENT

            await eventually(taken_over, 2 * LEASE.total_seconds())
            sent = await row()
            assert sent.ts == posts()[0]["ts"]
            await proxy.restore()
            held.release()  # A's call is answered now: 429, Retry-After past the lease
            await a.stop()  # A finishes the send under way (and records what it can)
            # B's post, then A's held one, answered last.
            assert [c.status for c in slack.calls_to("chat.postMessage")] == [200, 429]
            clock.advance(timedelta(minutes=1))  # past any Retry-After
            await b.settle()
            await asyncio.sleep(0.5)  # a second post, if any, would be under way now
            await b.settle()
            assert len(posts()) == 1, posts()
            after = await row()
            assert (after.status, after.ts) == (OutboxStatus.SENT, sent.ts)
        finally:
            await proxy.restore()
            await b.stop()
            await a.stop()
            await proxy.stop()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class BotProcess:
    """`python -m bot` as a real process, pointed at the local Slack and the test database."""

    def __init__(self, workdir: Path, env: dict[str, str]) -> None:
        self.workdir = workdir
        self.env = env
        self.port = int(env["PORT"])
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = workdir / "bot.log"

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "bot"],
                cwd=self.workdir,
                env=self.env,
                stdout=out,
                stderr=out,
            )

    async def healthy(self, limit: float = 30) -> None:
        async def answers() -> bool:
            assert self.proc is not None and self.proc.poll() is None, self.log.read_text()
            try:
                async with (
                    aiohttp.ClientSession() as session,
                    session.get(f"http://127.0.0.1:{self.port}/healthz") as resp,
                ):
                    return resp.status == 200
            except aiohttp.ClientError:
                return False

        await eventually(answers, limit)

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


# Pairs of members: the intros the fan-out sends. Small enough that the restarted bot's
# sends fit in what is left of the minute's conversations.open allowance (50 a minute),
# large enough that the kill lands mid-fan-out with sends in flight.
INTROS = 40


async def outbox_rows(db_url: str) -> list[OutboxMessage]:
    """The outbox as the database holds it, read over a connection of the test's own."""
    check = Database(db_url)
    try:
        async with check.session() as session:
            return await outbox.list_rows(session)
    finally:
        await check.dispose()


@pytest.fixture
def members() -> Iterator[list[str]]:
    yield [f"UK{i:03d}" for i in range(2 * INTROS)]


@pytest.mark.slow
async def test_kill_9_mid_fan_out_then_restart_sends_every_intro_once(
    db_url: str, tmp_path: Path, members: list[str]
) -> None:
    async with FakeSlack() as slack:
        slack.add_user(ADMIN, "admin")
        for i, user in enumerate(members):
            slack.add_user(user, f"person{i}", tz="Europe/London")
        slack.add_channel(COFFEE, "coffee", members)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONPATH": str(ROOT),
            "SLACK_BOT_TOKEN": "xoxb-kill-test",
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": slack.api_url,
            "DATABASE_URL": db_url,
            "ADMIN_USER_IDS": ADMIN,
            "HOST": "127.0.0.1",
            "PORT": str(_free_port()),
            "SCHEDULER_TICK_SECONDS": "1",
            "LOG_LEVEL": "INFO",
        }
        bot = BotProcess(tmp_path, env)
        bot.start()
        driver = SlackDriver(
            f"http://127.0.0.1:{bot.port}/slack/events", SIGNING_SECRET, slack=slack
        )
        try:
            await bot.healthy()
            said = reply_text(
                await driver.command(ADMIN, "/community", f"new coffee <#{COFFEE}|coffee>")
            )
            assert "✅" in said, said
            db = Database(db_url)
            try:
                async with db.session() as session:
                    activity = (await session.exec(select(Activity))).one()
                    # This bot runs on the wall clock, whatever the hour or day: its members
                    # chose to be reachable around the clock, so no intro waits for their
                    # quiet hours (tests/e2e/test_quiet_hours.py has those).
                    for user in members:
                        session.add(
                            CoffeePreference(
                                team_id=activity.team_id,
                                user_id=user,
                                work_start=0,
                                work_end=24,
                                work_days=127,
                                hours_chosen=True,
                            )
                        )
            finally:
                await db.dispose()
            # Slack posts each intro at once but answers late: at the kill, some intros are
            # in Slack while the bot never learnt their ts.
            slack.hold_answers("chat.postMessage", 0.3)
            said = reply_text(await driver.command(ADMIN, "/community", f"run {activity.id}"))
            assert "Running" in said, said

            def intros() -> list[dict[str, object]]:
                return [
                    m
                    for c in slack.channels.values()
                    if c.is_mpim
                    for m in c.messages
                    if m.get("bot_id")
                ]

            await eventually(lambda: len(intros()) >= INTROS * 2 // 5, 60)
            bot.kill()
            at_kill = len(intros())
            assert at_kill < INTROS
            # The kill left sends in flight: rows the restarted bot must check, not resend.
            left = await outbox_rows(db_url)
            in_flight = [r for r in left if r.status == OutboxStatus.SENDING]
            assert in_flight, [r.status for r in left]
            calls_before = len(slack.calls)
            restarted = time.monotonic()
            bot.start()

            def resumed() -> bool:
                return any(
                    c.method in ("chat.postMessage", "conversations.history")
                    for c in slack.calls[calls_before:]
                )

            await eventually(resumed, 30)
            resumed_after = time.monotonic() - restarted
            await eventually(lambda: len(intros()) >= INTROS, 90)

            async def all_recorded() -> bool:
                # The rows the killed process left mid-send are checked against each
                # channel's history once their lease runs out, behind the live sends.
                rows = await outbox_rows(db_url)
                return all(
                    r.status == OutboxStatus.SENT for r in rows if r.intent == "coffee.intro"
                )

            await eventually(all_recorded, 60)
            await asyncio.sleep(2)  # anything still going out would show now
        finally:
            await driver.stop()
            bot.stop()
        messages = intros()
        keys = [
            m["metadata"]["event_payload"]["outbox_key"]  # type: ignore[index]
            for m in messages
        ]
        assert all(
            m["metadata"]["event_type"] == METADATA_EVENT_TYPE  # type: ignore[index]
            for m in messages
        )
        assert len(messages) == INTROS, f"{len(messages)} intros (killed at {at_kill})"
        assert len(set(keys)) == INTROS
        assert resumed_after < 10, resumed_after
        rows = await outbox_rows(db_url)
        intro_rows = [r for r in rows if r.intent == "coffee.intro"]
        assert len(intro_rows) == INTROS
        assert all(r.status == OutboxStatus.SENT and r.ts for r in intro_rows), [
            (r.id, r.status, r.ts, r.last_error)
            for r in intro_rows
            if r.status != OutboxStatus.SENT or not r.ts
        ]
