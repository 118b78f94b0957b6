"""One round, end to end: the public ``match`` and the group-size rule."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from math import comb

from activities.matching.avoid import place, reschedule, resolve_avoid
from activities.matching.costs import (
    REPEAT_BASE,
    Context,
    GroupCost,
    PairCost,
    build_context,
    group_cost_fn,
    pair_cost_fn,
)
from activities.matching.explain import make_group
from activities.matching.greedy import greedy
from activities.matching.hours import reference_day, split_islands
from activities.matching.improve import improve
from activities.matching.request import (
    REASON_AVOID,
    REASON_NOT_ENOUGH,
    LeftOut,
    MatchRequest,
    MatchResult,
    Participant,
    dedupe,
)
from activities.matching.roundrobin import PLAN_MAX_PEOPLE, plan_pairs
from activities.matching.schedule import follow_design


def group_sizes(count: int, group_size: int) -> list[int]:
    """Sizes of the groups for ``count`` people, largest first; never a 1."""
    if count < 2:
        return []
    if count <= group_size + 1:
        return [count]
    groups, extra = divmod(count, group_size)
    if extra <= groups:  # spread the remainder: some groups get one more
        return [group_size + 1] * extra + [group_size] * (groups - extra)
    # Too few groups to absorb the remainder (only for sizes 3 and 4): add a
    # group and make some one smaller instead; group_size - 1 >= 2 here.
    groups += 1
    short = groups * group_size - count
    return [group_size] * (groups - short) + [group_size - 1] * short


def same_team_bound(members: Sequence[Participant], group_size: int) -> int:
    """The fewest same-team pairs any round of `members` (in `group_sizes` groups) can
    have: each team spread over the groups as evenly as their number allows. What the
    tests and bench/pairing.py hold a round's team mixing to."""
    groups = len(group_sizes(len(members), group_size))
    total = 0
    for count in Counter(p.team for p in members).values():
        per, extra = divmod(count, groups)
        total += extra * comb(per + 1, 2) + (groups - extra) * comb(per, 2)
    return total


def match(request: MatchRequest) -> MatchResult:
    """Form one round of groups.  Deterministic for a given request and seed."""
    people = dedupe(request.participants)
    if len(people) < 2:
        left = [LeftOut(p.user_id, REASON_NOT_ENOUGH) for p in people]
        return MatchResult(groups=[], left_out=left, skipped_reason=REASON_NOT_ENOUGH)

    rng = random.Random(request.seed)
    ctx = build_context(people, request.history, request.mode, reference_day(request))
    pair_cost = pair_cost_fn(ctx)
    group_cost = group_cost_fn(ctx, pair_cost)

    islands, loners = split_islands(ctx.masks)
    groups: list[list[int]] = []
    for island in islands:
        groups += form_groups(island, request.group_size, ctx, rng, pair_cost, group_cost)
    groups = reschedule(groups, request.group_size, ctx, group_cost)
    stranded = [person for person in loners if not place(person, groups, ctx, group_cost)]
    groups, left_idx = resolve_avoid(groups, stranded, ctx, group_cost)

    # Indices follow sorted ids, so sorting gives stable, readable output.
    ordered = sorted(sorted(members) for members in groups)
    result_groups = [make_group(members, ctx, request.mode, group_cost) for members in ordered]
    left_out = [LeftOut(ctx.ids[i], REASON_AVOID) for i in sorted(left_idx)]
    skipped = REASON_AVOID if not result_groups else None
    return MatchResult(groups=result_groups, left_out=left_out, skipped_reason=skipped)


def form_groups(
    members: list[int],
    group_size: int,
    ctx: Context,
    rng: random.Random,
    pair_cost: PairCost,
    group_cost: GroupCost,
) -> list[list[int]]:
    """Groups for one island: a planned round, the design it follows, else greedy.

    Small rounds of pairs keep the backtracking planner: it re-plans from any
    history and mixes teams better in the early rounds than a fixed design.
    """
    groups: list[list[int]] | None = None
    if group_size == 2 and 3 <= len(members) <= PLAN_MAX_PEOPLE:
        groups = plan_pairs(members, ctx.ids, rng, group_cost)
        if groups is not None and any(group_cost(g) >= REPEAT_BASE for g in groups):
            improve(groups, rng, group_cost, ctx.teams)  # e.g. the trio had to repeat
    if groups is None:
        groups = follow_design(members, group_size, ctx, rng, group_cost)
    if groups is None:
        order = members.copy()
        rng.shuffle(order)
        groups = greedy(ctx, order, group_sizes(len(members), group_size), rng, pair_cost)
        improve(groups, rng, group_cost, ctx.teams)
    return groups
