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
from pathlib import Path

import aiohttp
import pytest
from sqlmodel import select

from activities.clock import ManualClock
from bot.delivery import METADATA_EVENT_TYPE
from bot.sandbox import FakeSlack, SlackDriver
from storage import outbox
from storage.db import Database
from storage.models import Activity, OutboxStatus
from tests.e2e.harness import ADMIN, SIGNING_SECRET, START, Harness, eventually, reply_text

ROOT = Path(__file__).resolve().parents[2]
COFFEE = "C0COFFEE"


async def test_a_send_slack_holds_is_not_taken_over_by_a_second_process(
    harness: Harness,
) -> None:
    """Slack answers the post after 15 s (two and a half leases): one process, one post."""
    h = harness
    other = Harness(h.slack, h.database_url, ManualClock(START))
    await other.start()
    try:
        said = reply_text(await h.command(ADMIN, "/community", "roles assign <@UORG> organiser"))
        assert "organiser until" in said
        said = reply_text(
            await h.command(
                "UORG",
                "/community",
                'new announcement <#C0COMMUNITY|community> "every monday 09:00" "Hello" '
                "--tz Europe/London",
            )
        )
        assert "✅" in said, said
        async with h.bot.db.session() as session:
            activity = (await session.exec(select(Activity))).one()
        h.slack.hold_answers("chat.postMessage", 15)
        reply_text(await h.command("UORG", "/community", f"run {activity.id}"))
        await h.tick()
        # Both couriers poll the outbox all along; only the claim's holder may send.
        for courier in (h.bot.services.courier, other.bot.services.courier):
            courier.wake()

        def posted() -> int:
            return len([m for m in h.slack.messages("C0COMMUNITY") if m.get("bot_id")])

        await eventually(lambda: posted() == 1, 5)
        await asyncio.sleep(16)
        h.slack.hold_answers("chat.postMessage", 0)
        await h.settle()
        assert posted() == 1
        async with h.bot.db.session() as session:
            rows = await outbox.list_rows(session)
        (row,) = [r for r in rows if r.intent == "announcement.post"]
        assert row.status == OutboxStatus.SENT and row.ts
    finally:
        await other.stop()


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


@pytest.fixture
def members() -> Iterator[list[str]]:
    yield [f"UK{i:03d}" for i in range(200)]


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

            await eventually(lambda: len(intros()) >= 40, 60)
            bot.kill()
            at_kill = len(intros())
            assert at_kill < 100
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
            await eventually(lambda: len(intros()) >= 100, 90)

            async def all_recorded() -> bool:
                # The rows the killed process left mid-send are checked against each
                # channel's history once their lease runs out, behind the live sends.
                check = Database(db_url)
                try:
                    async with check.session() as session:
                        rows = await outbox.list_rows(session)
                finally:
                    await check.dispose()
                return all(
                    r.status == OutboxStatus.SENT for r in rows if r.intent == "coffee.intro"
                )

            await eventually(all_recorded, 60)
            await asyncio.sleep(2)  # anything still going out would show now
        finally:
            await driver.close()
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
        assert len(messages) == 100, f"{len(messages)} intros (killed at {at_kill})"
        assert len(set(keys)) == 100
        assert resumed_after < 10, resumed_after
        db = Database(db_url)
        try:
            async with db.session() as session:
                rows = await outbox.list_rows(session)
        finally:
            await db.dispose()
        intro_rows = [r for r in rows if r.intent == "coffee.intro"]
        assert len(intro_rows) == 100
        assert all(r.status == OutboxStatus.SENT and r.ts for r in intro_rows), [
            (r.id, r.status, r.ts, r.last_error)
            for r in intro_rows
            if r.status != OutboxStatus.SENT or not r.ts
        ]
