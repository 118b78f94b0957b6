"""Poll voting under load: the bot over HTTP, 2,000 voters clicking one poll, 50 at a time.

Run: `python bench/polls.py` from the project root (SQLite), or
`python bench/polls.py --postgres postgresql+asyncpg://…/db` (that database is emptied).

It starts the real bot in its own process (as in production: Slack is not in the bot's
process) with a SystemClock, SQLite in a temporary directory and the courier in the
background, against the local fake Slack in this process, and sends signed
`block_actions` exactly as Slack would. Two runs, each on a fresh bot and database:

- coalesced (production): each vote enqueues the refreshable `poll.update` intent;
- naive baseline: the vote listener calls chat.update itself after every vote.

It prints acknowledgements per second, p50/p99 ack latency, votes stored vs sent,
chat.update calls for the poll and the most in any one second, and the targets.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import signal
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCRIPT = Path(__file__).resolve()
sys.path.insert(0, str(SCRIPT.parent.parent))  # run as a script from anywhere

from sqlalchemy import text  # noqa: E402
from sqlmodel import select  # noqa: E402

from activities.clock import SystemClock  # noqa: E402
from activities.kinds.poll.use_cases import VoteOutcome  # noqa: E402
from bot.app import Runtime  # noqa: E402
from bot.kinds.poll import actions as poll_actions  # noqa: E402
from bot.kinds.poll.renderers import message_for  # noqa: E402
from bot.sandbox import FakeSlack, SlackDriver  # noqa: E402
from bot.sandbox.driver import FORM  # noqa: E402
from bot.services import Services  # noqa: E402
from bot.settings import Settings, load_settings  # noqa: E402
from storage import outbox  # noqa: E402
from storage import polls as poll_store  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.kinds.poll.models import Poll  # noqa: E402

VOTERS = 2000
CONCURRENCY = 50
OPTIONS = 4
CHANNEL = "C0BENCH"
CREATOR = "UCREATOR"
SECRET = "bench-signing-secret"
TARGET_P99_MS = 300.0
TARGET_UPDATES_PER_SECOND = 1.1  # "at most about one a second"


@dataclass
class Result:
    name: str
    sent: int
    acked: int
    seconds: float
    latencies_ms: list[float]
    stored: int
    updates: int
    updates_per_second: float
    min_gap_s: float
    final_voters_shown: bool

    @property
    def rate(self) -> float:
        return self.acked / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class NaiveFollowUp(poll_actions.VoteFollowUp):
    """The baseline: re-render and chat.update the message on every single vote."""

    async def after_vote(self, services: Services, client: Any, outcome: VoteOutcome) -> None:
        poll = outcome.poll
        assert poll.id is not None
        async with services.db.session() as session:
            fresh = await poll_store.get_poll(session, poll_id=poll.id)
            posted = await outbox.get_by_key(session, dedupe_key=f"poll:{poll.id}:post")
            assert fresh is not None and posted is not None
            text, blocks = await message_for(session, fresh)
        await client.chat_update(channel=posted.channel_id, ts=posted.ts, text=text, blocks=blocks)


def bot_env(api_url: str, database_url: str) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": "xoxb-bench-token",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": api_url,
        "DATABASE_URL": database_url,
        "DEFAULT_TIMEZONE": "UTC",
        "HOST": "127.0.0.1",
        "PORT": "3000",  # unused: the bot listens on a free port
        "LOG_LEVEL": "ERROR",
    }


async def serve(mode: str, port_file: str) -> None:
    """The bot process: the real Runtime; `naive` swaps in the per-vote chat.update."""
    logging.basicConfig(level=logging.ERROR)
    settings: Settings = load_settings(dict(os.environ), env_file=None)
    if mode == "naive":
        poll_actions.vote_follow_up = NaiveFollowUp()
    runtime = Runtime(settings, clock=SystemClock(), run_scheduler=False)
    await runtime.start(host="127.0.0.1", port=0)
    await asyncio.to_thread(Path(port_file).write_text, str(runtime.port))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    await runtime.stop()


async def start_bot(mode: str, api_url: str, database_url: str, tmp: Path) -> tuple[Any, int]:
    port_file = tmp / f"port-{mode}"
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(SCRIPT),
        "--serve",
        mode,
        str(port_file),
        env={**os.environ, **bot_env(api_url, database_url)},
    )
    for _ in range(600):
        if proc.returncode is not None:
            break
        if port_file.exists() and port_file.read_text():
            return proc, int(port_file.read_text())
        await asyncio.sleep(0.05)
    if proc.returncode is None:
        proc.terminate()
    raise RuntimeError("the bot did not start")


async def stored_votes(db: Database, poll_id: int) -> int:
    async with db.session() as session:
        return await poll_store.count_votes(session, poll_id=poll_id)


async def create_poll(db: Database, driver: SlackDriver, name: str) -> tuple[int, str]:
    text = f'"{name}: which option?" ' + " ".join(f'"Option {i}"' for i in range(OPTIONS))
    response = await driver.command(CREATOR, "/poll", text, channel_id=CHANNEL)
    assert response.status == 200, response.body
    for _ in range(1000):
        async with db.session() as session:
            poll = (await session.exec(select(Poll))).first()
            row = None
            if poll is not None and poll.id is not None:
                row = await outbox.get_by_key(session, dedupe_key=f"poll:{poll.id}:post")
        if poll is not None and poll.id is not None and row is not None and row.ts:
            return poll.id, row.ts
        await asyncio.sleep(0.01)
    raise RuntimeError("the poll message was never posted")


async def fresh_database(tmp: Path, mode: str, postgres_url: str | None) -> str:
    """A SQLite file in `tmp`, or the named PostgreSQL database emptied for this run."""
    if postgres_url is None:
        return f"sqlite+aiosqlite:///{tmp / f'{mode}.db'}"
    db = Database(postgres_url)
    async with db.engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await db.dispose()
    return postgres_url


async def run_case(
    name: str, mode: str, slack: FakeSlack, tmp: Path, postgres_url: str | None
) -> Result:
    database_url = await fresh_database(tmp, mode, postgres_url)
    proc, port = await start_bot(mode, slack.api_url, database_url, tmp)
    db = Database(database_url)
    url = f"http://127.0.0.1:{port}/slack/events"
    try:
        async with SlackDriver(url, SECRET, slack=slack) as driver:
            poll_id, ts = await create_poll(db, driver, name)
            message = slack.get_message(CHANNEL, ts)
            assert message is not None
            semaphore = asyncio.Semaphore(CONCURRENCY)
            latencies: list[float] = []
            acked = 0

            # Prepared before the clock starts, as a load generator would: the timing is
            # the bot's (signing stays per request, with the current timestamp).
            bodies = [
                driver.click_body(
                    f"UV{i:05d}", message, "poll_vote", value=f"{poll_id}:{i % OPTIONS}"
                )
                for i in range(VOTERS)
            ]

            async def vote(i: int) -> None:
                nonlocal acked
                async with semaphore:
                    start = time.perf_counter()
                    response = await driver.post(url, bodies[i], FORM)
                    latencies.append((time.perf_counter() - start) * 1000)
                    acked += response.status == 200

            began = time.perf_counter()
            await asyncio.gather(*(vote(i) for i in range(VOTERS)))
            seconds = time.perf_counter() - began
            # Acks come before the work: wait for the votes, then the last coalesced update.
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                if await stored_votes(db, poll_id) >= VOTERS:
                    break
                await asyncio.sleep(0.1)
            await asyncio.sleep(3.0)
            stored = await stored_votes(db, poll_id)
    finally:
        proc.send_signal(signal.SIGTERM)
        await proc.wait()
        await db.dispose()
    updates = [c for c in slack.calls_to("chat.update") if c.args.get("ts") == ts and c.ok]
    times = sorted(c.at for c in updates)
    gaps = [b - a for a, b in itertools.pairwise(times)]
    final = slack.get_message(CHANNEL, ts) or {}
    return Result(
        name=name,
        sent=VOTERS,
        acked=acked,
        seconds=seconds,
        latencies_ms=latencies,
        stored=stored,
        updates=len(updates),
        updates_per_second=(len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0,
        min_gap_s=min(gaps, default=0.0),
        final_voters_shown=f"{VOTERS} voters" in str(final.get("blocks")),
    )


def report(results: list[Result], backend: str) -> None:
    print(
        f"Polls benchmark: {VOTERS} distinct voters, {CONCURRENCY} concurrent requests, "
        f"one poll per run, {backend}, bot over HTTP on loopback"
    )
    header = (
        f"{'run':<28}{'acks/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'stored/sent':>14}"
        f"{'chat.update':>13}{'per s':>7}{'min gap s':>11}{'final tally':>13}"
    )
    print(header)
    for r in results:
        print(
            f"{r.name:<28}{r.rate:>8.0f}{statistics.median(r.latencies_ms):>9.1f}"
            f"{r.pct(0.99):>9.1f}{f'{r.stored}/{r.sent}':>14}{r.updates:>13}"
            f"{r.updates_per_second:>7.2f}{r.min_gap_s:>11.2f}"
            f"{'correct' if r.final_voters_shown else 'STALE':>13}"
        )
    ours = results[0]
    print("Targets (coalesced run):")
    checks = [
        (
            f"p99 ack under {TARGET_P99_MS:.0f} ms",
            ours.pct(0.99) < TARGET_P99_MS,
            f"{ours.pct(0.99):.1f} ms",
        ),
        ("zero votes lost", ours.stored == ours.sent, f"{ours.sent - ours.stored} lost"),
        (
            "at most ~1 chat.update per second per poll",
            ours.updates_per_second <= TARGET_UPDATES_PER_SECOND,
            f"{ours.updates_per_second:.2f}/s, {ours.updates} in total, "
            f"closest two {ours.min_gap_s:.2f} s apart",
        ),
        ("final message shows every vote", ours.final_voters_shown, ""),
    ]
    for label, ok, detail in checks:
        print(f"  {label:<46} {'met' if ok else 'NOT MET':<8} {detail}")
    base = results[1]
    if base.updates:
        print(
            f"Coalescing made {base.updates / max(1, ours.updates):.0f}x fewer chat.update "
            f"calls than the naive baseline ({ours.updates} vs {base.updates})."
        )


async def main(postgres_url: str | None) -> None:
    logging.basicConfig(level=logging.ERROR)
    backend = "PostgreSQL" if postgres_url else "SQLite"
    print(f"database: {backend}")
    with tempfile.TemporaryDirectory() as tmp:
        async with FakeSlack() as slack:
            slack.add_user(CREATOR, "creator")
            voters = [f"UV{i:05d}" for i in range(VOTERS)]
            for user in voters:
                slack.add_user(user, user.lower(), join_general=False)
            slack.add_channel(CHANNEL, "bench", [CREATOR, *voters])
            results = [
                await run_case(
                    "coalesced (production)", "coalesced", slack, Path(tmp), postgres_url
                ),
                await run_case(
                    "naive: chat.update per vote", "naive", slack, Path(tmp), postgres_url
                ),
            ]
    report(results, backend)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--serve":
        asyncio.run(serve(sys.argv[2], sys.argv[3]))
    elif len(sys.argv) == 3 and sys.argv[1] == "--postgres":
        # e.g. --postgres postgresql+asyncpg://postgres@127.0.0.1:5432/bench (it is emptied)
        asyncio.run(main(sys.argv[2]))
    else:
        asyncio.run(main(None))
