"""The community report for a big community: 2,000 members and a year of activity.

Run `python bench/report.py` from the project root (SQLite in a temporary directory), or
`python bench/report.py --postgres postgresql+asyncpg://…/db` (that database is emptied);
`--help` lists the options.

It seeds, straight into the tables the kinds write, a year (Dec 2025 – Nov 2026) of:
fortnightly coffee rounds for everyone (pairs, trios when odd) and monthly breakfast
groups of four for a fifth of the members, with check-ins; eight polls a month (one in
four anonymous) answered by about a third; four RSVP events a month; a discussion prompt
a week and 24 advent days with reactions and replies; book-club progress, talks, wins
and thanks. Then it computes the November 2026 report (what `/community report` and the
monthly report do: every query plus the figures) `--runs` times, and as the baseline it
times a bare scan that reads the same tables' rows as they are (no grouping, no figures).
It prints the rows seeded, the best and median times, and report / scan.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script

from sqlalchemy import insert, select, text

from activities.report import periods, use_cases
from storage.db import Database
from storage.engagement import Engagement
from storage.kinds.bookclub.models import BookMilestone, BookProgress, BookRound
from storage.kinds.coffee.models import (
    CoffeeCheckin,
    CoffeeGroup,
    CoffeeRound,
)
from storage.kinds.poll.models import Poll, PollVote
from storage.kinds.talks.models import Talk
from storage.migrate import migrate
from storage.models import (
    Activity,
    OutboxMessage,
    Rsvp,
    RsvpEvent,
    Run,
    Thanks,
    Win,
)

TEAM = "TBENCH"
CHANNEL = "CBENCH"
FIRST = datetime(2025, 12, 1, tzinfo=UTC)
MONTHS = 12
TODAY = date(2026, 12, 2)
TARGET_S = 2.0  # the report for 2,000 members and a year, on this machine


def monthly(times: int, every: timedelta, offset: timedelta) -> Iterator[tuple[int, int, datetime]]:
    """(month index, n, when) for `times` dates a month, `every` apart after `offset`."""
    for month in range(MONTHS):
        start = periods.month_start(periods.shift("2025-12", month))
        for n in range(times):
            yield month, n, start + offset + every * n


def table(model: Any) -> Any:
    return model.__table__


class Seeder:
    def __init__(self, db: Database, members: int, seed: int) -> None:
        self.db = db
        self.rng = random.Random(seed)
        self.people = [f"U{n:05d}" for n in range(members)]
        self.counts: dict[str, int] = {}
        self.ids: dict[str, int] = {}

    def next_id(self, name: str) -> int:
        self.ids[name] = self.ids.get(name, 0) + 1
        return self.ids[name]

    async def put(self, session: Any, model: Any, rows: list[dict[str, Any]]) -> None:
        for start in range(0, len(rows), 5000):
            await session.execute(insert(table(model)), rows[start : start + 5000])
        self.counts[model.__name__] = self.counts.get(model.__name__, 0) + len(rows)

    def some(self, share: float) -> list[str]:
        return [p for p in self.people if self.rng.random() < share]

    async def seed(self) -> None:
        async with self.db.session() as s:
            activities = []
            for kind in ("coffee", "breakfast", "bookclub", "talks", "advent", "discussion"):
                self.ids["activity"] = self.ids.get("activity", 0) + 1
                activities.append(
                    {
                        "id": self.ids["activity"],
                        "team_id": TEAM,
                        "kind": kind,
                        "channel_id": CHANNEL,
                        "title": kind,
                        "state": "finished",
                        "config": {},
                    }
                )
            await self.put(s, Activity, activities)
            await self.pairings(s)
            await self.polls(s)
            await self.events(s)
            await self.posts(s)
            await self.recognition(s)
            await self.books_and_talks(s)
            await s.commit()

    async def pairings(self, s: Any) -> None:
        runs, rounds, groups, checkins = [], [], [], []
        plans = [
            (1, "coffee", timedelta(weeks=2), 26, 2, 1.0),
            (2, "breakfast", timedelta(weeks=4), 12, 4, 0.2),
        ]
        for activity_id, _kind, every, count, size, share in plans:
            for n in range(count):
                when = FIRST + every * n + timedelta(hours=9)
                run_id, round_id = self.next_id("run"), self.next_id("round")
                runs.append(
                    {
                        "id": run_id,
                        "team_id": TEAM,
                        "activity_id": activity_id,
                        "scheduled_for": when,
                        "started_at": when,
                        "late": False,
                        "manual": False,
                    }
                )
                rounds.append(
                    {
                        "id": round_id,
                        "team_id": TEAM,
                        "activity_id": activity_id,
                        "run_id": run_id,
                        "status": "started",
                        "started_at": when,
                        "created_at": when,
                        "skipped_reason": "",
                        "participant_count": 0,
                        "group_count": 0,
                    }
                )
                people = self.some(share)
                self.rng.shuffle(people)
                for start in range(0, len(people) - size + 1, size):
                    members = people[start : start + size]
                    group_id = self.next_id("group")
                    groups.append(
                        {
                            "id": group_id,
                            "team_id": TEAM,
                            "round_id": round_id,
                            "members": members,
                            "icebreaker": "",
                            "dm_channel_id": "",
                            "intro_ts": "",
                        }
                    )
                    if self.rng.random() < 0.7:
                        answer = "met" if self.rng.random() < 0.8 else "not_yet"
                        checkins.append(
                            {
                                "team_id": TEAM,
                                "group_id": group_id,
                                "user_id": members[0],
                                "answer": answer,
                                "at": when + timedelta(days=3),
                            }
                        )
        await self.put(s, Run, runs)
        await self.put(s, CoffeeRound, rounds)
        await self.put(s, CoffeeGroup, groups)
        await self.put(s, CoffeeCheckin, checkins)

    async def polls(self, s: Any) -> None:
        polls, votes = [], []
        for _month, n, when in monthly(8, timedelta(days=3), timedelta(days=1)):
            poll_id = self.next_id("poll")
            anonymous = n % 4 == 0
            polls.append(
                {
                    "id": poll_id,
                    "team_id": TEAM,
                    "channel_id": CHANNEL,
                    "creator_id": self.people[0],
                    "question": "?",
                    "kind": "choice",
                    "max_choices": 1,
                    "anonymous": anonymous,
                    "hide_results": False,
                    "options": ["a", "b", "c"],
                    "created_at": when,
                    "closed_at": when + timedelta(days=2),
                }
            )
            for user in self.some(0.33):
                key = f"h{poll_id}{user}" if anonymous else user
                votes.append(
                    {
                        "team_id": TEAM,
                        "poll_id": poll_id,
                        "voter_key": key,
                        "slot": 0,
                        "option_index": self.rng.randrange(3),
                        "voted_at": when + timedelta(hours=3),
                    }
                )
        await self.put(s, Poll, polls)
        await self.put(s, PollVote, votes)

    async def events(self, s: Any) -> None:
        events, answers = [], []
        for month, n, when in monthly(4, timedelta(days=7), timedelta(days=2, hours=17)):
            key = f"event:{month}:{n}"
            events.append(
                {
                    "team_id": TEAM,
                    "event_key": key,
                    "title": key,
                    "channel_id": CHANNEL,
                    "starts_at": when,
                    "message_intent": "",
                    "message_key": "",
                    "message_payload": {},
                    "created_at": when,
                }
            )
            for user in self.some(0.05):
                answers.append(
                    {
                        "team_id": TEAM,
                        "event_key": key,
                        "user_id": user,
                        "answer": self.rng.choice(["going", "maybe", "cant"]),
                        "updated_at": when - timedelta(days=2),
                    }
                )
        await self.put(s, RsvpEvent, events)
        await self.put(s, Rsvp, answers)

    async def posts(self, s: Any) -> None:
        sent, engagement = [], []
        days = [("advent.day", FIRST + timedelta(days=d, hours=9)) for d in range(24)]
        days += [("discussion.prompt", FIRST + timedelta(weeks=w, hours=12)) for w in range(52)]
        for n, (intent, when) in enumerate(days):
            ts = f"{int(when.timestamp())}.{n:06d}"
            sent.append(
                {
                    "team_id": TEAM,
                    "intent": intent,
                    "payload": {},
                    "dedupe_key": f"bench:{n}",
                    "status": "sent",
                    "channel_id": CHANNEL,
                    "ts": ts,
                    "created_at": when,
                    "sent_at": when,
                    "next_attempt_at": when,
                }
            )
            for user in self.some(0.06):
                kind = "reaction" if self.rng.random() < 0.7 else "reply"
                engagement.append(
                    {
                        "team_id": TEAM,
                        "channel_id": CHANNEL,
                        "message_ts": ts,
                        "user_id": user,
                        "kind": kind,
                        "detail": f"{user}{n}",
                        "present": True,
                        "event_ts": ts,
                        "updated_at": when + timedelta(hours=2),
                    }
                )
        await self.put(s, OutboxMessage, sent)
        await self.put(s, Engagement, engagement)

    async def recognition(self, s: Any) -> None:
        wins, thanks = [], []
        for day in range(365):
            when = FIRST + timedelta(days=day, hours=14)
            if day % 2 == 0:
                wins.append(
                    {
                        "team_id": TEAM,
                        "author_id": self.rng.choice(self.people),
                        "text": "a win",
                        "credited": self.rng.sample(self.people, 3),
                        "created_at": when,
                    }
                )
            for _ in range(7):
                giver, receiver = self.rng.sample(self.people, 2)
                thanks.append(
                    {
                        "team_id": TEAM,
                        "giver_id": giver,
                        "receiver_id": receiver,
                        "reason": "for help",
                        "public": False,
                        "channel_id": "",
                        "created_at": when,
                    }
                )
        await self.put(s, Win, wins)
        await self.put(s, Thanks, thanks)

    async def books_and_talks(self, s: Any) -> None:
        rounds, milestones, progress, talks = [], [], [], []
        for month in range(MONTHS):
            start = periods.month_start(periods.shift("2025-12", month))
            round_id, milestone_id = self.next_id("bookround"), self.next_id("milestone")
            rounds.append(
                {
                    "id": round_id,
                    "team_id": TEAM,
                    "activity_id": 3,
                    "proposal_ids": [],
                    "sections": ["all"],
                    "opened_at": start,
                    "finished_count": 0,
                }
            )
            milestones.append(
                {
                    "id": milestone_id,
                    "team_id": TEAM,
                    "round_id": round_id,
                    "position": 0,
                    "section": "all",
                    "due_at": start,
                }
            )
            for user in self.some(0.02):
                progress.append(
                    {
                        "team_id": TEAM,
                        "round_id": round_id,
                        "milestone_id": milestone_id,
                        "user_id": user,
                        "answer": self.rng.choice(["on_track", "finished"]),
                        "updated_at": start + timedelta(days=20),
                    }
                )
            for n in range(2):
                talks.append(
                    {
                        "team_id": TEAM,
                        "activity_id": 4,
                        "speaker_id": self.rng.choice(self.people),
                        "title": f"t{month}{n}",
                        "title_key": f"t{month}{n}",
                        "status": "given",
                        "slot_at": start + timedelta(days=10 + n),
                        "created_at": start,
                    }
                )
        await self.put(s, BookRound, rounds)
        await self.put(s, BookMilestone, milestones)
        await self.put(s, BookProgress, progress)
        await self.put(s, Talk, talks)


async def report_once(db: Database, members: list[str]) -> Any:
    period = periods.parse("month", today=TODAY)
    async with db.session() as session:
        return await use_cases.compute(
            session, team_id=TEAM, period=period, channel_id=None, members=members
        )


SCANNED = (
    PollVote,
    Poll,
    Rsvp,
    RsvpEvent,
    Engagement,
    Thanks,
    Win,
    BookProgress,
    Talk,
    CoffeeGroup,
    CoffeeRound,
    CoffeeCheckin,
)


async def scan_once(db: Database) -> int:
    """The baseline: every row of the tables the report reads, as stored, no SQL work."""
    rows = 0
    async with db.session() as session:
        for model in SCANNED:
            result = await session.execute(select(table(model)))
            rows += len(result.all())
    return rows


async def timed(runs: int, work: Callable[[], Awaitable[Any]]) -> list[float]:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        await work()
        times.append(time.perf_counter() - began)
    return times


async def fresh(tmp: Path, postgres: str | None) -> Database:
    if postgres is None:
        return Database(f"sqlite+aiosqlite:///{tmp / 'report.db'}")
    db = Database(postgres)
    async with db.engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await db.dispose()
    return Database(postgres)


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = await fresh(Path(tmp), args.postgres)
        try:
            await migrate(db)
            seeder = Seeder(db, args.members, args.seed)
            began = time.perf_counter()
            await seeder.seed()
            seeded = time.perf_counter() - began
            backend = "PostgreSQL" if args.postgres else "SQLite"
            total = sum(seeder.counts.values())
            print(
                f"benchmark: community report, {args.members} members, {MONTHS} months, {backend}"
            )
            print(
                f"seeded {total:,} rows in {seeded:.1f} s: "
                + ", ".join(f"{name} {n:,}" for name, n in sorted(seeder.counts.items()))
            )
            report = await report_once(db, seeder.people)  # warm: connections, statements
            scanned = await scan_once(db)
            times = await timed(args.runs, lambda: report_once(db, seeder.people))
            scans = await timed(args.runs, lambda: scan_once(db))
            people = report.participation[0]
            print(
                f"report {report.label}: {people.shown(people.current)} members took part "
                f"({people.shown(people.previous)} in {report.previous_label}), "
                f"{len(report.sections)} activities"
            )
            print(
                f"report:   best {min(times):.3f} s, median {statistics.median(times):.3f} s "
                f"({args.runs} runs)"
            )
            print(
                f"baseline: best {min(scans):.3f} s, median {statistics.median(scans):.3f} s "
                f"(a bare scan of the {scanned:,} rows the report reads)"
            )
            ratio = min(times) / min(scans)
            print(f"ratio report / scan: {ratio:.2f}")
            met = "met" if min(times) <= TARGET_S else "NOT met"
            print(f"target: the report in under {TARGET_S:.0f} s — {met}")
        finally:
            await db.dispose()


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Time the community report for a big community against a bare scan."
    )
    options = (
        ("--members", int, 2000, "community size (2000)"),
        ("--runs", int, 5, "timed runs of the report and of the scan (5)"),
        ("--seed", int, 2026, "random seed of the seeded community (2026)"),
    )
    for flag, kind, default, what in options:
        parser.add_argument(flag, type=kind, default=default, help=what)
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="run against this PostgreSQL database instead of a SQLite file; its public "
        "schema is dropped and rebuilt first",
    )
    return parser.parse_args(argv)


if __name__ == "__main__":
    asyncio.run(main(parse_args(sys.argv[1:])))
