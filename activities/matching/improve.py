"""Local improvement: swap members between groups while the total cost drops.

Random and exhaustive swaps for groups holding a repeat (or a schedule or
avoid problem), a full hill-climb for small rounds, targeted moves that
spread a doubled-up team over the groups lacking it (what lets a first round
of fours reach the lower bound at 2,000 people), a bounded random pass for
soft costs (same team, shared channels) and, for large rounds, all swaps
among groups still sharing channels; small rounds then try three-group
rotations for groups still paying a team cost (a two-group swap cannot always
split them).
"""

from __future__ import annotations

import random
from collections.abc import Callable

from activities.matching.costs import (
    FORBIDDEN,
    REPEAT_BASE,
    SCHEDULE_PENALTY,
    TEAM_PENALTY,
    GroupCost,
)

_REPAIR_TRIES = 48  # random swaps tried per bad group
_REPAIR_NEAR = 8  # groups built next to each other share time zones
_SOFT_TRIES = 3
_EXHAUSTIVE_BUDGET = 60_000  # swap evaluations for stubborn repeats
_HILL_CLIMB_MAX_PEOPLE = 60
_HILL_CLIMB_PASSES = 30
_ROTATE_PASSES = 5  # three-group rotations for same-team groups in small rounds
_SPREAD_BUDGET_PER_PERSON = 40  # swap evaluations spreading a doubled-up team
_SPREAD_PASSES = 3
_SPREAD_MAX = 100_000  # ... bounded, so 10,000 people stay fast
_SOFTEN_PER_PERSON = 40  # swap evaluations for soft costs the random swaps left
_SOFTEN_MAX = 15_000  # ... bounded, so 10,000 people stay fast
_SOFTEN_REACH = 8  # groups either side
_SOFTEN_PAIRED = 120  # soft-cost groups tried against each other
_SOFTEN_PASSES = 3
_SPREAD_REACH = 128  # groups either side searched for a better home


def swap(
    groups: list[list[int]],
    costs: list[int],
    g: int,
    p: int,
    h: int,
    q: int,
    group_cost: GroupCost,
    *,
    price_only: bool = False,
) -> int:
    """Cost change of swapping groups[g][p] with groups[h][q]. The swap is made when it
    lowers the total cost (a negative change: `swap(...) < 0` means it was made), unless
    `price_only`.

    Pricing and taking in one function: the innermost loop makes one call, and no tuple
    of new groups is built to hand them from one function to another."""
    new_g = groups[g].copy()
    new_h = groups[h].copy()
    new_g[p], new_h[q] = new_h[q], new_g[p]
    cost_g = group_cost(new_g)
    cost_h = group_cost(new_h)
    delta = cost_g + cost_h - costs[g] - costs[h]
    if delta < 0 and not price_only:
        groups[g], groups[h], costs[g], costs[h] = new_g, new_h, cost_g, cost_h
    return delta


def improve(
    groups: list[list[int]],
    rng: random.Random,
    group_cost: GroupCost,
    teams: list[str],
) -> None:
    """Swap members between groups while the total cost drops (bounded work)."""
    if len(groups) < 2:
        return
    people = sum(len(members) for members in groups)
    costs = [group_cost(members) for members in groups]
    if people <= _HILL_CLIMB_MAX_PEOPLE:
        hill_climb(groups, costs, group_cost)
    repair_sampled(groups, costs, rng, group_cost)
    repair_exhaustive(groups, costs, group_cost)
    spread = min(_SPREAD_BUDGET_PER_PERSON * people, _SPREAD_MAX)
    spread_teams(groups, costs, teams, group_cost, budget=spread)
    polish(groups, costs, rng, group_cost, budget=2 * people)
    if people > _HILL_CLIMB_MAX_PEOPLE:
        soften(groups, costs, group_cost, budget=min(_SOFTEN_PER_PERSON * people, _SOFTEN_MAX))
    if people <= _HILL_CLIMB_MAX_PEOPLE and rotate_same_team(groups, costs, group_cost):
        hill_climb(groups, costs, group_cost)


def spread_teams(
    groups: list[list[int]],
    costs: list[int],
    teams: list[str],
    group_cost: GroupCost,
    budget: int,
) -> None:
    """Move a member of a team that doubles up in a group to a group without that team.

    Random swaps rarely find these moves in large rounds (the partner group
    must lack the team, and its member's team must be new to this group), so
    they are looked for directly: nearest groups first (built from nearby
    time zones, so most likely to share a slot), then further out.  Each swap
    is taken only when the total cost drops, so it never buys a repeat or a
    schedule clash.  Cheap team tests filter candidates before a group is
    priced, which keeps it linear in practice at 10,000 people.
    """
    count = len(groups)
    for _ in range(_SPREAD_PASSES):
        if not any(TEAM_PENALTY <= cost < REPEAT_BASE for cost in costs):
            return
        floor = _fewest_per_group(groups, teams)
        labels = [[teams[i] for i in members] for members in groups]
        improved = False
        for g in range(count):
            if not TEAM_PENALTY <= costs[g] < REPEAT_BASE or budget <= 0:
                continue
            moved, budget = _spread_one(groups, costs, labels, g, floor, group_cost, budget)
            improved |= moved
        if not improved:
            return


def _fewest_per_group(groups: list[list[int]], teams: list[str]) -> dict[str, int]:
    """Per team, the fewest members any group has (0 when some group has none).

    A doubled-up member can only move to a group with at least two fewer of
    their team; when no group has that few, searching is pointless.  Swaps
    only raise these minimums, so computing them once per pass is safe.
    """
    groups_with: dict[str, int] = {}
    fewest: dict[str, int] = {}
    for members in groups:
        here: dict[str, int] = {}
        for i in members:
            here[teams[i]] = here.get(teams[i], 0) + 1
        for team, seen in here.items():
            groups_with[team] = groups_with.get(team, 0) + 1
            fewest[team] = min(fewest.get(team, seen), seen)
    return {team: fewest[team] if groups_with[team] == len(groups) else 0 for team in fewest}


def _spread_one(
    groups: list[list[int]],
    costs: list[int],
    labels: list[list[str]],
    g: int,
    floor: dict[str, int],
    group_cost: GroupCost,
    budget: int,
) -> tuple[bool, int]:
    """The first cost-lowering swap moving a doubled-up member out of group ``g``.

    ``labels`` holds each group's teams in member order and is kept in step.
    """
    count = len(groups)
    mine = labels[g]
    for p, team in enumerate(mine):
        if not team or mine.count(team) - 2 < floor.get(team, 0):
            continue
        rest = mine[:p] + mine[p + 1 :]
        for step in range(1, min(count, _SPREAD_REACH)):
            for h in (g - step, g + step):
                if not 0 <= h < count:
                    continue
                budget -= 1
                theirs = labels[h]
                gain = rest.count(team) - theirs.count(team)  # same-team pairs x leaves behind
                if gain <= 0:
                    continue
                for q, their_team in enumerate(theirs):
                    cost = rest.count(their_team) - (theirs.count(their_team) - 1)
                    if their_team and cost >= gain:
                        continue
                    budget -= 1
                    if swap(groups, costs, g, p, h, q, group_cost) < 0:
                        mine[p], theirs[q] = their_team, team
                        return True, budget
            if budget <= 0:
                return False, budget
    return False, budget


def hill_climb(groups: list[list[int]], costs: list[int], group_cost: GroupCost) -> None:
    """Small rounds: try every swap until none helps (a true local optimum)."""
    for _ in range(_HILL_CLIMB_PASSES):
        improved = False
        for g in range(len(groups)):
            for h in range(g + 1, len(groups)):
                for p in range(len(groups[g])):
                    for q in range(len(groups[h])):
                        improved |= swap(groups, costs, g, p, h, q, group_cost) < 0
        if not improved:
            return


def rotate_same_team(groups: list[list[int]], costs: list[int], group_cost: GroupCost) -> bool:
    """Small rounds: three-way moves for groups still paying a team (not repeat) cost.

    A two-group swap cannot always split a same-team pair when its members have
    met every cross-team candidate's partner; moving one member each around
    three groups (g -> h -> k -> g) often can.  Taken only when the total cost
    drops, so it never trades a repeat for team mixing.  Returns whether
    anything changed.
    """
    changed = False
    count = len(groups)
    for _ in range(_ROTATE_PASSES):
        improved = False
        for g in range(count):
            if not TEAM_PENALTY <= costs[g] < REPEAT_BASE:
                continue
            improved |= rotate_one(groups, costs, g, group_cost)
        changed |= improved
        if not improved:
            break
    return changed


def rotate_one(groups: list[list[int]], costs: list[int], g: int, group_cost: GroupCost) -> bool:
    """The first cost-lowering rotation through group ``g``, applied; False if none."""
    count = len(groups)
    for h in range(count):
        for k in range(count):
            if h == g or k in (g, h):
                continue
            before = costs[g] + costs[h] + costs[k]
            for p in range(len(groups[g])):
                for q in range(len(groups[h])):
                    for r in range(len(groups[k])):
                        new_g, new_h, new_k = groups[g].copy(), groups[h].copy(), groups[k].copy()
                        new_g[p], new_h[q], new_k[r] = groups[k][r], groups[g][p], groups[h][q]
                        after = [group_cost(new_g), group_cost(new_h), group_cost(new_k)]
                        if sum(after) < before:
                            groups[g], groups[h], groups[k] = new_g, new_h, new_k
                            costs[g], costs[h], costs[k] = after
                            return True
    return False


def random_partner_group(g: int, count: int, near: bool, rnd: Callable[[], float]) -> int:
    """A nearby group (likely same time zones) or any group; may return g itself."""
    if near:
        h = g + int(rnd() * (2 * _REPAIR_NEAR + 1)) - _REPAIR_NEAR
        return min(max(h, 0), count - 1)
    return int(rnd() * count)


def repair_sampled(
    groups: list[list[int]],
    costs: list[int],
    rng: random.Random,
    group_cost: GroupCost,
) -> None:
    """For each group with a repeat/schedule/avoid problem, try random swaps until fixed."""
    rnd = rng.random
    count = len(groups)
    for g in range(count):
        tries = 0
        while costs[g] >= REPEAT_BASE and tries < _REPAIR_TRIES:
            tries += 1
            h = random_partner_group(g, count, tries % 2 == 1, rnd)
            if h == g:
                continue
            p = int(rnd() * len(groups[g]))
            q = int(rnd() * len(groups[h]))
            swap(groups, costs, g, p, h, q, group_cost)


def repair_exhaustive(groups: list[list[int]], costs: list[int], group_cost: GroupCost) -> None:
    """Best swap against every other group for problems random swaps missed.

    Avoid violations are always worked on; repeats and schedule problems share
    a budget (cheap repeats first) so an unfixable case cannot blow the time.
    """
    budget = _EXHAUSTIVE_BUDGET
    bad = [g for g in range(len(groups)) if costs[g] >= REPEAT_BASE]
    bad.sort(key=lambda g: (costs[g] < FORBIDDEN, costs[g] >= SCHEDULE_PENALTY, g))
    for g in bad:
        while costs[g] >= REPEAT_BASE and (costs[g] >= FORBIDDEN or budget > 0):
            best: tuple[int, int, int, int] | None = None
            best_delta = 0
            for h in range(len(groups)):
                if h == g:
                    continue
                for p in range(len(groups[g])):
                    for q in range(len(groups[h])):
                        budget -= 1
                        delta = swap(groups, costs, g, p, h, q, group_cost, price_only=True)
                        if delta < best_delta:
                            best, best_delta = (g, p, h, q), delta
            if best is None:
                break
            swap(groups, costs, *best, group_cost)


def soften(groups: list[list[int]], costs: list[int], group_cost: GroupCost, budget: int) -> None:
    """Large rounds: all swaps for groups still paying a soft cost, within a budget.

    The hill-climb does this for small rounds.  Here two groups that both pay
    a soft cost are tried against each other first -- a group with two of one
    channel club and none of another is fixed by the group with the opposite
    surplus, wherever it is -- then each against the groups built next to it
    (nearby time zones).  First improvement taken.
    """
    count = len(groups)
    for _ in range(_SOFTEN_PASSES):
        paying = [g for g in range(count) if 0 < costs[g] < REPEAT_BASE][:_SOFTEN_PAIRED]
        before = sum(costs[g] for g in paying)
        for x, g in enumerate(paying):
            for h in paying[x + 1 :]:
                budget = _swap_all(groups, costs, g, h, group_cost, budget)
                if budget <= 0:
                    return
        if sum(costs[g] for g in paying) == before:
            break
    for g in range(count):
        if not 0 < costs[g] < REPEAT_BASE:
            continue
        for step in range(1, _SOFTEN_REACH + 1):
            for h in (g - step, g + step):
                if 0 <= h < count:
                    budget = _swap_all(groups, costs, g, h, group_cost, budget)
            if budget <= 0:
                return


def _swap_all(
    groups: list[list[int]], costs: list[int], g: int, h: int, group_cost: GroupCost, budget: int
) -> int:
    """Try every swap between groups g and h while g pays a soft cost; the budget left."""
    for p in range(len(groups[g])):
        for q in range(len(groups[h])):
            if costs[g] == 0 or not costs[g] < REPEAT_BASE:
                return budget
            budget -= 1
            swap(groups, costs, g, p, h, q, group_cost)
    return budget


def polish(
    groups: list[list[int]],
    costs: list[int],
    rng: random.Random,
    group_cost: GroupCost,
    budget: int,
) -> None:
    """A few random swaps for groups with soft costs (same team, shared channels)."""
    rnd = rng.random
    count = len(groups)
    for g in range(count):
        if budget <= 0:
            return
        for attempt in range(_SOFT_TRIES):
            if costs[g] == 0:
                break
            budget -= 1
            h = random_partner_group(g, count, attempt % 2 == 0, rnd)
            if h != g:
                p = int(rnd() * len(groups[g]))
                q = int(rnd() * len(groups[h]))
                swap(groups, costs, g, p, h, q, group_cost)
