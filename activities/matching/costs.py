"""The cost model: what makes a group good ("someone you don't know" who can meet).

Cost of a group (lower is better), the sum over its pairs plus a schedule term:

* avoid (either direction)                    -> FORBIDDEN, never produced
* no time the whole group can meet            -> SCHEDULE_PENALTY per member
  who cannot make the group's best slot (breakfast: their morning)
* pair met before                             -> repeat_penalty(rounds_ago),
  always above every soft cost, higher for recent meetings
* same team                                   -> TEAM_PENALTY
* shared channels                             -> CHANNEL_PENALTY each (capped)

Because a repeat costs more than any combination of soft costs in a group, a
swap that removes a repeat is always taken: a pair is only matched again when
the search finds no arrangement without it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from activities.matching.history import History
from activities.matching.hours import FULL_MASK, availability_mask
from activities.matching.request import Mode, Participant

GroupCost = Callable[[list[int]], int]
PairCost = Callable[[int, int], int]

# --- cost model -------------------------------------------------------------
# Soft costs ("someone you don't know"): kept far below the repeat penalty so
# that no amount of team/channel preference ever buys a repeat.
TEAM_PENALTY = 12
CHANNEL_PENALTY = 1
CHANNEL_CAP = 10  # beyond ten shared channels they clearly know each other
# A repeat costs at least this much; recent repeats cost up to 5x more.
REPEAT_BASE = 1_000
_REPEAT_RECENT = 4_000
_REPEAT_HALF_LIFE = 4.0  # rounds until the recency surcharge halves
# A group that cannot meet at all is worse than a repeat: a repeated coffee
# still happens, an unschedulable one does not.
SCHEDULE_PENALTY = 50_000
FORBIDDEN = 1_000_000_000


def repeat_penalty(rounds_ago: int) -> int:
    """Cost of re-matching a pair that met ``rounds_ago`` rounds ago.

    Never below REPEAT_BASE (so it beats every soft cost) and decaying towards
    it, so when a repeat is unavoidable the oldest acquaintance is chosen.
    """
    ago = max(1, rounds_ago)
    return REPEAT_BASE + int(_REPEAT_RECENT * 0.5 ** ((ago - 1) / _REPEAT_HALF_LIFE))


@dataclass(slots=True)
class Context:
    """Participants flattened into parallel lists indexed 0..n-1 (fast lookups)."""

    ids: list[str]
    teams: list[str]
    channels: list[int]  # one bit per channel, so sharing is an AND and a bit count
    masks: list[int]
    avoid: list[frozenset[str] | None]  # symmetric closure, None when empty
    met: list[dict[str, int] | None]  # history stamps per person
    clock: int
    day: date  # the round's UTC day: the masks' week starts on it


def _channel_bits(people: Sequence[Participant]) -> list[int]:
    """Each person's channels as a bit set over the channels anyone here is in."""
    bit: dict[str, int] = {}
    for channel in sorted({c for p in people for c in p.channels}):
        bit[channel] = 1 << len(bit)
    masks = []
    for person in people:
        mask = 0
        for channel in person.channels:
            mask |= bit[channel]
        masks.append(mask)
    return masks


def build_context(
    people: Sequence[Participant], history: History, mode: Mode, day: date
) -> Context:
    present = {p.user_id for p in people}
    banned: dict[str, set[str]] = {}
    for person in people:
        for other in person.avoid:
            if other != person.user_id and other in present:
                banned.setdefault(person.user_id, set()).add(other)
                banned.setdefault(other, set()).add(person.user_id)
    return Context(
        ids=[p.user_id for p in people],
        teams=[p.team.strip().casefold() for p in people],
        channels=_channel_bits(people),
        masks=[availability_mask(p.timezone, p.working_hours, p.days, mode, day) for p in people],
        avoid=[frozenset(banned[p.user_id]) if p.user_id in banned else None for p in people],
        met=[history.stamps(p.user_id) for p in people],
        clock=history.clock,
        day=day,
    )


REPEAT_TABLE = [repeat_penalty(ago) for ago in range(200)]


def pair_cost_fn(ctx: Context) -> Callable[[int, int], int]:
    """Build the hot pair-cost function over local variables (no attribute lookups)."""
    ids, teams, channels = ctx.ids, ctx.teams, ctx.channels
    avoid, met, clock = ctx.avoid, ctx.met, ctx.clock
    table, last = REPEAT_TABLE, len(REPEAT_TABLE) - 1

    def pair_cost(i: int, j: int) -> int:
        other = ids[j]
        banned = avoid[i]
        if banned is not None and other in banned:
            return FORBIDDEN
        cost = 0
        stamps = met[i]
        if stamps is not None:
            stamp = stamps.get(other)
            if stamp is not None:
                ago = clock - stamp + 1
                cost += table[ago if ago < last else last]
        team = teams[i]
        if team and team == teams[j]:
            cost += TEAM_PENALTY
        both = channels[i] & channels[j]
        if both:
            shared = both.bit_count()
            cost += CHANNEL_PENALTY * (shared if shared < CHANNEL_CAP else CHANNEL_CAP)
        return cost

    return pair_cost


def pairs_and_common(members: list[int], masks: list[int], pair_cost: PairCost) -> tuple[int, int]:
    """The sum of the costs of the group's pairs, and the slots all its members can make."""
    total = 0
    common = FULL_MASK
    for x, i in enumerate(members):
        common &= masks[i]
        for j in members[x + 1 :]:
            total += pair_cost(i, j)
    return total, common


def group_cost_fn(ctx: Context, pair_cost: Callable[[int, int], int]) -> GroupCost:
    """Group cost = sum of pair costs + schedule penalty (pairs fast-pathed)."""
    masks = ctx.masks

    def group_cost(members: list[int]) -> int:
        if len(members) == 2:
            a, b = members
            cost = pair_cost(a, b)
            if not masks[a] & masks[b]:
                cost += SCHEDULE_PENALTY * (1 if masks[a] | masks[b] else 2)
            return cost
        total, common = pairs_and_common(members, masks, pair_cost)
        if not common:
            total += SCHEDULE_PENALTY * unscheduled(tuple(sorted(masks[i] for i in members)))
        return total

    return group_cost


@lru_cache(maxsize=65_536)
def unscheduled(masks: tuple[int, ...]) -> int:
    """How many members cannot make the slot that suits most of the group.

    Cached on the (sorted) masks: a community has few distinct availability
    masks, and the greedy asks about the same mixes over and over.
    """
    union = 0
    for mask in masks:
        union |= mask
    best = 0
    while union:
        bit = union & -union
        best = max(best, sum(1 for mask in masks if mask & bit))
        union ^= bit
    return len(masks) - best
