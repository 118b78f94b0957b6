"""Whole-sequence planner for pairs: disjoint perfect matchings of the "not met yet" graph.

A greedy choice can paint itself into a corner -- ten people whose unmet pairs
end up as two 5-cycles must repeat next round -- while a plan keeps a group
repeat-free until everyone has met everyone.  This backtracking search works
from history alone (any past, also with churn) and is bounded, so it is used
for rounds up to PLAN_MAX_PEOPLE; stable groups of any size follow a known
design instead (see designs.py and schedule.py).
"""

from __future__ import annotations

import contextlib
import random
import zlib
from collections.abc import Iterator

from activities.matching.costs import REPEAT_BASE, GroupCost

PLAN_MAX_PEOPLE = 64
_PLAN_NODE_BUDGET = 12_000  # per attempt, for a round-robin in progress
_PLAN_RESTARTS = 4  # seeded restarts if that fails: backtracking times are heavy-tailed
_PLAN_IRREGULAR_BUDGET = 2_000  # with churn a complete plan may not exist at all
# The strangers-first search gets the first try, with room for twice the
# nodes of a plan found without backtracking (it rarely needs more; when it
# fails it should fail fast).  The budget depends on the group size only, so
# next week's re-run (a subtree of this week's search) always fits in it.
_CHEAP_FIRST_SLACK = 2
_PHANTOM = -1  # stand-in partner that makes an odd round-robin even
_SWEETEN_PASSES = 4


class BudgetExceeded(Exception):
    """Raised inside the round-robin search when its node budget runs out."""


class RoundRobinPlanner:
    """Backtracking search for disjoint perfect matchings in the unmet graph.

    ``available[v]`` holds the people ``v`` may still meet without a repeat.
    A plan is ``target`` such matchings: the coming rounds all repeat-free.
    With ``cheap_first`` each person is offered strangers (no team, no
    channel in common) before acquaintances, so the plan's rounds come out
    cheapest first and the end-game -- where the first round of the plan is
    played as it is -- keeps same-team pairs for the last rounds.  A greedy
    preference can walk into traps (two odd-sized teams that only ever meet
    across end with two odd cliques, which have no perfect matching), but a
    plan found is a plan: the search backtracks out of them or runs out of
    budget, and the plain fail-fast search (``cheap_first`` False) is next.
    sweeten applies the soft costs to the round played before the end-game.
    """

    def __init__(
        self,
        available: list[set[int]],
        soft: dict[tuple[int, int], int],
        target: int,
        cheap_first: bool = False,
    ) -> None:
        self.available = available
        self.soft = soft  # for cheap_first and sweeten
        self.target = target
        degrees = {len(neighbours) for neighbours in available}
        self.degree = min(degrees)
        # Regular = a round-robin in progress (with a phantom, adjacent to
        # all, it never is): a plan surely exists, so search harder.
        self.regular = len(degrees) == 1
        self.budget = _PLAN_NODE_BUDGET if self.regular else _PLAN_IRREGULAR_BUDGET
        # With churn the one small attempt stays fail-fast (it finds more plans).
        self.cheap_first = cheap_first and self.regular
        if self.cheap_first:
            half = len(available) // 2
            self.budget = min(self.budget, _CHEAP_FIRST_SLACK * half * (half + 1))
        self.nodes = 0
        self.rounds: list[list[tuple[int, int]]] = []

    def run(self) -> list[list[tuple[int, int]]] | None:
        """A complete plan, or None if none was found within budget."""
        with contextlib.suppress(BudgetExceeded):
            if self._extend():
                return self.rounds
        return None

    def _extend(self) -> bool:
        """Plan the next round; one stack frame per planned round."""
        if len(self.rounds) == self.target:
            return True
        partner = [-1] * len(self.available)
        free = [len(neighbours) for neighbours in self.available]
        for pairs in self._matchings(partner, free, []):
            for a, b in pairs:
                self.available[a].discard(b)
                self.available[b].discard(a)
            self.rounds.append(pairs)
            if self._extend():
                return True
            self.rounds.pop()
            for a, b in pairs:
                self.available[a].add(b)
                self.available[b].add(a)
        return False

    def _matchings(
        self, partner: list[int], free: list[int], pairs: list[tuple[int, int]]
    ) -> Iterator[list[tuple[int, int]]]:
        """Perfect matchings of the available edges, most constrained vertex first.

        ``free[v]`` counts v's still-unmatched available partners, kept up to
        date incrementally so each search node costs O(n), not O(n^2).
        """
        self.nodes += 1
        if self.nodes > self.budget:
            raise BudgetExceeded
        vertex = -1
        for v, count in enumerate(free):
            if partner[v] < 0 and (vertex < 0 or count < free[vertex]):
                vertex = v
        if vertex < 0:
            yield list(pairs)
            return
        options = [u for u in self.available[vertex] if partner[u] < 0]
        if self.cheap_first:  # strangers first (finer tiers fail more often), then fail fast
            soft = self.soft
            options.sort(key=lambda u: (soft[vertex, u] > 0, free[u], u))
        else:  # fail fast: fewest options first
            options.sort(key=lambda u: (free[u], u))
        for u in options:
            partner[vertex], partner[u] = u, vertex
            self._shift(free, vertex, u, -1)
            pairs.append((vertex, u))
            yield from self._matchings(partner, free, pairs)
            pairs.pop()
            self._shift(free, vertex, u, 1)
            partner[vertex] = partner[u] = -1

    def _shift(self, free: list[int], a: int, b: int, step: int) -> None:
        """a and b (un)matched: their neighbours gain/lose a free partner."""
        for w in self.available[a]:
            free[w] += step
        for w in self.available[b]:
            free[w] += step


def plan_pairs(
    members: list[int], ids: list[str], rng: random.Random, group_cost: GroupCost
) -> list[list[int]] | None:
    """This round's pairs from a complete plan of repeat-free rounds, or None.

    Stateless: each round re-plans from history alone.  In a stable group the
    unmet graph is regular (everyone has met equally many) and, whatever round
    of last week's plan was played, the rest of that plan still covers what is
    left -- so a plan exists and the search spends a full budget, with seeded
    restarts for the heavy tail of backtracking.  The first attempt offers
    strangers first (see RoundRobinPlanner), the second is the plain
    fail-fast search; each is deterministic, so whichever found this week's
    plan re-finds its rest next week.  With churn the graph is irregular, a
    complete plan may not exist, and the sampled heuristic does as well on
    repeats while mixing teams better: one small fail-fast attempt, then None.
    """
    canonical = sorted(members, key=lambda i: (zlib.crc32(ids[i].encode()), ids[i]))
    if len(members) % 2:
        canonical.append(_PHANTOM)  # odd count: whoever "meets" the phantom joins a trio
    for attempt in range(2 + _PLAN_RESTARTS):
        ordering = canonical.copy()
        if attempt > 1:
            rng.shuffle(ordering)
        planner = build_planner(ordering, group_cost, cheap_first=attempt == 0)
        if planner is None:
            return None
        plan = planner.run()
        if plan is not None:
            break
        if not planner.regular:  # churn: one small attempt, then the sampled heuristic
            return None
    else:
        return None
    # End-game of a round-robin: play the canonical plan's first round
    # untouched (either search order is canonical).  Next week's search then
    # starts from exactly the state below that round in this week's search
    # tree, so it replays the part that succeeded and re-finds the rest of
    # the plan within budget -- the round-robin survives to the last round.
    # Before the end-game the graph is dense enough to sweeten the round freely.
    replay = attempt <= 1 and planner.regular and planner.target == planner.degree
    played = plan[0] if replay else sweeten(plan, planner.soft)
    return with_trio([[ordering[a], ordering[b]] for a, b in played], group_cost)


def sweeten(
    plan: list[list[tuple[int, int]]], soft: dict[tuple[int, int], int]
) -> list[tuple[int, int]]:
    """The round to play: the plan's cheapest, improved by swaps that keep the plan valid.

    Two disjoint perfect matchings form alternating cycles; exchanging their
    edges along one cycle leaves both perfect matchings, disjoint, covering
    the same edges.  So the played round can take the other rounds' cheaper
    (cross-team, fewer shared channels) edges on any cycle where that helps,
    and the rest of the plan still guarantees the coming repeat-free rounds.
    """
    mates: list[dict[int, int]] = []
    for matching in plan:
        mate: dict[int, int] = {}
        for a, b in matching:
            mate[a], mate[b] = b, a
        mates.append(mate)

    def cost(mate: dict[int, int]) -> int:
        return sum(soft[v, u] for v, u in mate.items() if v < u)

    played = min(range(len(mates)), key=lambda r: (cost(mates[r]), r))
    for _ in range(_SWEETEN_PASSES):
        improved = False
        for other in range(len(mates)):
            if other != played:
                improved |= swap_cheaper_cycles(mates[played], mates[other], soft)
        if not improved:
            break
    mine = mates[played]
    taken = {(v, u) for r, mate in enumerate(mates) if r != played for v, u in mate.items()}
    return two_opt(sorted((v, u) for v, u in mine.items() if v < u), soft, taken)


def two_opt(
    pairs: list[tuple[int, int]], soft: dict[tuple[int, int], int], taken: set[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Re-pair two pairs at a time when cheaper, using only edges no other planned round needs.

    Edges outside the plan (the horizon is ~n/2 rounds) are free to use, so
    this reaches cross-team partners the plan's own rounds do not offer.
    """

    def usable(a: int, b: int) -> bool:
        return (a, b) in soft and (a, b) not in taken

    for _ in range(_SWEETEN_PASSES):
        improved = False
        for i in range(len(pairs)):
            for j in range(i + 1, len(pairs)):
                (a, b), (c, d) = pairs[i], pairs[j]
                current = soft[a, b] + soft[c, d]
                for x, y in (((a, c), (b, d)), ((a, d), (b, c))):
                    if usable(*x) and usable(*y) and soft[x] + soft[y] < current:
                        pairs[i], pairs[j] = x, y
                        improved = True
                        break
        if not improved:
            break
    return pairs


def swap_cheaper_cycles(
    mine: dict[int, int], theirs: dict[int, int], soft: dict[tuple[int, int], int]
) -> bool:
    """Take ``theirs``' edges on every alternating cycle where they are cheaper."""
    improved = False
    seen: set[int] = set()
    for start in sorted(mine):
        if start in seen:
            continue
        cycle, v = [], start
        while True:  # v -mine- w -theirs- next v ...
            w = mine[v]
            cycle += [v, w]
            seen.update((v, w))
            v = theirs[w]
            if v == start:
                break
        mine_edges = [(cycle[k], cycle[k + 1]) for k in range(0, len(cycle), 2)]
        their_edges = [(cycle[k + 1], cycle[(k + 2) % len(cycle)]) for k in range(0, len(cycle), 2)]
        if sum(soft[e] for e in their_edges) < sum(soft[e] for e in mine_edges):
            for a, b in their_edges:
                mine[a], mine[b] = b, a
            for a, b in mine_edges:
                theirs[a], theirs[b] = b, a
            improved = True
    return improved


def with_trio(pairs: list[list[int]], group_cost: GroupCost) -> list[list[int]]:
    """Replace the phantom's pair by adding its real member to the cheapest other pair."""
    lone = next((pair for pair in pairs if _PHANTOM in pair), None)
    if lone is None:
        return pairs
    person = lone[0] if lone[1] == _PHANTOM else lone[1]
    groups = [pair for pair in pairs if pair is not lone]
    host = min(range(len(groups)), key=lambda g: (group_cost([*groups[g], person]), g))
    groups[host] = [*groups[host], person]
    return groups


def build_planner(
    order: list[int], group_cost: GroupCost, cheap_first: bool = False
) -> RoundRobinPlanner | None:
    """Planner over local indices of ``order``; None if someone has no unmet partner."""
    n = len(order)
    available: list[set[int]] = [set() for _ in range(n)]
    soft: dict[tuple[int, int], int] = {}
    for a in range(n):
        for b in range(a + 1, n):
            cost = 0 if _PHANTOM in (order[a], order[b]) else group_cost([order[a], order[b]])
            if cost < REPEAT_BASE:
                available[a].add(b)
                available[b].add(a)
                soft[a, b] = soft[b, a] = cost
    degree = min(len(neighbours) for neighbours in available)
    phantom = order.index(_PHANTOM) if _PHANTOM in order else -1
    if degree == 0 or odd_components(available, skip=phantom) > (phantom >= 0):
        return None
    # Looking further ahead than ~n/2 rounds buys little: regular graphs of
    # degree >= about n/2 split into perfect matchings (the 1-factorisation
    # conjecture, proven for large n), so choices made while the unmet graph
    # is that dense do not trap later rounds -- and it halves the search.
    return RoundRobinPlanner(available, soft, min(degree, n // 2 + 1), cheap_first)


def odd_components(available: list[set[int]], skip: int) -> int:
    """Connected components of odd size, ignoring vertex ``skip`` (the phantom).

    Each needs a partner from outside, so with none (or only the phantom to
    spare) no perfect matching exists -- e.g. breakfast time zones that split
    people into islands -- and searching would only burn the budget.
    """
    seen = [False] * len(available)
    odd = 0
    for start in range(len(available)):
        if seen[start] or start == skip:
            continue
        seen[start] = True
        stack, size = [start], 0
        while stack:
            v = stack.pop()
            size += 1
            for w in available[v]:
                if not seen[w] and w != skip:
                    seen[w] = True
                    stack.append(w)
        odd += size % 2
    return odd
