"""Head-of-line blocking: polls and votes while a coffee fan-out is going out.

Run `python bench/fanout.py` from the project root (SQLite in a temporary directory), or
`python bench/fanout.py --postgres postgresql+asyncpg://…/db` (that database is emptied);
`--help` lists the options.

The real bot runs in its own process with the real scheduler and courier, its rate
limiter at `--scale` times Slack's rate tiers, against the local fake Slack in this
process. A coffee round pairs `--groups` × 2 members: one group DM (conversations.open,
then chat.postMessage) per group. While it goes out, starting `--after` seconds in,
someone sends `/poll` every `--every` seconds (`--polls` of them), and someone else votes
on each poll as soon as it is posted. Each is timed from its request to the fake Slack:

- poll posted: the /poll sent, to the poll's chat.postMessage arriving;
- ts recorded: the poll's post reaching Slack, to the bot recording its ts (the vote is
  clicked then: a click on a message whose ts the bot has not recorded yet is refused);
- vote confirmed: the click sent, to the voter's ephemeral reply (its response URL);
- poll redrawn: the click sent, to the poll message's chat.update showing the vote;
- with `--close`, results DM: its creator closes the poll, to the results reaching them
  by DM. A DM needs conversations.open, the method the fan-out waits on: it takes turns
  with the intros, and the fan-out's floor counts those opens too.

Baselines, in the same run: the same polls and votes on the idle bot, before the fan-out;
and the floor the rate tiers allow the fan-out: for each method it called, the calls
beyond a bucket's minute of burst, at the tier's pace (500 groups at 5×: 250 group DMs
opened at once, 250 more at 250 a minute, 60 s). The fan-out's time runs from its first
call to its last intro posted.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlmodel import select

SCRIPT = Path(__file__).resolve()
sys.path.insert(0, str(SCRIPT.parent.parent))  # run as a script from anywhere

import botproc  # noqa: E402

from activities.actor import Actor  # noqa: E402
from activities.clock import SystemClock  # noqa: E402
from activities.kinds.coffee import use_cases as coffee  # noqa: E402
from bot.app import Runtime  # noqa: E402
from bot.ratelimit import METHOD_TIER, TIER_PER_MINUTE, RateLimiter  # noqa: E402
from bot.sandbox import SlackDriver  # noqa: E402
from bot.sandbox.driver import FORM  # noqa: E402
from bot.sandbox.server import Call  # noqa: E402
from bot.settings import load_settings  # noqa: E402
from storage import outbox  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.models import Activity  # noqa: E402

ADMIN = "UADMIN"
COFFEE = "C0COFFEE"
POLLS = "C0POLLS"
SECRET = "fanout-bench-secret"
TARGET_P99_S = 2.0
TARGET_FLOOR_RATIO = 1.02
FAN_OUT_TIMEOUT_S = 900.0
# The methods of the fan-out: a group DM opened, the intro posted in it.
FAN_OUT_METHODS = ("conversations.open", "chat.postMessage")


@dataclass
class Traffic:
    """The polls and votes of one phase, each timed from its request to Slack."""

    name: str
    posted_s: list[float] = field(default_factory=list)
    confirmed_s: list[float] = field(default_factory=list)
    redrawn_s: list[float] = field(default_factory=list)
    recorded_s: list[float] = field(default_factory=list)
    results_s: list[float] = field(default_factory=list)
    missing: int = 0
    refused: list[str] = field(default_factory=list)  # what a vote was told instead


@dataclass
class FanOut:
    groups: int
    intros: int = 0
    seconds: float = float("nan")
    floor_s: float = float("nan")
    calls: Counter[str] = field(default_factory=Counter)


def bot_env(api_url: str, database_url: str) -> dict[str, str]:
    return botproc.bot_env(
        "xoxb-fanout-bench",
        SECRET,
        api_url,
        database_url,
        ADMIN_USER_IDS=ADMIN,
        SCHEDULER_TICK_SECONDS="1",
        MONTHLY_REPORT="off",
    )


async def serve(args: argparse.Namespace) -> None:
    """The bot process: the real Runtime and scheduler, its limiter at `--scale`."""
    logging.basicConfig(level=logging.ERROR)
    settings = load_settings(dict(os.environ), env_file=None)
    runtime = Runtime(settings, clock=SystemClock(), limiter=RateLimiter(scale=args.scale))
    async with botproc.serving(runtime, args.serve) as stop:
        await stop.wait()


async def until(check: Any, limit: float) -> bool:
    deadline = time.monotonic() + limit
    while not check():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.01)
    return True


def poll_post(slack: botproc.TimedSlack, question: str) -> Call | None:
    for call in slack.calls_to("chat.postMessage"):
        if call.ok and call.args.get("channel") == POLLS and question in str(call.args):
            return call
    return None


async def until_recorded(db: Database, dedupe_key: str, limit: float) -> bool:
    """Until the outbox row `dedupe_key` has the ts Slack answered."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        async with db.session() as session:
            row = await outbox.get_by_key(session, dedupe_key=dedupe_key)
        if row is not None and row.ts:
            return True
        await asyncio.sleep(0.01)
    return False


async def one_poll(
    slack: botproc.TimedSlack,
    driver: SlackDriver,
    db: Database,
    traffic: Traffic,
    k: int,
    voter: str,
    *,
    close: bool,
) -> None:
    """A /poll, then a vote on it once it is posted (then, with `close`, its close)."""
    question = f"{traffic.name} question {k}"
    sent = time.time()
    response = await driver.command(ADMIN, "/poll", f'"{question}" "Yes" "No"', channel_id=POLLS)
    assert response.status == 200, response.body
    if not await until(lambda: poll_post(slack, question) is not None, 300):
        traffic.missing += 2
        return
    post = poll_post(slack, question)
    assert post is not None and post.response is not None
    traffic.posted_s.append(post.at - sent)
    message = slack.get_message(POLLS, str(post.response["ts"]))
    assert message is not None
    # Clicked once the bot has recorded the message's ts, as a person reading the poll
    # would: a click that comes first is refused (not this poll's message, as far as the
    # bot knows yet). The wait, from the post reaching Slack, is shown.
    poll_id = poll_id_of(message)
    if not await until_recorded(db, f"poll:{poll_id}:post", 300):
        traffic.missing += 1
        return
    traffic.recorded_s.append(time.time() - post.at)
    body = driver.click_body(voter, message, "poll_vote")
    rid = botproc.response_rid(body)
    clicked = time.time()
    click = await driver.post(driver.interactivity_url, body, FORM)
    assert click.status == 200, click.body

    def confirmed() -> float | None:
        at, said = slack.replied.get(rid, (0.0, ""))
        return at if "You voted" in said else None

    def redrawn() -> float | None:
        for call in slack.calls_to("chat.update"):
            if call.ok and call.args.get("ts") == message["ts"] and "1 voter" in str(call.args):
                return call.at
        return None

    if await until(lambda: rid in slack.replied, 300) and confirmed() is not None:
        traffic.confirmed_s.append((confirmed() or 0.0) - clicked)
    else:
        traffic.missing += 1
        traffic.refused.append(slack.replied.get(rid, (0.0, "no answer"))[1])
        return
    if await until(lambda: redrawn() is not None, 300):
        traffic.redrawn_s.append((redrawn() or 0.0) - clicked)
    if not close:
        return
    closed = time.time()
    click = await driver.click(ADMIN, message, "poll_menu", value=f"close:{poll_id}")
    assert click.status == 200, click.body
    if await until(lambda: results_dm(slack, question) is not None, 300):
        traffic.results_s.append((results_dm(slack, question) or 0.0) - closed)
    else:
        traffic.missing += 1


def poll_id_of(message: dict[str, Any]) -> str:
    """The poll's id, from the value of its first vote button."""
    for block in message.get("blocks") or []:
        for element in block.get("elements") or [block.get("accessory") or {}]:
            if element.get("action_id") == "poll_vote":
                return str(element["value"]).split(":", 1)[0]
    raise RuntimeError("no vote button on the poll message")


def results_dm(slack: botproc.TimedSlack, question: str) -> float | None:
    for call in slack.calls_to("chat.postMessage"):
        to_dm = call.ok and str(call.args.get("channel", "")).startswith("D")
        if to_dm and f"Poll closed: {question}" in str(call.args.get("text", "")):
            return call.at
    return None


async def traffic_phase(
    slack: botproc.TimedSlack,
    driver: SlackDriver,
    db: Database,
    name: str,
    args: argparse.Namespace,
) -> Traffic:
    """`--polls` polls, one every `--every` seconds, each voted on once posted."""
    traffic = Traffic(name)
    began = time.monotonic()

    async def paced(k: int) -> None:
        await asyncio.sleep(max(0.0, began + k * args.every - time.monotonic()))
        await one_poll(slack, driver, db, traffic, k, f"UV{k:03d}", close=args.close)

    await asyncio.gather(*(paced(k) for k in range(args.polls)))
    return traffic


def intro_posts(slack: botproc.TimedSlack) -> list[Call]:
    return [
        c
        for c in slack.calls_to("chat.postMessage")
        if c.ok and str(c.args.get("channel", "")).startswith("G")
    ]


def said_text(response: Any) -> str:
    """The ephemeral text a command answered with."""
    assert response.status == 200, (response.status, response.body)
    body = response.json if isinstance(response.json, dict) else {}
    return str(body.get("text", response.body))


def floor_seconds(calls: Counter[str], scale: float) -> float:
    """The least time the rate tiers allow these calls: per method, the calls beyond a
    full bucket (a minute's worth) at the tier's pace; the slowest method sets it."""
    worst = 0.0
    for method, count in calls.items():
        per_minute = TIER_PER_MINUTE[METHOD_TIER.get(method, "t3")] * scale
        worst = max(worst, max(0.0, count - per_minute) / (per_minute / 60.0))
    return worst


async def reachable_around_the_clock(db: Database, people: list[str]) -> None:
    """The bot runs on the wall clock: these people chose to take DMs at any hour, so no
    intro (or results DM) waits for their quiet hours, whenever the bench runs."""
    async with db.session() as session:
        activity = (await session.exec(select(Activity))).one()
        for user in people:
            actor = Actor(team_id=activity.team_id, user_id=user, now=datetime.now(UTC))
            await coffee.set_hours(session, actor, hours=(0, 24), days=frozenset(range(7)))


async def fan_out_phase(
    slack: botproc.TimedSlack, driver: SlackDriver, db: Database, args: argparse.Namespace
) -> tuple[FanOut, Traffic]:
    fan = FanOut(args.groups)
    said = said_text(await driver.command(ADMIN, "/community", "run 1"))
    assert "Running" in said, said
    before = len(slack.calls)

    def opened() -> list[Call]:
        return [c for c in slack.calls[before:] if c.method == "conversations.open"]

    if not await until(lambda: bool(opened()), 120):
        raise RuntimeError("the fan-out never started")
    first = opened()[0].at
    await asyncio.sleep(max(0.0, first + args.after - time.time()))
    traffic = await traffic_phase(slack, driver, db, "fan-out", args)
    await until(lambda: len(intro_posts(slack)) >= args.groups, FAN_OUT_TIMEOUT_S)
    intros = intro_posts(slack)
    fan.intros = len(intros)
    if intros:
        last = max(c.at for c in intros)
        fan.seconds = last - first
        window = [c for c in slack.calls[before:] if first <= c.at <= last]
        fan.calls = Counter(c.method for c in window if c.method in FAN_OUT_METHODS)
        fan.floor_s = floor_seconds(fan.calls, args.scale)
    return fan, traffic


def line(name: str, values: list[float], base: list[float]) -> str:
    p50, p99, bp99 = botproc.pct(values, 0.5), botproc.pct(values, 0.99), botproc.pct(base, 0.99)
    ratio = f"{p99 / bp99:.1f}x" if bp99 > 0 else "-"
    return (
        f"  {name:<16}{len(values):>4}{p50:>10.3f}{p99:>10.3f}{max(values, default=0):>10.3f}"
        f"{bp99:>14.3f}{ratio:>10}"
    )


def report(
    idle: Traffic, busy: Traffic, fan: FanOut, backend: str, args: argparse.Namespace
) -> None:
    print(
        f"Fan-out benchmark: {backend}, rate tiers at {args.scale:g}x, coffee round of "
        f"{args.groups} group DMs; {args.polls} /polls (one every {args.every:g} s from "
        f"{args.after:g} s in), each voted on once posted"
        + (", then closed by its creator" if args.close else "")
    )
    ratio = fan.seconds / fan.floor_s if fan.floor_s > 0 else float("nan")
    calls = ", ".join(f"{n} {m}" for m, n in sorted(fan.calls.items()))
    print(
        f"fan-out: {fan.intros}/{fan.groups} intros in {fan.seconds:.1f} s; floor the rate "
        f"tiers allow {fan.floor_s:.1f} s ({calls}); ratio {ratio:.3f}x"
    )
    print(
        f"  {'seconds':<16}{'n':>4}{'p50':>10}{'p99':>10}{'max':>10}{'idle p99':>14}{'vs idle':>10}"
    )
    print(line("poll posted", busy.posted_s, idle.posted_s))
    print(line("ts recorded", busy.recorded_s, idle.recorded_s))
    print(line("vote confirmed", busy.confirmed_s, idle.confirmed_s))
    print(line("poll redrawn", busy.redrawn_s, idle.redrawn_s))
    if args.close:
        print(line("results DM", busy.results_s, idle.results_s))
    checks = [
        (
            f"fan-out within {TARGET_FLOOR_RATIO}x its floor",
            ratio <= TARGET_FLOOR_RATIO and fan.intros == fan.groups,
            f"{ratio:.3f}x",
        ),
        (
            f"polls posted within {TARGET_P99_S:.0f} s (p99) during the fan-out",
            botproc.pct(busy.posted_s, 0.99) <= TARGET_P99_S and len(busy.posted_s) == args.polls,
            f"{botproc.pct(busy.posted_s, 0.99):.3f} s",
        ),
        (
            f"votes confirmed within {TARGET_P99_S:.0f} s (p99) during the fan-out",
            botproc.pct(busy.confirmed_s, 0.99) <= TARGET_P99_S
            and len(busy.confirmed_s) == args.polls,
            f"{botproc.pct(busy.confirmed_s, 0.99):.3f} s",
        ),
        ("nothing missing", idle.missing + busy.missing == 0, f"{idle.missing + busy.missing}"),
    ]
    for said in idle.refused + busy.refused:
        print(f"  a vote was answered: {said[:100]!r}")
    botproc.print_targets(checks, 58)


async def main(args: argparse.Namespace) -> None:
    logging.basicConfig(level=logging.ERROR)
    backend = "PostgreSQL" if args.postgres else "SQLite"
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        database_url = await botproc.fresh_database(tmp, "fanout", args.postgres)
        async with botproc.TimedSlack(clock=time.time) as slack:
            slack.add_user(ADMIN, "admin")
            members = [f"UM{i:04d}" for i in range(2 * args.groups)]
            for user in members:
                slack.add_user(user, user.lower(), tz="UTC", join_general=False)
            slack.add_channel(COFFEE, "coffee", members)
            voters = [f"UV{k:03d}" for k in range(args.polls)]
            for user in voters:
                slack.add_user(user, user.lower(), tz="UTC", join_general=False)
            slack.add_channel(POLLS, "polls", [ADMIN, *voters])
            env = bot_env(slack.api_url, database_url)
            serve_args = ["--scale", str(args.scale)]
            db = Database(database_url)
            try:
                async with botproc.bot_process(SCRIPT, tmp / "port", serve_args, env) as (_, port):
                    url = f"http://127.0.0.1:{port}/slack/events"
                    async with SlackDriver(url, SECRET, slack=slack) as driver:
                        said = f"new coffee <#{COFFEE}|coffee>"
                        said = said_text(await driver.command(ADMIN, "/community", said))
                        assert "✅" in said, said
                        members = [ADMIN, *slack.channel_members(COFFEE)]
                        await reachable_around_the_clock(db, members)
                        idle = await traffic_phase(slack, driver, db, "idle", args)
                        fan, busy = await fan_out_phase(slack, driver, db, args)
            finally:
                await db.dispose()
    report(idle, busy, fan, backend, args)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="A coffee fan-out through the real bot, with polls and votes sent "
        "meanwhile: how soon those are posted, and the fan-out against the floor its "
        "rate tiers allow.",
    )
    parser.add_argument("--groups", type=int, default=500, help="group DMs in the fan-out (500)")
    parser.add_argument(
        "--polls", type=int, default=20, help="polls sent during the fan-out, one vote each (20)"
    )
    parser.add_argument("--every", type=float, default=1.0, help="seconds between two polls (1)")
    parser.add_argument(
        "--after",
        type=float,
        default=5.0,
        help="seconds into the fan-out the first poll is sent (5)",
    )
    parser.add_argument(
        "--close",
        action="store_true",
        help="then each poll's creator closes it: its results go by DM, through "
        "conversations.open, the method the fan-out waits on",
    )
    parser.add_argument(
        "--scale", type=float, default=5.0, help="rate tiers at this many times Slack's (5)"
    )
    botproc.add_bot_options(parser)
    return parser.parse_args(argv)


if __name__ == "__main__":
    botproc.serve_or_run(parse_args(sys.argv[1:]), serve=serve, run=main)
