"""Poll voting under load: the bot over HTTP, thousands of voters clicking one poll.

Run `python bench/polls.py` from the project root (SQLite in a temporary directory), or
`python bench/polls.py --postgres postgresql+asyncpg://…/db` (that database is emptied);
`--help` lists the options.

It starts the real bot in its own process (as in production: Slack is not in the bot's
process) with a SystemClock and the courier in the background, against the local fake
Slack in this process, and sends signed `block_actions` exactly as Slack would. A
voter's confirmation is the ephemeral reply the bot posts to the click's response URL;
its latency runs from sending the click to the fake Slack receiving that reply.
Three measurements, each on a fresh database:

- floor: the database alone, a bare loop of the same vote upserts (one transaction
  each, no bot, no HTTP): what the storage costs by itself;
- burst: every voter clicks as fast as `--concurrency` connections allow;
- steady: the voters click at a steady `--rate` a second (open loop: a click is sent
  on schedule whether or not the earlier ones were answered).

It prints acks, confirmations (the processed rate and latency), votes stored, the final
tally, the poll's chat.update calls and the targets.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import io
import itertools
import logging
import os
import pstats
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SCRIPT = Path(__file__).resolve()
sys.path.insert(0, str(SCRIPT.parent.parent))  # run as a script from anywhere

import botproc  # noqa: E402
from sqlmodel import select  # noqa: E402

from activities.actor import Actor  # noqa: E402
from activities.clock import SystemClock  # noqa: E402
from activities.kinds.poll import intents as poll_intents  # noqa: E402
from activities.kinds.poll import use_cases as uc  # noqa: E402
from activities.kinds.poll.rules import build_poll_spec  # noqa: E402
from bot.app import Runtime  # noqa: E402
from bot.sandbox import SlackDriver  # noqa: E402
from bot.sandbox.driver import FORM  # noqa: E402
from bot.settings import Settings, load_settings  # noqa: E402
from storage import outbox  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.kinds.poll import queries as poll_store  # noqa: E402
from storage.kinds.poll.models import Poll  # noqa: E402
from storage.migrate import migrate  # noqa: E402

OPTIONS = 4
CHANNEL = "C0BENCH"
CREATOR = "UCREATOR"
SECRET = "bench-signing-secret"
TARGET_STEADY_P99_S = 1.0
TARGET_PROCESSED_TO_ACK = 0.5
TARGET_LAST_CONFIRMATION_S = 3.0
TARGET_UPDATES_PER_SECOND = 1.1  # "at most about one a second"


@dataclass
class Run:
    name: str
    voters: int
    began: float = 0.0
    sent_at: list[float] = field(default_factory=list)
    acked_at: list[float] = field(default_factory=list)
    acked: int = 0
    confirmed_at: list[float] = field(default_factory=list)
    confirmed_ok: int = 0
    stored: int = 0
    tally_ok: bool = False
    updates: int = 0
    updates_per_second: float = 0.0
    min_gap_s: float = 0.0
    final_shown: bool = False
    bot_cpu_s: float = 0.0

    @property
    def ack_ms(self) -> list[float]:
        return [(a - s) * 1000 for s, a in zip(self.sent_at, self.acked_at, strict=True)]

    @property
    def confirm_s(self) -> list[float]:
        return [c - s for s, c in zip(self.sent_at, self.confirmed_at, strict=True)]

    @property
    def ack_rate(self) -> float:
        span = max(self.acked_at) - self.began if self.acked_at else 0.0
        return len(self.acked_at) / span if span else 0.0

    @property
    def processed_rate(self) -> float:
        span = max(self.confirmed_at) - self.began if self.confirmed_at else 0.0
        return len(self.confirmed_at) / span if span else 0.0

    @property
    def last_confirmation_after_last_ack(self) -> float:
        if not self.confirmed_at or not self.acked_at:
            return float("nan")
        return max(self.confirmed_at) - max(self.acked_at)

    @property
    def lost(self) -> int:
        return self.voters - min(self.stored, self.confirmed_ok)


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def bot_env(api_url: str, database_url: str) -> dict[str, str]:
    return botproc.bot_env("xoxb-bench-token", SECRET, api_url, database_url)


async def serve(args: argparse.Namespace) -> None:
    """The bot process: the real Runtime, as `python -m bot` runs it."""
    logging.basicConfig(level=logging.ERROR)
    # CPU time, not wall time: on a shared machine the wall clock mostly measures others.
    profile: str | None = args.profile
    profiler = cProfile.Profile(time.process_time) if profile else None
    settings: Settings = load_settings(dict(os.environ), env_file=None)
    runtime = Runtime(settings, clock=SystemClock(), run_scheduler=False)
    async with botproc.serving(runtime, args.serve) as stop:
        if profiler is not None:
            profiler.enable()
        await stop.wait()
        if profiler is not None and profile:
            profiler.disable()
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats("cumulative").print_stats(80)
            stats.sort_stats("tottime").print_stats(50)
            await asyncio.to_thread(Path(profile).write_text, out.getvalue())


def bot_process(
    name: str, api_url: str, database_url: str, tmp: Path, profile: str | None = None
) -> contextlib.AbstractAsyncContextManager[tuple[Any, int]]:
    serve_args = ["--profile", f"{profile}.{name}.txt"] if profile else []
    env = bot_env(api_url, database_url)
    return botproc.bot_process(SCRIPT, tmp / f"port-{name}", serve_args, env)


async def floor(voters: int, batch: int, tmp: Path, postgres_url: str | None) -> float:
    """Votes a second the database takes by itself: the bot's own vote statements
    (cast_votes, `batch` ballots a transaction) in a bare loop, no bot, no HTTP."""
    db = Database(await botproc.fresh_database(tmp, f"floor-{batch}", postgres_url))
    try:
        await migrate(db)
        now = datetime.now(UTC)
        spec = build_poll_spec("floor", [f"Option {i}" for i in range(OPTIONS)], now=now)
        async with db.session() as session:
            poll = await uc.create_poll(
                session,
                actor=Actor("TBENCH", CREATOR, now),
                channel_id=CHANNEL,
                spec=spec,
            )
            assert poll.id is not None
            poll_id = poll.id
            row = await outbox.get_by_key(session, dedupe_key=poll_intents.POST.key_of(poll_id))
            assert row is not None and row.id is not None
            await outbox.record_sent(session, row_id=row.id, channel_id=CHANNEL, ts="1.1", now=now)
        ballots = [
            uc.Ballot("TBENCH", poll_id, i % OPTIONS, f"UV{i:05d}", CHANNEL, "1.1", now)
            for i in range(voters)
        ]
        cache = uc.PostedPolls()
        began = time.perf_counter()
        for start in range(0, voters, batch):
            async with db.session() as session:
                await uc.cast_votes(
                    session, ballots[start : start + batch], secret=SECRET, now=now, cache=cache
                )
        seconds = time.perf_counter() - began
        async with db.session() as session:
            assert await poll_store.count_votes(session, poll_id=poll_id) == voters
        return voters / seconds
    finally:
        await db.dispose()


async def create_poll(db: Database, driver: SlackDriver, name: str) -> tuple[int, str]:
    text_ = f'"{name}: which option?" ' + " ".join(f'"Option {i}"' for i in range(OPTIONS))
    response = await driver.command(CREATOR, "/poll", text_, channel_id=CHANNEL)
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


async def run_case(
    name: str,
    slack: botproc.TimedSlack,
    tmp: Path,
    postgres_url: str | None,
    *,
    voters: int,
    concurrency: int,
    rate: float | None,
    profile: str | None = None,
) -> Run:
    """One bot on a fresh database; `rate` None is the burst, else clicks a second."""
    database_url = await botproc.fresh_database(tmp, name, postgres_url)
    db = Database(database_url)
    run = Run(name, voters)
    run.sent_at = [0.0] * voters
    run.acked_at = [0.0] * voters
    try:
        async with bot_process(name, slack.api_url, database_url, tmp, profile) as (proc, port):
            url = f"http://127.0.0.1:{port}/slack/events"
            async with SlackDriver(url, SECRET, slack=slack) as driver:
                poll_id, ts = await create_poll(db, driver, name)
                message = slack.get_message(CHANNEL, ts)
                assert message is not None
                # Prepared before the clock starts, as a load generator would: the timing is
                # the bot's (signing stays per request, with the current timestamp).
                bodies = [
                    driver.click_body(
                        f"UV{i:05d}", message, "poll_vote", value=f"{poll_id}:{i % OPTIONS}"
                    )
                    for i in range(voters)
                ]
                rids = [botproc.response_rid(b) for b in bodies]
                semaphore = asyncio.Semaphore(concurrency if rate is None else voters)

                async def vote(i: int) -> None:
                    if rate is not None:
                        await asyncio.sleep(max(0.0, run.began + i / rate - time.perf_counter()))
                    async with semaphore:
                        run.sent_at[i] = time.perf_counter()
                        response = await driver.post(url, bodies[i], FORM)
                        run.acked_at[i] = time.perf_counter()
                        run.acked += response.status == 200

                cpu_before = cpu_seconds(proc.pid)
                run.began = time.perf_counter()
                await asyncio.gather(*(vote(i) for i in range(voters)))
                # Acks come before the work: wait for every confirmation.
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(120):
                        await slack.wait_replies(rids)
                replies = [slack.replied.get(r) for r in rids]
                run.confirmed_at = [r[0] for r in replies if r is not None]
                run.sent_at = [
                    s for s, r in zip(run.sent_at, replies, strict=True) if r is not None
                ]
                acked_at = [a for a, r in zip(run.acked_at, replies, strict=True) if r is not None]
                run.confirmed_ok = sum(1 for r in replies if r is not None and "You voted" in r[1])
                run.bot_cpu_s = cpu_seconds(proc.pid) - cpu_before
                await asyncio.sleep(2.5)  # the last coalesced update of the message
                async with db.session() as session:
                    run.stored = await poll_store.count_votes(session, poll_id=poll_id)
                    per_option, _ = await poll_store.counts(session, poll_id=poll_id)
                expected = Counter(i % OPTIONS for i in range(voters))
                run.tally_ok = per_option == dict(expected)
    finally:
        await db.dispose()
    run.acked_at = acked_at
    updates = [c for c in slack.calls_to("chat.update") if c.args.get("ts") == ts and c.ok]
    times = sorted(c.at for c in updates)
    run.updates = len(updates)
    run.updates_per_second = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0
    run.min_gap_s = min((b - a for a, b in itertools.pairwise(times)), default=0.0)
    final = slack.get_message(CHANNEL, ts) or {}
    run.final_shown = f"{voters} voters" in str(final.get("blocks"))
    return run


def report(
    runs: list[Run], floor_rate: float, single_rate: float, backend: str, args: argparse.Namespace
) -> None:
    print(
        f"Polls benchmark: {args.voters} distinct voters, one poll per run, {backend}, "
        f"bot over HTTP on loopback; burst: {args.concurrency} clicking at once; "
        f"steady: {args.rate:g} clicks/s"
    )
    print(
        f"floor, the bot's vote statements in a bare loop (no bot, no HTTP): "
        f"{floor_rate:.0f} votes/s in batches of {args.concurrency or 50}, "
        f"{single_rate:.0f} votes/s one transaction each"
    )
    print(
        f"{'run':<8}{'acks/s':>8}{'ack p99 ms':>12}{'votes/s':>9}{'vs floor':>10}"
        f"{'confirm p50 s':>15}{'p99 s':>8}{'last-ack s':>12}{'stored/sent':>13}"
        f"{'tally':>9}{'updates':>9}{'per s':>7}{'min gap':>9}{'bot CPU ms/vote':>17}"
    )
    for r in runs:
        # Paced clicks are processed at the pace they arrive: no ratio to the floor then.
        vs_floor = f"{r.processed_rate / floor_rate:.2f}x" if r.name == "burst" else "-"
        print(
            f"{r.name:<8}{r.ack_rate:>8.0f}{botproc.pct(r.ack_ms, 0.99):>12.1f}"
            f"{r.processed_rate:>9.0f}{vs_floor:>10}"
            f"{botproc.pct(r.confirm_s, 0.5):>15.3f}{botproc.pct(r.confirm_s, 0.99):>8.3f}"
            f"{r.last_confirmation_after_last_ack:>12.2f}{f'{r.stored}/{r.voters}':>13}"
            f"{'correct' if r.tally_ok and r.final_shown else 'WRONG':>9}{r.updates:>9}"
            f"{r.updates_per_second:>7.2f}{r.min_gap_s:>9.2f}"
            f"{r.bot_cpu_s * 1000 / r.voters:>17.2f}"
        )
    checks: list[tuple[str, bool, str]] = []
    by_name = {r.name: r for r in runs}
    if (steady := by_name.get("steady")) is not None:
        p99 = botproc.pct(steady.confirm_s, 0.99)
        checks.append(
            (
                f"steady: confirmation p99 under {TARGET_STEADY_P99_S:.0f} s",
                p99 < TARGET_STEADY_P99_S,
                f"{p99:.3f} s",
            )
        )
    if (burst := by_name.get("burst")) is not None:
        ratio = burst.processed_rate / burst.ack_rate if burst.ack_rate else 0.0
        checks.append(
            (
                f"burst: processed at least {TARGET_PROCESSED_TO_ACK}x the ack rate",
                ratio >= TARGET_PROCESSED_TO_ACK,
                f"{ratio:.2f}x ({burst.processed_rate:.0f} vs {burst.ack_rate:.0f}/s)",
            )
        )
        gap = burst.last_confirmation_after_last_ack
        checks.append(
            (
                f"burst: last confirmation within {TARGET_LAST_CONFIRMATION_S:.0f} s of last ack",
                gap <= TARGET_LAST_CONFIRMATION_S,
                f"{gap:.2f} s",
            )
        )
    for r in runs:
        checks.append(
            (
                f"{r.name}: zero lost, every voter confirmed",
                r.lost == 0 and r.confirmed_ok == r.voters,
                f"{r.stored} stored, {r.confirmed_ok} confirmed",
            )
        )
        checks.append(
            (
                f"{r.name}: correct final tally, in the database and the message",
                r.tally_ok and r.final_shown,
                "",
            )
        )
        checks.append(
            (
                f"{r.name}: at most ~1 chat.update a second",
                r.updates_per_second <= TARGET_UPDATES_PER_SECOND,
                f"{r.updates_per_second:.2f}/s, closest two {r.min_gap_s:.2f} s apart",
            )
        )
    botproc.print_targets(checks, 62)


async def main(args: argparse.Namespace) -> None:
    logging.basicConfig(level=logging.ERROR)
    backend = "PostgreSQL" if args.postgres else "SQLite"
    print(f"database: {backend}")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        batch = args.concurrency if args.concurrency > 0 else 50
        floor_rate = await floor(args.voters, batch, tmp, args.postgres)
        single_rate = await floor(args.voters, 1, tmp, args.postgres)
        runs: list[Run] = []
        async with botproc.TimedSlack() as slack:
            slack.add_user(CREATOR, "creator")
            voters = [f"UV{i:05d}" for i in range(args.voters)]
            for user in voters:
                slack.add_user(user, user.lower(), join_general=False)
            slack.add_channel(CHANNEL, "bench", [CREATOR, *voters])
            common = {
                "voters": args.voters,
                "concurrency": args.concurrency,
                "profile": args.profile,
            }
            if args.concurrency > 0:
                runs.append(await run_case("burst", slack, tmp, args.postgres, **common, rate=None))
            if args.rate > 0:
                runs.append(
                    await run_case("steady", slack, tmp, args.postgres, **common, rate=args.rate)
                )
    report(runs, floor_rate, single_rate, backend, args)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Votes on one poll, through the real bot over HTTP: acks, confirmations, "
        "the processed rate against the database's own floor, and the final tally.",
    )
    parser.add_argument("--voters", type=int, default=2000, help="distinct voters (2000)")
    parser.add_argument(
        "--concurrency",
        type=int,
        default=50,
        help="burst run: clicks in flight at once, as fast as they go (50; 0 skips the burst)",
    )
    parser.add_argument(
        "--rate",
        type=float,
        default=200.0,
        help="steady run: arrival rate in clicks a second (200; 0 skips the steady run)",
    )
    parser.add_argument(
        "--profile",
        metavar="PREFIX",
        default=None,
        help="profile the bot process's CPU time in each run (cProfile) into PREFIX.<run>.txt",
    )
    botproc.add_bot_options(parser)
    return parser.parse_args(argv)


if __name__ == "__main__":
    botproc.serve_or_run(parse_args(sys.argv[1:]), serve=serve, run=main)
