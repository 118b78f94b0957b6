"""Whole-schedule planning for a stable group: play a known design round by round.

The engine is stateless -- each round sees only the history -- so the design
is anchored on the history itself: the group's oldest round (a partition of
exactly these people into groups shaped like the design's) is mapped onto
the design's round 0, members ordered by id.  That first round is the engine's
free choice (mixing teams, channels and time zones as usual); every later
round is then the design's cheapest round nobody has played yet, and the
design guarantees no pair meets twice until its rounds run out (N-1 rounds
of pairs, 7 for Kirkman's 15, ...).

The design is followed only while the history matches it: the same people,
whose oldest round together split them evenly, and sampled members agree on
the rounds played.  Every round is priced before it is played, so a round
holding a repeat, an avoid pair or a schedule clash is never chosen.  Churn
(someone joining or leaving), a history from before the design, or no
clean round left all make this return None, and the engine falls back to its
round-by-round search -- nothing is lost but the guarantee.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from activities.matching.costs import REPEAT_BASE, Context, GroupCost
from activities.matching.designs import Design, design_for
from activities.matching.unionfind import DisjointSets

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
    local = {ctx.ids[i]: pos for pos, i in enumerate(members)}
    anchor = _anchor(members, local, ctx)
    if anchor is None or _shape(anchor) != _shape(design.blocks(0)):
        return None
    point = _labelling(anchor, design)
    unplayed = _unplayed_rounds(members, local, point, ctx, design)
    if not unplayed:
        return None
    member_at = [0] * len(members)
    for pos, p in enumerate(point):
        member_at[p] = members[pos]
    budget = max(4, _PRICED_PAIRS // max(1, len(members)))
    sampled = unplayed if len(unplayed) <= budget else sorted(rng.sample(unplayed, budget))
    best = _cheapest_round(sampled, design, member_at, group_cost)
    if best is None and len(sampled) < len(unplayed):  # all sampled rounds refused: try the rest
        tried = set(sampled)
        rest = [number for number in unplayed if number not in tried]
        best = _cheapest_round(rest, design, member_at, group_cost)
    return best


def _cheapest_round(
    numbers: list[int], design: Design, member_at: list[int], group_cost: GroupCost
) -> list[list[int]] | None:
    """The cheapest of these design rounds as groups of members, or None if all are refused."""
    best: tuple[int, list[list[int]]] | None = None
    for number in numbers:
        groups = [[member_at[p] for p in block] for block in design.blocks(number)]
        costs = [group_cost(group) for group in groups]
        # A repeat (history that strayed from the design), an avoid pair or
        # a schedule clash all cost at least REPEAT_BASE: not this round.
        if max(costs) >= REPEAT_BASE:
            continue
        total = sum(costs)
        if best is None or total < best[0]:
            best = (total, groups)
    return None if best is None else best[1]


def _shape(blocks: Sequence[Sequence[int]]) -> list[int]:
    return sorted(len(block) for block in blocks)


def _anchor(members: list[int], local: dict[str, int], ctx: Context) -> list[list[int]] | None:
    """The group's oldest round, as blocks of local positions (None if it was not one round).

    The oldest stamp comes from the first member's row (in a history that
    follows a design everyone took part in the anchor round); each member's
    partners in that round are then read from their own row.
    """
    first = ctx.met[members[0]]
    if not first:
        return None  # the first round anchors the design: the engine chooses it freely
    oldest = min((stamp for other, stamp in first.items() if other in local), default=None)
    if oldest is None:
        return None
    sets = DisjointSets(len(members))
    degree = [0] * len(members)
    for pos, i in enumerate(members):
        row = ctx.met[i]
        partners = [other for other, stamp in row.items() if stamp == oldest] if row else []
        degree[pos] = len(partners)
        for other in partners:
            mate = local.get(other)
            if mate is None:
                return None  # they met someone who is not here now: churn
            sets.join(pos, mate)
    blocks: dict[int, list[int]] = {}
    for pos in range(len(members)):
        blocks.setdefault(sets.find(pos), []).append(pos)
    found = sorted(blocks.values())
    # Everyone met all the others of their block, and only them: the blocks are cliques.
    if any(degree[pos] != len(block) - 1 for block in found for pos in block):
        return None
    return found


def _labelling(anchor: list[list[int]], design: Design) -> list[int]:
    """Design point of each local position: the anchor round becomes design round 0."""
    point = [0] * design.size
    targets = sorted(design.blocks(0), key=lambda block: (len(block), sorted(block)))
    for block, target in zip(sorted(anchor, key=len), targets, strict=True):
        for pos, p in zip(block, sorted(target), strict=True):
            point[pos] = p
    return point


def _unplayed_rounds(
    members: list[int], local: dict[str, int], point: list[int], ctx: Context, design: Design
) -> list[int]:
    """Design rounds none of a few sampled members has played; empty if they disagree.

    In a history that follows the design every member has played exactly the
    played rounds, so a few rows tell them; a history that strayed is caught
    here or, at the latest, by pricing (a repeat costs at least REPEAT_BASE).
    """
    count = len(members)
    played: set[int] | None = None
    for pos in sorted({0, count // 2, count - 1}):
        row = ctx.met[members[pos]] or {}
        mine: set[int] = set()
        for other, _stamp in row.items():
            mate = local.get(other)
            if mate is not None:
                number = design.round_of(point[pos], point[mate])
                if number is None:
                    return []
                mine.add(number)
        if played is not None and mine != played:
            return []
        played = mine
    assert played is not None
    return [number for number in range(design.rounds) if number not in played]
