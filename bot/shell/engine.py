"""The real Convene on loopback against the embedded workspace, and the virtual clock.

The bot is `bot.app.Runtime` itself (listeners, outbox, courier, scheduler tick) with a
ManualClock; people's actions reach it as signed HTTP requests through the sandbox driver,
and its Web API calls go to the embedded FakeSlack. `settle()` waits until the bot has
finished reacting; `advance_to()` walks the clock forward through everything due.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from activities.clock import ManualClock
from bot.app import Runtime
from bot.sandbox import FakeSlack, SlackDriver
from bot.settings import Settings, load_settings
from bot.shell.seed import Community, seed_community
from storage import outbox

log = logging.getLogger(__name__)

# Work the bot defers by a moment (coalesced poll updates) is let through at once.
A_MOMENT = timedelta(seconds=10)
SETTLE_LIMIT = 15.0

# Tasks that are always there while the bot is idle: connection handlers waiting for the
# next request, the courier waiting to be woken (wait_for wraps Event.wait in a task).
# Tasks that wait by design: the HTTP handlers, the courier loop, its lease heartbeat.
_IDLE_TASKS = frozenset(
    {"RequestHandler.start", "Courier.run_forever", "Courier._renew_forever", "Event.wait"}
)


@dataclass(frozen=True)
class EngineOptions:
    database_path: Path
    start: datetime
    members: int = 12
    default_timezone: str = "Europe/London"
    # A kept session's conversations and messages (`FakeSlack.snapshot()`), to go on with.
    workspace: dict[str, Any] | None = None


class _DropUnhandled(logging.Filter):
    """Bolt warns at length about requests no listener takes; the shell says so itself
    (an unknown command), or it is expected (messages and reactions nobody listens to)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Unhandled request")


def _busy_tasks() -> list[asyncio.Task[object]]:
    me = asyncio.current_task()
    busy = []
    for task in asyncio.all_tasks():
        if task is me or task.done():
            continue
        name = getattr(task.get_coro(), "__qualname__", "")
        if name not in _IDLE_TASKS:
            busy.append(task)
    return busy


class Engine:
    """One local workspace with the bot in it."""

    def __init__(self, options: EngineOptions) -> None:
        self.options = options
        self.clock = ManualClock(options.start)
        self.slack = FakeSlack(seed=7)
        self.signing_secret = secrets.token_hex(16)
        self.community: Community | None = None
        self.runtime: Runtime | None = None
        self.driver: SlackDriver | None = None

    def settings(self) -> Settings:
        env = {
            "SLACK_BOT_TOKEN": "xoxb-local-shell",
            "SLACK_SIGNING_SECRET": self.signing_secret,
            "VOTE_SECRET": self.signing_secret,
            "SLACK_API_URL": self.slack.api_url,
            "DATABASE_URL": f"sqlite+aiosqlite:///{self.options.database_path}",
            "ADMIN_USER_IDS": self.community.admin_id if self.community else "",
            "DEFAULT_TIMEZONE": self.options.default_timezone,
            "HOST": "127.0.0.1",
            "PORT": "3000",  # unused: the runtime binds a free port
            "LOG_LEVEL": "WARNING",
            # Moving the clock past a month's first working day would DM the monthly
            # report (and draw its chart) in the middle of a tour; `/community report`
            # shows the same figures when asked.
            "MONTHLY_REPORT": "off",
        }
        return load_settings(env, env_file=None)

    async def start(self) -> None:
        await self.slack.start()
        self.community = seed_community(self.slack, members=self.options.members)
        if self.options.workspace is not None:
            self.slack.restore(self.options.workspace)
        runtime = Runtime(self.settings(), clock=self.clock, run_scheduler=False, freeze_gc=False)
        bolt_log = logging.getLogger("slack_bolt.AsyncApp")
        if not any(isinstance(f, _DropUnhandled) for f in bolt_log.filters):
            bolt_log.addFilter(_DropUnhandled())
        await runtime.start(host="127.0.0.1", port=0)
        self.runtime = runtime
        url = f"http://127.0.0.1:{runtime.port}/slack/events"
        self.driver = SlackDriver(url, self.signing_secret, slack=self.slack)

    async def stop(self) -> None:
        if self.driver is not None:
            await self.driver.stop()
        if self.runtime is not None:
            await self.runtime.stop()
        await self.slack.stop()

    @property
    def bot(self) -> Runtime:
        assert self.runtime is not None, "the engine is not started"
        return self.runtime

    @property
    def say(self) -> SlackDriver:
        assert self.driver is not None, "the engine is not started"
        return self.driver

    # ------------------------------------------------------------ waiting for the bot

    async def idle(self) -> None:
        """Until no listener, tick or send is under way."""
        self.bot.services.courier.wake()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + SETTLE_LIMIT
        while True:
            if not _busy_tasks():
                async with self.bot.db.session() as session:
                    in_flight = await outbox.count_in_flight(session, now=self.clock.now())
                if in_flight == 0:
                    # Nothing to send and no task running: only a task scheduled this very
                    # turn could still change that, and one more turn shows it.
                    await asyncio.sleep(0)
                    if not _busy_tasks():
                        return
                    continue
            if loop.time() > deadline:
                log.warning("the bot is still busy; going on", extra={"tasks": len(_busy_tasks())})
                return
            await asyncio.sleep(0.003)

    async def settle(self) -> None:
        """Run the tick and the courier until nothing more is due now (or in a moment)."""
        for _ in range(20):
            calls = len(self.slack.calls)
            await self.bot.tick()
            await self.idle()
            async with self.bot.db.session() as session:
                soon = await outbox.next_due_at(session)
            now = self.clock.now()
            if soon is not None and now < soon <= now + A_MOMENT:
                self.clock.set(soon)
                continue
            if len(self.slack.calls) == calls:
                return

    async def step_towards(self, target: datetime) -> bool:
        """Move the clock to the next moment the bot has anything to do (or the target,
        if sooner) and settle: nothing due is jumped over, and quiet days cost nothing.

        Returns False once the target is reached.
        """
        now = self.clock.now()
        if now >= target:
            return False
        due = await self.bot.next_due()
        self.clock.set(min(target, due) if due is not None else target)
        await self.settle()
        return True
