"""Known repeat-free schedules: rounds of groups over points 0..n-1 where no pair meets twice.

Pure combinatorics, no people.  A :class:`Design` is a sequence of rounds;
each round partitions all ``size`` points into blocks of ``block`` points,
and every pair of points shares a block in at most one round.  These reach
(or come close to) the mathematical limit of repeat-free rounds, which no
round-by-round search finds for large groups:

* pairs, any even n: the circle method, n-1 rounds (every pair meets once);
* pairs, odd n up to 201: the circle method with a phantom, whose partner
  joins a pair as the trio, giving up a few rounds to lend the trio's pairs;
* threes, n = 3^m: lines of the affine space AG(m, 3), (n-1)/2 rounds;
* threes, n = 15: Kirkman's schoolgirls, 7 rounds (a packing of PG(3, 2));
* fours, n = 4^m: lines of AG(m, 4), (n-1)/3 rounds;
* fours, n = 32: the best known social golfer schedule 8-4-10, 10 rounds,
  kept as data (golfers.py): no linear construction gets past nine.

Everything is built on first use and cached; nothing happens at import.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations, product
from typing import Protocol

from activities.matching.golfers import schedule_8_4_10

Block = tuple[int, ...]
Round = tuple[Block, ...]
Line = tuple[int, ...]

# GF(4) = {0, 1, w, w^2} as 0..3: addition is XOR, multiplication by this table.
_GF4_MUL = (
    (0, 0, 0, 0),
    (0, 1, 2, 3),
    (0, 2, 3, 1),
    (0, 3, 1, 2),
)


class Design(Protocol):
    """A resolvable packing: ``rounds`` partitions of range(size) into ``block``-sets.

    (The odd round-robin's rounds also hold one block of three.)
    """

    @property
    def size(self) -> int: ...

    @property
    def block(self) -> int: ...

    @property
    def rounds(self) -> int: ...

    def round_of(self, a: int, b: int) -> int | None:
        """The round in which points ``a`` and ``b`` share a block, or None if never."""
        ...

    def blocks(self, round_no: int) -> Round:
        """The blocks of one round; round 0 is the anchor matched to a played round."""
        ...


@dataclass(frozen=True, slots=True)
class CircleDesign:
    """Round-robin for an even number of points (the circle method).

    Point n-1 sits in the centre; the others stand on a circle of n-1 places.
    In round r the centre meets r, and i meets j when i + j = 2r (mod n-1),
    so the round of any pair has a closed form and nothing is stored -- a
    10,000-person round-robin costs no memory.
    """

    size: int
    block: int = 2

    @property
    def rounds(self) -> int:
        return self.size - 1

    def round_of(self, a: int, b: int) -> int | None:
        if a == b:
            return None
        odd = self.size - 1
        centre = odd
        if a == centre or b == centre:
            return b if a == centre else a
        # i + j = 2r (mod odd): r = (i + j) * inverse of 2, which is (odd + 1) / 2.
        return (a + b) * ((odd + 1) // 2) % odd

    def blocks(self, round_no: int) -> Round:
        odd = self.size - 1
        pairs = [(round_no, odd)]
        for k in range(1, odd // 2 + 1):
            pairs.append(((round_no + k) % odd, (round_no - k) % odd))
        return tuple(pairs)


@dataclass(frozen=True, slots=True)
class TableDesign:
    """A design given by its rounds, with a pair -> round table."""

    size: int
    block: int
    table: tuple[Round, ...]
    pair_round: dict[tuple[int, int], int]

    @property
    def rounds(self) -> int:
        return len(self.table)

    def round_of(self, a: int, b: int) -> int | None:
        return self.pair_round.get((a, b) if a < b else (b, a))

    def blocks(self, round_no: int) -> Round:
        return self.table[round_no]


# The odd round-robin is found by a small search; beyond this it is not worth it.
ODD_PAIRS_MAX = 201
# Tables hold every pair; bigger affine spaces (729, 1024 people) would take
# seconds to build for a horizon of decades of weekly rounds.
TABLE_MAX = 256


def design_for(size: int, block: int) -> Design | None:
    """The best known design for ``size`` people in groups of ``block``, or None."""
    if block == 2 and size >= 2 and size % 2 == 0:
        return CircleDesign(size)
    return _table_design(size, block)


@lru_cache(maxsize=16)
def _table_design(size: int, block: int) -> TableDesign | None:
    rounds: list[Round] | None = None
    if size > TABLE_MAX:
        return None
    if block == 2 and 3 <= size <= ODD_PAIRS_MAX and size % 2:
        rounds = odd_round_robin(size)
    elif block == 3 and size == 15:
        rounds = kirkman_fifteen()
    elif block == 4 and size == 32:
        rounds = golfer_thirty_two()
    elif block in (3, 4):
        dims = _log(size, block)
        if dims is not None and dims >= 2:
            rounds = affine_space(block, dims)
    return None if rounds is None else _tabulate(size, block, rounds)


def _log(size: int, base: int) -> int | None:
    dims, power = 0, 1
    while power < size:
        power *= base
        dims += 1
    return dims if power == size else None


def _tabulate(size: int, block: int, rounds: Sequence[Round]) -> TableDesign:
    pair_round: dict[tuple[int, int], int] = {}
    for number, blocks in enumerate(rounds):
        if sorted(p for b in blocks for p in b) != list(range(size)):
            raise ValueError(f"round {number} is not a partition of {size} points")
        for members in blocks:
            if len(members) not in (block, block + 1):
                raise ValueError(f"round {number} has a block of {len(members)}")
            for a, b in combinations(sorted(members), 2):
                if (a, b) in pair_round:
                    raise ValueError(f"pair {a}-{b} repeats in round {number}")
                pair_round[a, b] = number
    return TableDesign(size, block, tuple(rounds), pair_round)


# --- pairs for an odd count: one trio a round -----------------------------------------


def odd_round_robin(size: int) -> list[Round]:
    """Rounds of pairs plus one trio for an odd ``size``, no pair ever repeated.

    Start from the circle method on size + 1 places, the extra one a phantom:
    round r (in Z_size) pairs i with 2r - i, and r meets the phantom.  r must
    join a pair {a, b} of round r as the trio, which uses the pairs r-a and
    r-b of two other rounds.  So some rounds S are given up: r joins
    {2*s1 - r, 2*s2 - r} for s1 + s2 = 2r (mod size) with s1, s2 in S, and
    the pairs r-a, r-b then come from rounds s1 and s2, which are never
    played.  Two played rounds r, q may not both take a pair from round s
    when r + q = 2s (it would be the same pair).  A greedy choice of S (an
    additive basis of Z_size, about sqrt(2 * size) rounds) keeps the rest:
    e.g. 6 of 7 possible rounds at 11 people, 87 of 97 at 101.
    """
    best: dict[int, tuple[int, int]] = {}
    for attempt in range(_ODD_ATTEMPTS):
        plan = _odd_plan(size, random.Random(attempt))  # fixed seeds: a design, not a draw
        if len(plan) > len(best):
            best = plan
    rounds: list[Round] = []
    for r, (s1, s2) in sorted(best.items()):
        a, b = (2 * s1 - r) % size, (2 * s2 - r) % size
        pairs = {
            (min(i, (2 * r - i) % size), max(i, (2 * r - i) % size))
            for i in range(size)
            if i not in (r, a, b)
        }
        rounds.append((*sorted(pairs), tuple(sorted((r, a, b)))))
    return rounds


_ODD_ATTEMPTS = 2


def _odd_plan(size: int, rng: random.Random) -> dict[int, tuple[int, int]]:
    """Played round -> the two given-up rounds lending its trio's pairs (greedy basis)."""
    half = (size + 1) // 2  # the inverse of 2 mod size
    basis: list[int] = []
    users: dict[int, list[int]] = {}
    plan: dict[int, tuple[int, int]] = {}
    order = list(range(size))
    rng.shuffle(order)
    while True:
        best: tuple[int, list[tuple[int, int]]] | None = None
        for c in order:
            if c in users or c in plan:
                continue
            gains: list[tuple[int, int]] = []
            for s in basis:
                r = (c + s) * half % size
                if r in plan or r in users or r == c or any(r == g for g, _ in gains):
                    continue
                if any((r + q - 2 * s) % size == 0 for q in users[s]):
                    continue
                if any((r + g - 2 * c) % size == 0 for g, _ in gains):
                    continue
                gains.append((r, s))
            if best is None or len(gains) > len(best[1]):
                best = (c, gains)
        if best is None or (basis and not best[1]):
            return plan
        c, gains = best
        basis.append(c)
        users[c] = []
        for r, s in gains:
            plan[r] = (s, c)
            users[s].append(r)
            users[c].append(r)


# --- affine spaces ----------------------------------------------------------------


def _field(order: int) -> tuple[Callable[[int, int], int], Callable[[int, int], int]]:
    """(add, mul) of GF(3) or GF(4) on 0..order-1."""
    if order == 3:
        return (lambda a, b: (a + b) % 3), (lambda a, b: a * b % 3)
    if order == 4:
        return (lambda a, b: a ^ b), (lambda a, b: _GF4_MUL[a][b])
    raise ValueError(f"no field of order {order} here")


def affine_space(order: int, dims: int) -> list[Round]:
    """Lines of AG(dims, order), one round per direction (a parallel class).

    Points are vectors over GF(order); a line is {p + t*d}.  Two points lie on
    exactly one line, so the (order^dims - 1)/(order - 1) rounds cover every
    pair once -- the most repeat-free rounds any schedule can have.
    """
    add, mul = _field(order)
    vectors = list(product(range(order), repeat=dims))
    index = {v: k for k, v in enumerate(vectors)}
    # One direction per projective point: first non-zero coordinate is 1.
    directions = [v for v in vectors if any(v) and v[next(i for i, x in enumerate(v) if x)] == 1]
    rounds: list[Round] = []
    for d in directions:
        seen: set[int] = set()
        blocks: list[Block] = []
        for p in vectors:
            if index[p] in seen:
                continue
            line = tuple(
                index[tuple(add(x, mul(t, y)) for x, y in zip(p, d, strict=True))]
                for t in range(order)
            )
            seen.update(line)
            blocks.append(tuple(sorted(line)))
        rounds.append(tuple(sorted(blocks)))
    return rounds


# --- GF(2) and tabled constructions ------------------------------------


def kirkman_fifteen() -> list[Round]:
    """Kirkman's fifteen schoolgirls: 7 rounds of 5 triples, every pair once.

    The triples are the 35 lines {a, b, a^b} of PG(3, 2) (the non-zero vectors
    of GF(2)^4); a packing splits them into 7 spreads, each a round.
    """
    lines = sorted({tuple(sorted((a, b, a ^ b))) for a in range(1, 16) for b in range(a + 1, 16)})
    packing = _pack(lines, points=range(1, 16), rounds=7)
    if packing is None:
        raise RuntimeError("PG(3, 2) has a packing; the search must find it")
    return [tuple(tuple(p - 1 for p in line) for line in spread) for spread in packing]


def golfer_thirty_two() -> list[Round]:
    """32 people in groups of four for 10 rounds: the best known 8-4-10 schedule.

    Kept as data (see golfers.py): no construction from GF(2)^5 gets past nine.
    """
    return schedule_8_4_10()


def _pack(lines: list[Line], points: range, rounds: int) -> list[list[Line]] | None:
    """Split ``lines`` into ``rounds`` partitions of ``points`` (exact cover, backtracking)."""
    through: dict[int, list[Line]] = {p: [] for p in points}
    for line in lines:
        for p in line:
            through[p].append(line)
    used: set[Line] = set()
    plan: list[list[Line]] = []

    def spreads(covered: set[int], spread: list[Line]) -> Iterator[list[Line]]:
        free = [p for p in points if p not in covered]
        if not free:
            yield list(spread)
            return
        point = free[0]
        for line in through[point]:
            if line in used or not covered.isdisjoint(line):
                continue
            spread.append(line)
            yield from spreads(covered | set(line), spread)
            spread.pop()

    def extend() -> bool:
        if len(plan) == rounds:
            return True
        for spread in spreads(set(), []):
            used.update(spread)
            plan.append(spread)
            if extend():
                return True
            plan.pop()
            used.difference_update(spread)
        return False

    return plan if extend() else None
