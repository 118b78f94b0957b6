"""Pairing benchmark: Convene's matcher against a random shuffle.

Run from the repository root:  python bench/pairing.py

A seeded community (8 teams, none above half; 8 IANA time zones; team-biased
Slack channels) meets weekly for 52 rounds with 5% churn each week (5% leave,
as many new people join).  Both strategies see the same community week by week
and keep their own history.  The shuffle baseline is what a naive bot does:
shuffle, chunk into pairs, a trio when the count is odd.

Then the limits: a stable group (no churn, one time zone, so everyone can
meet everyone) plays rounds until the first repeat, for pairs at every N
from 2 to 200, groups of three at 15 and 27 (Kirkman) and groups of four at
32 (the social golfer 8-4-10); the first round of groups of four at 200 and
2,000 members counts same-team pairs against the lower bound (each team
spread as evenly as the number of groups allows); and one round at 10,000
members is timed.  Each figure is printed against its known limit.

Not a test: it prints tables and the targets with whether they are met.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from itertools import combinations
from math import comb
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a plain script

from activities.matching import (
    History,
    MatchRequest,
    Participant,
    group_sizes,
    match,
    same_team_bound,
    suggest_slot,
)
from activities.matching.designs import CircleDesign

ROUNDS = 52
CHURN = 0.05
SIZES = (50, 300, 2_000)
BIG = 10_000
SEED = 2024
START = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)  # a Monday; weekly rounds cross both DST changes

# Realistic spread, heaviest in US/Europe.
ZONES = {
    "America/Los_Angeles": 0.14,
    "America/New_York": 0.20,
    "Europe/London": 0.16,
    "Europe/Berlin": 0.18,
    "Asia/Kolkata": 0.12,
    "Asia/Singapore": 0.08,
    "Asia/Tokyo": 0.06,
    "Australia/Sydney": 0.06,
}
TEAMS = {
    "Engineering": 0.30,
    "Data": 0.14,
    "Product": 0.12,
    "Design": 0.10,
    "Sales": 0.10,
    "Marketing": 0.09,
    "Support": 0.08,
    "People": 0.07,
}
HOURS = {(9, 17): 0.7, (8, 16): 0.15, (10, 18): 0.15}

TARGET_NO_REPEAT_ROUNDS = 45
TARGET_NO_REPEAT_SIZE = 300
TARGET_CROSS_TEAM = 0.95
TARGET_BIG_SECONDS = 0.5
STATIC_PAIRS_UP_TO = 200
ODD_SAMPLE = (3, 5, 7, 9, 11, 21, 31, 51, 63, 65, 101, 151, 199)  # odd N have no N-1 limit
TEAM_ORDER_SAMPLE = (10, 20, 50, 64, 66, 100, 200)
# (members, group size, best known repeat-free rounds, where that limit comes from)
STATIC_GROUPS = (
    (9, 3, 4, "(n-1)/2, AG(2,3)"),
    (15, 3, 7, "(n-1)/2, Kirkman's schoolgirls"),
    (27, 3, 13, "(n-1)/2, Kirkman triple system"),
    (81, 3, 40, "(n-1)/2, AG(4,3)"),
    (16, 4, 5, "(n-1)/3, AG(2,4)"),
    (32, 4, 10, "best known social golfer 8-4-10"),
    (64, 4, 21, "(n-1)/3, AG(3,4)"),
)
TEAM_SIZES = (200, 2_000)
TARGET_TEAM_RATIO = 1.1

Groups = list[tuple[str, ...]]
Strategy = Callable[[list[Participant], History, int, datetime], Groups]


# --- community ------------------------------------------------------------------


def pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class Community:
    """Seeded members; churn() swaps 5% of them for newcomers."""

    def __init__(self, size: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.next_id = 0
        self.members = [self.newcomer() for _ in range(size)]

    def newcomer(self) -> Participant:
        rng = self.rng
        team = pick(rng, TEAMS)
        team_channels = [f"{team.lower()}-{k}" for k in range(4)]
        channels = {
            rng.choice(team_channels) if rng.random() < 0.6 else f"topic-{rng.randrange(40)}"
            for _ in range(rng.randint(3, 8))
        }
        self.next_id += 1
        return Participant(
            user_id=f"U{self.next_id:06d}",
            team=team,
            timezone=pick(rng, ZONES),
            channels=frozenset(channels),
            working_hours=rng.choices(list(HOURS), weights=list(HOURS.values()))[0],
        )

    def churn(self) -> None:
        leaving = round(CHURN * len(self.members))
        self.rng.shuffle(self.members)
        self.members = self.members[leaving:] + [self.newcomer() for _ in range(leaving)]


def timeline(size: int, seed: int) -> list[list[Participant]]:
    """Who takes part in each of the ROUNDS weeks (identical for both strategies)."""
    community = Community(size, seed)
    weeks = []
    for _ in range(ROUNDS):
        weeks.append(sorted(community.members, key=lambda p: p.user_id))
        community.churn()
    return weeks


# --- strategies -----------------------------------------------------------------


def convene(members: list[Participant], history: History, seed: int, now: datetime) -> Groups:
    return match(MatchRequest(members, history=history, seed=seed, now_utc=now)).member_groups


def shuffle(members: list[Participant], history: History, seed: int, now: datetime) -> Groups:
    ids = [p.user_id for p in members]
    random.Random(seed).shuffle(ids)
    return chunks(ids, 2)


# --- measurement ----------------------------------------------------------------


@dataclass
class Stats:
    repeats: list[int] = field(default_factory=list)
    groups: int = 0
    cross_team: int = 0
    schedulable: int = 0
    seconds: list[float] = field(default_factory=list)

    @property
    def first_repeat(self) -> str:
        return next((str(k + 1) for k, count in enumerate(self.repeats) if count), "none")

    def clean_rounds(self) -> int:
        return next((k for k, count in enumerate(self.repeats) if count), len(self.repeats))


def peak_team_share(weeks: list[list[Participant]]) -> float:
    """Largest share any one team reaches in any week (churn makes it drift)."""
    return max(max(Counter(p.team for p in week).values()) / len(week) for week in weeks)


def simulate(weeks: list[list[Participant]], strategy: Strategy) -> Stats:
    stats = Stats()
    history = History()
    for week, members in enumerate(weeks):
        by_id = {p.user_id: p for p in members}
        now = START + timedelta(weeks=week)
        began = time.perf_counter()
        groups = strategy(members, history, SEED + week, now)
        stats.seconds.append(time.perf_counter() - began)
        stats.repeats.append(
            sum(1 for g in groups for a, b in combinations(g, 2) if history.has_met(a, b))
        )
        for group in groups:
            people = [by_id[uid] for uid in group]
            stats.groups += 1
            stats.cross_team += len({p.team for p in people}) == len(people)
            stats.schedulable += suggest_slot(people, now.date()) is not None
        history = history.with_round(groups)
    return stats


@dataclass
class Timing:
    """Slowest round: CPU seconds of this process (what the target is on, since other
    processes on a shared machine do not count) and wall seconds."""

    cpu: float = 0.0
    wall: float = 0.0

    def __str__(self) -> str:
        return f"{self.cpu:.3f} s CPU ({self.wall:.3f} s wall)"


def time_big_round(strategy: Strategy, warmup: int = 3, timed: int = 3) -> Timing:
    """Slowest of a few rounds at BIG members, after warm-up rounds build history."""
    members = sorted(Community(BIG, SEED).members, key=lambda p: p.user_id)
    history = History()
    worst = Timing()
    for week in range(warmup + timed):
        now = START + timedelta(weeks=week)
        cpu, wall = time.process_time(), time.perf_counter()
        groups = strategy(members, history, SEED + week, now)
        if week >= warmup:
            worst.cpu = max(worst.cpu, time.process_time() - cpu)
            worst.wall = max(worst.wall, time.perf_counter() - wall)
        history = history.with_round(groups)
    return worst


# --- limits of a stable group ------------------------------------------------------


def stable_group(size: int, seed: int) -> list[Participant]:
    """Members with teams and channels, all in one time zone: any two can meet."""
    members = Community(size, seed).members
    return sorted((replace(p, timezone="Europe/London") for p in members), key=lambda p: p.user_id)


# (members, group size, history, week) -> that week's groups
Planner = Callable[[list[Participant], int, History, int], Groups]


def convene_planner(
    members: list[Participant], group_size: int, history: History, week: int
) -> Groups:
    request = MatchRequest(members, group_size, history, seed=SEED + week, now_utc=START)
    return match(request).member_groups


def shuffle_planner(
    members: list[Participant], group_size: int, history: History, week: int
) -> Groups:
    ids = [p.user_id for p in members]
    random.Random(SEED + week).shuffle(ids)
    return chunks(ids, group_size)


def circle_planner(
    members: list[Participant], group_size: int, history: History, week: int
) -> Groups:
    """The circle method in id order, round by round: repeat-free, blind to teams."""
    ids = sorted(p.user_id for p in members)
    return [tuple(ids[p] for p in block) for block in CircleDesign(len(ids)).blocks(week)]


def chunks(ids: list[str], group_size: int) -> Groups:
    """Consecutive groups of the engine's sizes (k or k+1 members, never one alone)."""
    groups: Groups = []
    start = 0
    for size in group_sizes(len(ids), group_size):
        groups.append(tuple(ids[start : start + size]))
        start += size
    return groups


def play(members: list[Participant], group_size: int, cap: int, planner: Planner) -> list[int]:
    """Same-team pairs of each round played, history fed back, before the first repeat.

    Its length is the number of repeat-free rounds (at most ``cap``).
    """
    team = {p.user_id: p.team for p in members}
    history = History()
    same_team: list[int] = []
    for week in range(cap):
        groups = planner(members, group_size, history, week)
        pairs = [(a, b) for g in groups for a, b in combinations(g, 2)]
        if any(history.has_met(a, b) for a, b in pairs):
            break
        same_team.append(sum(team[a] == team[b] for a, b in pairs))
        history = history.with_round(groups)
    return same_team


def repeat_free_rounds(members: list[Participant], group_size: int, cap: int) -> int:
    """Rounds Convene plays before the first repeated pair (at most ``cap``)."""
    return len(play(members, group_size, cap, convene_planner))


def odd_pairs_bound(n: int) -> int:
    """Repeat-free rounds possible for odd n, where each round has one trio.

    A round then holds (n+3)/2 pairs, and n people have n(n-1)/2 pairs.
    """
    return n * (n - 1) // (n + 3)


def early_same_team_bound(members: Sequence[Participant], rounds: int) -> int:
    """Fewest same-team pairs ``rounds`` repeat-free rounds of pairs can hold.

    In k repeat-free rounds a member of a team of t meets k different people,
    at most n - t of them from other teams, so at least k - (n - t) teammates;
    the team's t members count each of its pairs twice.
    """
    n = len(members)
    total = 0
    for t in Counter(p.team for p in members).values():
        total += -(-t * max(0, rounds - (n - t)) // 2)
    return total


def mean_round(same_team: list[int]) -> float:
    """The average round (1 = first) in which a same-team pair meets."""
    return sum(r * count for r, count in enumerate(same_team, 1)) / max(1, sum(same_team))


def latest_mean_round(members: Sequence[Participant]) -> float:
    """The latest that average can be over a whole round-robin (N-1 rounds, every pair once).

    Every same-team pair meets once, T in all; after k rounds at least
    early_same_team_bound(k) of them have, so sum(r * s_r) = (N-1) T - sum of
    the met-so-far counts over k < N-1 is at most (N-1) T - sum of the bounds.
    """
    n = len(members)
    pairs = sum(comb(t, 2) for t in Counter(p.team for p in members).values())
    early = sum(early_same_team_bound(members, k) for k in range(1, n - 1))
    return ((n - 1) * pairs - early) / max(1, pairs)


def first_round_same_team(members: list[Participant], group_size: int) -> int:
    request = MatchRequest(members, group_size, seed=SEED, now_utc=START)
    return sum(group.same_team_pairs for group in match(request).groups)


def time_big_round_of(group_size: int, warmup: int = 3, timed: int = 3) -> Timing:
    def strategy(members: list[Participant], history: History, seed: int, now: datetime) -> Groups:
        request = MatchRequest(members, group_size, history, seed=seed, now_utc=now)
        return match(request).member_groups

    return time_big_round(strategy, warmup, timed)


@dataclass
class TeamOrder:
    """When same-team pairs meet in whole round-robins: later is better (strangers first).

    Sums over even N of the average round of a same-team pair, for Convene,
    for the latest any round-robin can reach, and for the circle method.
    """

    convene: float = 0.0
    latest: float = 0.0
    circle: float = 0.0
    rows: list[str] = field(default_factory=list)

    def add(self, n: int, members: list[Participant], convene: list[int]) -> None:
        mine, latest = mean_round(convene), latest_mean_round(members)
        circle = mean_round(play(members, 2, n - 1, circle_planner))
        self.convene += mine
        self.latest += latest
        self.circle += circle
        if n in TEAM_ORDER_SAMPLE:
            self.rows.append(f"N={n}: {mine:.1f}/{latest:.1f}/{circle:.1f}")


def report_pairs(targets: list[tuple[bool, str]]) -> None:
    """Stable groups of pairs: every even N to the round-robin limit, a sample of odd N."""
    print(
        f"\nPairs in a stable group: repeat-free rounds for every N from 2 to {STATIC_PAIRS_UP_TO}"
    )
    even_short: list[str] = []
    shuffled = limit = 0
    order = TeamOrder()
    began = time.perf_counter()
    for n in range(2, STATIC_PAIRS_UP_TO + 1, 2):
        members = stable_group(n, SEED + n)
        same_team = play(members, 2, n, convene_planner)
        if len(same_team) < n - 1:
            even_short.append(f"N={n}: {len(same_team)}/{n - 1}")
        elif n >= 4:
            order.add(n, members, same_team)
        limit += n - 1
        shuffled += len(play(members, 2, n - 1, shuffle_planner))
    seconds = time.perf_counter() - began
    evens = STATIC_PAIRS_UP_TO // 2
    print(
        f"  even N: {evens - len(even_short)} of {evens} reach the round-robin limit N-1"
        + (f"; short: {', '.join(even_short)}" if even_short else "")
        + f"; shuffle baseline: {shuffled:,} of the {limit:,} rounds before its first repeat "
        f"({shuffled / limit:.3f}x) ({seconds:.0f} s for all of it)"
    )
    print(
        "  average round in which a same-team pair meets (later = strangers first; the "
        "latest possible follows from: in k repeat-free rounds a member of a team of t meets "
        "at least k-(N-t) teammates), summed over even N "
        f"4-{STATIC_PAIRS_UP_TO}: convene {order.convene:,.0f}, latest possible "
        f"{order.latest:,.0f} ({ratio(order.convene, order.latest)}), circle method in id "
        f"order {order.circle:,.0f} ({ratio(order.circle, order.latest)}); "
        "convene/latest/circle at " + ", ".join(order.rows)
    )
    targets.append(
        (
            not even_short,
            f"static pairs reach N-1 rounds without a repeat for every even N up to "
            f"{STATIC_PAIRS_UP_TO}: {evens - len(even_short)}/{evens}",
        )
    )
    odd_rows: list[tuple[int, int, int, int]] = []
    for n in ODD_SAMPLE:
        members = stable_group(n, SEED + n)
        bound = odd_pairs_bound(n)
        reached = repeat_free_rounds(members, 2, cap=bound + 1)
        odd_rows.append((n, reached, bound, len(play(members, 2, bound + 1, shuffle_planner))))
    reached_odd = sum(row[1] for row in odd_rows)
    bound_odd = sum(row[2] for row in odd_rows)
    shuffle_odd = sum(row[3] for row in odd_rows)
    print(
        "  odd N (one trio a round, so N-1 is out of reach; bound N(N-1)/(N+3) by counting "
        f"pairs): {reached_odd} of {bound_odd} rounds ({reached_odd / bound_odd:.1%}; shuffle "
        f"{shuffle_odd}): " + ", ".join(f"N={n}: {r}/{b}" for n, r, b, _ in odd_rows)
    )


def report_limits() -> list[tuple[bool, str]]:
    """Print the stable-group figures; return (met, line) targets."""
    targets: list[tuple[bool, str]] = []
    report_pairs(targets)

    print("\nGroups of three and four in a stable group: repeat-free rounds (shuffle baseline)")
    for n, size, limit, source in STATIC_GROUPS:
        members = stable_group(n, SEED + n)
        reached = repeat_free_rounds(members, size, cap=limit + 1)
        baseline = len(play(members, size, limit + 1, shuffle_planner))
        print(
            f"  {n:>3} members in {size}s: {reached:>2} rounds, limit {limit:>2} ({source}): "
            f"{reached / limit:.2f}x; shuffle {baseline}"
        )
        if (n, size) in ((15, 3), (27, 3), (32, 4)):
            line = f"{n} members in groups of {size} reach {limit} rounds: {reached}/{limit}"
            targets.append((reached >= limit, line))

    print(
        "\nFirst round in groups of four: same-team pairs against the lower bound (each "
        "team spread as evenly as the number of groups allows; time zones ignored, so "
        "no round can beat it)"
    )
    for n in TEAM_SIZES:
        members = sorted(Community(n, SEED + n).members, key=lambda p: p.user_id)
        found = first_round_same_team(members, 4)
        bound = same_team_bound(members, 4)
        team = {p.user_id: p.team for p in members}
        groups = shuffle_planner(members, 4, History(), 0)
        baseline = sum(team[a] == team[b] for g in groups for a, b in combinations(g, 2))
        ratio_text = f"{found / bound:.3f}x" if bound else "n/a"
        print(
            f"  {n:>5,} members (8 time zones): {found} same-team pairs, "
            f"bound {bound}: {ratio_text}; shuffle {baseline} ({ratio(baseline, bound)})"
        )
        targets.append(
            (
                found <= TARGET_TEAM_RATIO * bound,
                f"same-team pairs in fours at {n:,} members within "
                f"{TARGET_TEAM_RATIO}x the bound: {ratio_text}",
            )
        )
    return targets


# --- report ---------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "MET    " if ok else "NOT MET"


def ratio(mine: float, theirs: float) -> str:
    return f"{mine / theirs:.3f}x" if theirs else "n/a"


def print_table(rows: Sequence[tuple[int, str, Stats]]) -> None:
    header = (
        f"{'members':>7}  {'strategy':<8}  {'repeats/round':>13}  {'first repeat':>12}  "
        f"{'cross-team':>10}  {'schedulable':>11}  {'ms/round':>8}"
    )
    print(header)
    print("-" * len(header))
    for size, name, stats in rows:
        print(
            f"{size:>7}  {name:<8}  {statistics.mean(stats.repeats):>13.2f}  "
            f"{stats.first_repeat:>12}  {stats.cross_team / stats.groups:>10.1%}  "
            f"{stats.schedulable / stats.groups:>11.1%}  "
            f"{1000 * statistics.mean(stats.seconds):>8.1f}"
        )


def main() -> None:
    started = time.perf_counter()
    print(
        f"Convene pairing benchmark: {ROUNDS} weekly rounds, {CHURN:.0%} weekly churn, "
        f"{len(TEAMS)} teams, {len(ZONES)} time zones, seed {SEED}\n"
    )
    rows: list[tuple[int, str, Stats]] = []
    results: dict[tuple[int, str], Stats] = {}
    peaks: dict[int, float] = {}
    for size in SIZES:
        weeks = timeline(size, SEED + size)
        peaks[size] = peak_team_share(weeks)
        for name, strategy in (("convene", convene), ("shuffle", shuffle)):
            stats = simulate(weeks, strategy)
            rows.append((size, name, stats))
            results[size, name] = stats
    print_table(rows)

    big_convene = time_big_round(convene)
    big_shuffle = time_big_round(shuffle)
    big_fours = time_big_round_of(4)
    print(
        f"\nOne round at {BIG:,} members (slowest of 3, after 3 warm-up rounds): "
        f"convene {big_convene}, shuffle {big_shuffle}; groups of four: {big_fours}"
    )
    limits = report_limits()

    print("\nRatios (convene vs shuffle)")
    for size in SIZES:
        mine = statistics.mean(results[size, "convene"].repeats)
        theirs = statistics.mean(results[size, "shuffle"].repeats)
        print(f"  repeats/round at {size:>5,} members: {ratio(mine, theirs)} ", end="")
        print(f"({mine:.2f} vs {theirs:.2f})")
    print(
        f"  CPU time of one {BIG:,}-member round: {big_convene.cpu / big_shuffle.cpu:.0f}x "
        "the shuffle's"
    )

    target = results[TARGET_NO_REPEAT_SIZE, "convene"]
    clean = target.clean_rounds()
    shares = {
        size: results[size, "convene"].cross_team / results[size, "convene"].groups
        for size in SIZES
    }
    print("\nTargets")
    print(
        f"  [{verdict(clean >= TARGET_NO_REPEAT_ROUNDS)}] no repeat in the first "
        f"{TARGET_NO_REPEAT_ROUNDS} rounds at {TARGET_NO_REPEAT_SIZE} members with churn: "
        f"{clean} repeat-free rounds (first repeat: {target.first_repeat})"
    )
    for size, share in shares.items():
        print(
            f"  [{verdict(share >= TARGET_CROSS_TEAM)}] >= {TARGET_CROSS_TEAM:.0%} of groups "
            f"cross-team at {size:,} members: {share:.1%}"
        )
    for ok, line in limits:
        print(f"  [{verdict(ok)}] {line}")
    print(
        f"  [{verdict(big_convene.cpu < TARGET_BIG_SECONDS)}] one {BIG:,}-member round of pairs "
        f"under {TARGET_BIG_SECONDS} s: {big_convene}"
    )
    print(
        f"  [info   ] one {BIG:,}-member round of fours (--size 4, the largest; no target set): "
        f"{big_fours}"
    )
    for size, share in shares.items():
        if share < TARGET_CROSS_TEAM:
            print(
                f"\n  note ({size} members): the largest team peaks at {peaks[size]:.0%} of the "
                f"community.  Avoiding repeats outranks team mixing in the cost model, and in a "
                f"small community over {ROUNDS} rounds the two pull against each other."
            )
    print(f"\nTotal benchmark time {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
