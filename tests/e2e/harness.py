"""The real bot on a loopback port, its Slack client pointed at the local fake Slack."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from activities.clock import ManualClock
from bot.app import Runtime
from bot.ratelimit import RateLimiter
from bot.sandbox import FakeSlack, Response, SlackDriver
from bot.settings import Settings, load_settings
from storage import outbox

SIGNING_SECRET = "e2e-signing-secret"
# A Monday, 13:00 UTC: inside the default quiet hours (08:00-19:00 local) of every zone
# the sandbox's members live in (London, Paris, Berlin, Athens and New York, where it is
# 08:00), so a DM sent "now" is delivered now; tests of quiet hours move the clock out.
START = datetime(2026, 11, 30, 13, 0, tzinfo=UTC)
ADMIN = "UADMIN"


class Harness:
    """One workspace: the fake Slack, the bot, a driver that speaks for the members."""

    def __init__(self, slack: FakeSlack, database_url: str, clock: ManualClock) -> None:
        self.slack = slack
        self.database_url = database_url
        self.clock = clock
        self.runtime: Runtime | None = None
        self.driver: SlackDriver | None = None

    def settings(self, **overrides: str) -> Settings:
        env = {
            "SLACK_BOT_TOKEN": "xoxb-e2e-token",
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": self.slack.api_url,
            "DATABASE_URL": self.database_url,
            "ADMIN_USER_IDS": ADMIN,
            "DEFAULT_TIMEZONE": "Europe/London",
            "HOST": "127.0.0.1",
            "PORT": "3000",
            # Tried in tests/e2e/test_report.py; elsewhere it would DM every organiser
            # whenever a test's clock crosses the first working day of a month.
            "MONTHLY_REPORT": "off",
            **overrides,
        }
        return load_settings(env, env_file=None)

    async def start(
        self,
        *,
        run_scheduler: bool = False,
        limiter: RateLimiter | None = None,
        **overrides: str,
    ) -> Runtime:
        # Many runtimes start in one test process: no need to freeze the collector there.
        # Tests tick by hand unless they ask for the real scheduler.
        runtime = Runtime(
            self.settings(**overrides),
            clock=self.clock,
            run_scheduler=run_scheduler,
            limiter=limiter,
            freeze_gc=False,
        )
        await runtime.start(host="127.0.0.1", port=0)
        self.runtime = runtime
        url = f"http://127.0.0.1:{runtime.port}/slack/events"
        self.driver = SlackDriver(url, SIGNING_SECRET, slack=self.slack)
        return runtime

    async def stop(self) -> None:
        if self.driver is not None:
            await self.driver.stop()
            self.driver = None
        if self.runtime is not None:
            await self.runtime.stop()
            self.runtime = None

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    @property
    def bot(self) -> Runtime:
        assert self.runtime is not None
        return self.runtime

    @property
    def say(self) -> SlackDriver:
        assert self.driver is not None
        return self.driver

    async def command(self, user: str, command: str, text: str = "", **kw: Any) -> Response:
        return await self.say.command(user, command, text, **kw)

    async def tick(self) -> None:
        await self.bot.tick()

    async def settle(self, limit: float = 10.0) -> None:
        """Wait until the courier has sent everything that is due now."""
        bot = self.bot
        bot.services.courier.wake()

        async def caught_up() -> bool:
            async with bot.db.session() as session:
                return await outbox.count_in_flight(session, now=self.clock.now()) == 0

        await eventually(caught_up, limit)


def reply_text(response: Response) -> str:
    """The ephemeral text a command answered with."""
    assert response.status == 200, (response.status, response.body)
    body = response.json if isinstance(response.json, dict) else {}
    return str(body.get("text", response.body))


async def eventually(
    check: Callable[[], Awaitable[bool]] | Callable[[], bool], limit: float = 5.0
) -> None:
    """Poll `check` until it holds: Bolt acks before listeners finish, so effects lag."""
    deadline = asyncio.get_running_loop().time() + limit
    while True:
        result = check()
        if inspect.isawaitable(result):
            result = await result
        if result:
            return
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)
