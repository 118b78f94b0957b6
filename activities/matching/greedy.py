"""Greedy construction: fill groups one by one with the cheapest sampled candidate."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable

from activities.matching.costs import (
    FORBIDDEN,
    REPEAT_BASE,
    SCHEDULE_PENALTY,
    Context,
    PairCost,
    pairs_and_common,
    unscheduled,
)
from activities.matching.hours import zone_order_key

_NEAR_WINDOW = 24  # greedy: candidates from the pool's tail (same time zones)
_NEAR_SAMPLES = 6
_FAR_SAMPLES = 4  # greedy: candidates from anywhere (mixing zones and teams)
_EXTRA_SAMPLES = 24  # more candidates when the best one is still a repeat


def greedy(
    ctx: Context,
    order: list[int],
    sizes: list[int],
    rng: random.Random,
    pair_cost: PairCost,
) -> list[list[int]]:
    """Fill groups one by one with the cheapest of a few sampled candidates.

    The pool is the shuffled order stably sorted by time zone, consumed from
    the end: the tail holds people who can meet the current seed, and a few
    candidates from anywhere keep teams and zones mixing.
    """
    zone_key = [zone_order_key(mask) for mask in ctx.masks]
    pool = sorted(order, key=zone_key.__getitem__)
    rnd = rng.random
    groups: list[list[int]] = []
    for size in sizes:
        members = [pool.pop()]
        while len(members) < size:
            position = pick_candidate(members, pool, rnd, ctx.masks, pair_cost)
            members.append(pool.pop(position))
        groups.append(members)
    return groups


def pick_candidate(
    members: list[int],
    pool: list[int],
    rnd: Callable[[], float],
    masks: list[int],
    pair_cost: PairCost,
) -> int:
    """Pool position of the best sampled addition to ``members``."""
    size = len(pool)
    window = min(_NEAR_WINDOW, size)
    positions = [size - 1 - int(rnd() * window) for _ in range(_NEAR_SAMPLES)]
    positions += [int(rnd() * size) for _ in range(_FAR_SAMPLES)]
    best_position, best_cost = cheapest(members, pool, positions, masks, pair_cost)
    if best_cost >= REPEAT_BASE:  # "while any unmatched alternative exists": look harder
        positions = [int(rnd() * size) for _ in range(_EXTRA_SAMPLES)]
        position, cost = cheapest(members, pool, positions, masks, pair_cost)
        if cost < best_cost:
            best_position, best_cost = position, cost
    if best_cost >= FORBIDDEN:  # rare: scan everyone for someone allowed
        position, cost = cheapest(members, pool, range(size), masks, pair_cost)
        if cost < best_cost:
            best_position = position
    return best_position


def cheapest(
    members: list[int],
    pool: list[int],
    positions: Iterable[int],
    masks: list[int],
    pair_cost: PairCost,
) -> tuple[int, int]:
    """(position, cost of the grown group) of the cheapest candidate; earliest wins ties.

    The cost is the group cost of ``members`` plus the candidate, computed
    incrementally: only the candidate's pairs are priced (the members' own
    pairs are the same for every candidate and cancel out of the choice, but
    are added so the figure equals the group cost).
    """
    base, common = pairs_and_common(members, masks, pair_cost)
    best_position, best_cost = -1, -1
    for position in positions:
        candidate = pool[position]
        cost = base
        for i in members:
            cost += pair_cost(i, candidate)
        if not common & masks[candidate]:
            grown = [*members, candidate]
            cost += SCHEDULE_PENALTY * unscheduled(tuple(sorted(masks[i] for i in grown)))
        if best_position < 0 or cost < best_cost:
            best_position, best_cost = position, cost
    return best_position, best_cost
