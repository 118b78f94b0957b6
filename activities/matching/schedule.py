"""Whole-schedule planning for a stable group: play a known design round by round.

The engine is stateless -- each round sees only the history -- so the design
is anchored on the history itself: the group's oldest round (a partition of
exactly these people into groups of ``group_size``) is mapped onto the
design's round 0, members ordered by id.  That first round is the engine's
free choice (mixing teams, channels and time zones as usual); every later
round is then the design's cheapest round nobody has played yet, and the
design guarantees no pair meets twice until its rounds run out (N-1 rounds
of pairs, 7 for Kirkman's 15, ...).

The design is followed only while the history matches it exactly: the same
people, every pair they have among themselves in a played round of the
design, each played round complete.  Churn (someone joining or leaving), an
avoid pair or a schedule clash inside the cheapest round, or a history from
before the design all make this return None, and the engine falls back to
its round-by-round search -- nothing is lost but the guarantee.
"""

from __future__ import annotations

import random
from math import comb

from activities.matching.costs import REPEAT_BASE, Context, GroupCost
from activities.matching.designs import Design, design_for

# Candidate rounds priced per call, so a large round-robin stays cheap.
_PRICED_PAIRS = 4_000
# Checking the history against a design costs time in proportion to every
# pair met so far; beyond this size the design's horizon (N-1 weekly rounds
# is twenty years) is irrelevant and the greedy stays repeat-free anyway.
DESIGN_MAX_PEOPLE = 1_024


def follow_design(
    members: list[int],
    group_size: int,
    ctx: Context,
    rng: random.Random,
    group_cost: GroupCost,
) -> list[list[int]] | None:
    """The next round of the design this group follows, or None (first round, churn, ...)."""
    if len(members) > DESIGN_MAX_PEOPLE:
        return None
    design = design_for(len(members), group_size)
    if design is None:
        return None
    by_stamp = _pairs_by_stamp(members, ctx)
    if not by_stamp:
        return None  # the first round anchors the design: the engine chooses it freely
    anchor = _blocks(by_stamp[min(by_stamp)], len(members), group_size)
    if anchor is None:
        return None
    point = _labelling(anchor, design)
    unplayed = _unplayed_rounds(by_stamp, point, design)
    if not unplayed:
        return None
    budget = max(4, _PRICED_PAIRS // max(1, len(members)))
    candidates = unplayed if len(unplayed) <= budget else sorted(rng.sample(unplayed, budget))
    member_at = [0] * len(members)
    for local, p in enumerate(point):
        member_at[p] = members[local]
    best: tuple[int, int, list[list[int]]] | None = None
    for round_no in candidates:
        groups = [[member_at[p] for p in block] for block in design.blocks(round_no)]
        costs = [group_cost(group) for group in groups]
        if max(costs) >= REPEAT_BASE:
            continue  # an avoid pair or a schedule clash: not this round
        total = sum(costs)
        if best is None or total < best[0]:
            best = (total, round_no, groups)
    return None if best is None else best[2]


def _pairs_by_stamp(members: list[int], ctx: Context) -> dict[int, list[tuple[int, int]]]:
    """Pairs (local positions, a < b) that met among ``members``, by the round they met in."""
    local = {ctx.ids[i]: pos for pos, i in enumerate(members)}
    by_stamp: dict[int, list[tuple[int, int]]] = {}
    for pos, i in enumerate(members):
        stamps = ctx.met[i]
        if not stamps:
            continue
        for other, stamp in stamps.items():
            mate = local.get(other)
            if mate is not None and mate > pos:
                by_stamp.setdefault(stamp, []).append((pos, mate))
    return by_stamp


def _blocks(pairs: list[tuple[int, int]], size: int, group_size: int) -> list[list[int]] | None:
    """The round as groups, if these pairs partition everyone into cliques of group_size."""
    if size % group_size or len(pairs) != size // group_size * comb(group_size, 2):
        return None
    root = list(range(size))

    def find(x: int) -> int:
        while root[x] != x:
            root[x] = root[root[x]]
            x = root[x]
        return x

    for a, b in pairs:
        root[find(a)] = find(b)
    groups: dict[int, list[int]] = {}
    for pos in range(size):
        groups.setdefault(find(pos), []).append(pos)
    blocks = sorted(groups.values())
    # Right sizes and the right number of pairs: every block is a clique.
    return blocks if all(len(block) == group_size for block in blocks) else None


def _labelling(anchor: list[list[int]], design: Design) -> list[int]:
    """Design point of each local position: the anchor round becomes design round 0."""
    point = [0] * design.size
    for block, target in zip(anchor, sorted(design.blocks(0)), strict=True):
        for pos, p in zip(block, sorted(target), strict=True):
            point[pos] = p
    return point


def _unplayed_rounds(
    by_stamp: dict[int, list[tuple[int, int]]], point: list[int], design: Design
) -> list[int]:
    """Design rounds nobody played yet; empty when the history does not follow the design."""
    per_round = design.size // design.block * comb(design.block, 2)
    round_of_stamp: dict[int, int] = {}
    met: dict[int, int] = {}
    for stamp, pairs in by_stamp.items():
        for a, b in pairs:
            number = design.round_of(point[a], point[b])
            if number is None or round_of_stamp.setdefault(stamp, number) != number:
                return []
            met[number] = met.get(number, 0) + 1
    if any(count != per_round for count in met.values()):
        return []
    return [number for number in range(design.rounds) if number not in met]
