"""Pairing engine for "someone you don't know" coffees and breakfast switch-ups.

Pure domain code: no Slack, no storage, no clock reads, no global random state.
Everything a round needs comes in through :class:`MatchRequest`, and the same
request (same seed) always produces the same :class:`MatchResult`.

How a round is built
--------------------
1. Participants are de-duplicated and sorted by id (input order never
   matters); all randomness comes from ``random.Random(seed)``.
2. People are split into *islands* that share some available time (breakfast
   mornings are short, so time zones split a community); each island is
   matched on its own, and someone who shares a slot with nobody joins the
   best group -- never alone.  Overlap is not transitive, so a group can still
   end up without a common slot; its members who cannot make it then move to
   groups where they fit (see _reschedule).
3. Rounds of pairs up to 64 people are *planned*: the engine searches for a
   set of disjoint perfect matchings of the "not met yet" graph (a round-robin
   plan) and plays one of them.  A greedy choice can paint itself into a
   corner -- ten people whose unmet pairs end up as two 5-cycles must repeat
   next round -- while a plan keeps a stable group repeat-free until everyone
   has met everyone (the round-robin bound).  The played round is improved by
   swaps that keep the plan valid (see _sweeten).  An odd count plans with a
   phantom partner, whose match joins a pair as the trio.
4. Otherwise -- larger rounds, groups of 3-4, or churn with no complete plan
   -- groups are built greedily: each starts from the next person in the
   shuffled, time-zone-sorted pool and adds the cheapest of a few sampled
   candidates (more when all are repeats), O(n) at 10,000 people.  Local
   improvement then swaps members between groups while that lowers the total
   cost: random and exhaustive swaps for groups holding a repeat (or a schedule
   or avoid problem), a full hill-climb for small rounds, and a bounded pass
   for soft costs; small rounds then try three-group rotations for groups
   still paying a team cost (a two-group swap cannot always split them).

Cost of a group (lower is better), sum over its pairs plus a schedule term:

* avoid (either direction)                    -> forbidden, never produced
* no time the whole group can meet            -> SCHEDULE_PENALTY per member
  who cannot make the group's best slot (breakfast: their morning)
* pair met before                             -> repeat_penalty(rounds_ago),
  always above every soft cost, higher for recent meetings
* same team                                   -> TEAM_PENALTY
* shared channels                             -> CHANNEL_PENALTY each (capped)

Because a repeat costs more than any combination of soft costs in a group, a
swap that removes a repeat is always taken: a pair is only matched again when
the search finds no arrangement without it.

Group sizes: for ``group_size`` k and n people, groups have k or k+1 members
(k-1 only when there are too few groups to absorb the remainder); nobody is
ever alone.  With pairs, an odd count gives exactly one trio.

Avoid lists are symmetric and never violated.  When swaps cannot separate a
conflict, the conflicting member moves into another group that accepts them
(it grows by one) or pairs with a member split off a group of three or more;
people nobody can take may pair up among themselves.  Only someone who still
fits nowhere is left out, with reason ``"avoid constraints"`` -- the truly
impossible case, e.g. two people who avoid each other and nobody else.  In
that case, and when islands (step 2) have odd sizes, group sizes can deviate
from the rule above; nobody is ever alone.

Time zones: availability is computed per 30-minute UTC slot of one day (the
UTC date of ``now_utc``; a fixed mid-January day when it is None, so results
stay deterministic).  A slot counts for a person only if the whole half hour
lies inside their local working hours (and, for breakfast, inside their local
morning 07:00-10:00).  Days off are not modelled: the caller picks a working
day.
"""

from __future__ import annotations

import contextlib
import random
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "CHANNEL_PENALTY",
    "FORBIDDEN",
    "REASON_AVOID",
    "REASON_NOT_ENOUGH",
    "SCHEDULE_PENALTY",
    "TEAM_PENALTY",
    "Group",
    "History",
    "LeftOut",
    "MatchRequest",
    "MatchResult",
    "Mode",
    "Participant",
    "PastMeeting",
    "explain",
    "group_sizes",
    "match",
    "repeat_penalty",
    "suggest_slot",
]

Mode = Literal["coffee", "breakfast"]

REASON_NOT_ENOUGH = "not enough participants"
REASON_AVOID = "avoid constraints"

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

# --- time model -------------------------------------------------------------
_SLOT_MINUTES = 30
_SLOTS_PER_DAY = 24 * 60 // _SLOT_MINUTES
_FULL_MASK = (1 << _SLOTS_PER_DAY) - 1
_MORNING = (7, 10)  # local breakfast window, intersected with working hours
_DEFAULT_DAY = date(2025, 1, 15)  # used when the request has no now_utc

# --- search budgets (bounded so a round stays well under 2 s at 10k) ---------
_PLAN_MAX_PEOPLE = 64
_PLAN_NODE_BUDGET = 12_000  # per attempt, for a round-robin in progress
_PLAN_RESTARTS = 4  # seeded restarts if that fails: backtracking times are heavy-tailed
_PLAN_IRREGULAR_BUDGET = 2_000  # with churn a complete plan may not exist at all
_PHANTOM = -1  # stand-in partner that makes an odd round-robin even
_SWEETEN_PASSES = 4
_NEAR_WINDOW = 24  # greedy: candidates from the pool's tail (same time zones)
_NEAR_SAMPLES = 6
_FAR_SAMPLES = 4  # greedy: candidates from anywhere (mixing zones and teams)
_EXTRA_SAMPLES = 24  # more candidates when the best one is still a repeat
_REPAIR_TRIES = 48  # random swaps tried per bad group
_REPAIR_NEAR = 8  # groups built next to each other share time zones
_SOFT_TRIES = 3
_EXHAUSTIVE_BUDGET = 60_000  # swap evaluations for stubborn repeats
_HILL_CLIMB_MAX_PEOPLE = 60
_HILL_CLIMB_PASSES = 30
_ROTATE_PASSES = 5  # three-group rotations for same-team groups in small rounds


# =============================================================================
# Public data types
# =============================================================================


@dataclass(frozen=True, slots=True)
class Participant:
    """One person opted in to a round.

    ``team`` is whatever the Slack profile offers (team, department or title);
    ``working_hours`` are whole local hours ``(start, end)`` -- ``end`` may be 24
    and a night shift such as ``(22, 6)`` wraps past midnight.
    """

    user_id: str
    team: str = ""
    timezone: str = "UTC"
    channels: frozenset[str] = frozenset()
    working_hours: tuple[int, int] = (9, 17)
    avoid: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        start, end = self.working_hours
        if not (0 <= start < 24 and 0 < end <= 24 and start != end):
            raise ValueError(f"invalid working hours {self.working_hours!r}")


@dataclass(frozen=True, slots=True)
class PastMeeting:
    """Two people were in the same group ``rounds_ago`` rounds ago (1 = last round)."""

    a: str
    b: str
    rounds_ago: int

    def __post_init__(self) -> None:
        if self.rounds_ago < 1:
            raise ValueError("rounds_ago must be >= 1")


class History:
    """Who has met whom, and how many rounds ago they last met.

    Immutable: :meth:`with_round` returns a new history.  Internally each pair
    keeps the *stamp* of the round it last met in, so adding a round costs time
    proportional to that round only.
    """

    __slots__ = ("_clock", "_last")

    def __init__(self, meetings: Iterable[PastMeeting] = ()) -> None:
        self._clock = 0
        self._last: dict[str, dict[str, int]] = {}
        for meeting in meetings:
            # rounds_ago=1 -> stamp 0 == the current clock (the latest round).
            self._stamp(meeting.a, meeting.b, 1 - meeting.rounds_ago)

    @classmethod
    def from_rounds(cls, rounds: Iterable[Iterable[Sequence[str]]]) -> History:
        """Build from past rounds, oldest first; the last one is 1 round ago."""
        history = cls()
        for groups in rounds:
            history._clock += 1
            for group in groups:
                history._stamp_group(group, history._clock)
        return history

    def with_round(self, groups: Iterable[Sequence[str]]) -> History:
        """Return a history where ``groups`` just met and all else aged one round."""
        new = History()
        new._clock = self._clock + 1
        new._last = dict(self._last)  # rows are copied on first write below
        copied: set[str] = set()
        for group in groups:
            members = list(dict.fromkeys(group))
            for a in members:
                if a not in copied:
                    new._last[a] = dict(new._last.get(a, {}))
                    copied.add(a)
                row = new._last[a]
                for b in members:
                    if b != a:
                        row[b] = new._clock
        return new

    def rounds_ago(self, a: str, b: str) -> int | None:
        """How many rounds ago ``a`` and ``b`` last met, or None if never."""
        stamp = self._last.get(a, {}).get(b)
        return None if stamp is None else self._clock - stamp + 1

    def has_met(self, a: str, b: str) -> bool:
        """True when the two have been grouped together before."""
        return b in self._last.get(a, {})

    def partners(self, user_id: str) -> dict[str, int]:
        """Everyone ``user_id`` has met, mapped to rounds ago."""
        row = self._last.get(user_id, {})
        return {other: self._clock - stamp + 1 for other, stamp in sorted(row.items())}

    def meetings(self) -> Iterator[PastMeeting]:
        """Every pair once (``a < b``), in a stable order."""
        for a in sorted(self._last):
            for b, stamp in sorted(self._last[a].items()):
                if a < b:
                    yield PastMeeting(a, b, self._clock - stamp + 1)

    def __len__(self) -> int:
        return sum(len(row) for row in self._last.values()) // 2

    def __repr__(self) -> str:
        return f"History(pairs={len(self)}, rounds_recorded={self._clock})"

    def _stamps(self, user_id: str) -> dict[str, int] | None:
        """Engine access: raw stamps for one user (None when they met nobody)."""
        return self._last.get(user_id)

    def _stamp(self, a: str, b: str, stamp: int) -> None:
        """Record a meeting, keeping the most recent stamp per pair."""
        if a == b:
            return
        for x, y in ((a, b), (b, a)):
            row = self._last.setdefault(x, {})
            if row.get(y, stamp - 1) < stamp:
                row[y] = stamp

    def _stamp_group(self, group: Sequence[str], stamp: int) -> None:
        members = list(dict.fromkeys(group))
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                self._stamp(a, b, stamp)


@dataclass(frozen=True, slots=True)
class MatchRequest:
    """Everything one round needs; ``now_utc`` fixes the day used for time zones."""

    participants: Sequence[Participant]
    group_size: int = 2
    history: History = field(default_factory=History)
    seed: int = 0
    mode: Mode = "coffee"
    now_utc: datetime | None = None

    def __post_init__(self) -> None:
        if not 2 <= self.group_size <= 4:
            raise ValueError("group_size must be between 2 and 4")
        if self.mode not in ("coffee", "breakfast"):
            raise ValueError(f"unknown mode {self.mode!r}")
        if self.now_utc is not None and self.now_utc.tzinfo is None:
            raise ValueError("now_utc must be timezone-aware")


@dataclass(frozen=True, slots=True)
class Group:
    """One coffee/breakfast group and why it was chosen.

    ``score`` is the group's cost (0 = strangers from different teams with a
    shared slot); ``repeat_pairs`` counts pairs inside it that met before.
    """

    members: tuple[str, ...]
    score: int
    repeat_pairs: int
    same_team_pairs: int
    shared_channels: int
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LeftOut:
    """Someone not placed in any group, and why."""

    user_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class MatchResult:
    """The round: groups, anyone left out (normally nobody) and a skip reason."""

    groups: list[Group]
    left_out: list[LeftOut] = field(default_factory=list)
    skipped_reason: str | None = None

    @property
    def member_groups(self) -> list[tuple[str, ...]]:
        """Just the member tuples, e.g. for :meth:`History.with_round`."""
        return [group.members for group in self.groups]

    @property
    def repeat_pairs(self) -> int:
        return sum(group.repeat_pairs for group in self.groups)

    @property
    def score(self) -> int:
        return sum(group.score for group in self.groups)


# =============================================================================
# Public functions
# =============================================================================


def repeat_penalty(rounds_ago: int) -> int:
    """Cost of re-matching a pair that met ``rounds_ago`` rounds ago.

    Never below REPEAT_BASE (so it beats every soft cost) and decaying towards
    it, so when a repeat is unavoidable the oldest acquaintance is chosen.
    """
    ago = max(1, rounds_ago)
    return REPEAT_BASE + int(_REPEAT_RECENT * 0.5 ** ((ago - 1) / _REPEAT_HALF_LIFE))


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


def suggest_slot(
    members: Sequence[Participant], day: date, mode: Mode = "coffee"
) -> datetime | None:
    """A 30-minute UTC slot on ``day`` that suits everyone, or None.

    Coffee: inside everyone's working hours; breakfast: inside everyone's
    morning.  Picks the middle of the longest shared stretch so nobody gets
    their very first or last half hour.  Never returns a time outside anyone's
    working hours.
    """
    if not members:
        return None
    common = _FULL_MASK
    for person in members:
        common &= _availability_mask(person.timezone, person.working_hours, mode, day)
    if not common:
        return None
    start, length = _longest_run(common)
    slot = start + (length - 1) // 2
    return datetime.combine(day, time(0), tzinfo=UTC) + timedelta(minutes=_SLOT_MINUTES * slot)


def match(request: MatchRequest) -> MatchResult:
    """Form one round of groups.  Deterministic for a given request and seed."""
    people = _dedupe(request.participants)
    if len(people) < 2:
        left = [LeftOut(p.user_id, REASON_NOT_ENOUGH) for p in people]
        return MatchResult(groups=[], left_out=left, skipped_reason=REASON_NOT_ENOUGH)

    rng = random.Random(request.seed)
    ctx = _build_context(people, request.history, request.mode, _reference_day(request))
    group_cost = _group_cost_fn(ctx, _pair_cost_fn(ctx))

    islands, loners = _islands(ctx.masks)
    groups: list[list[int]] = []
    for island in islands:
        groups += _form_groups(island, request.group_size, ctx, rng, group_cost)
    groups = _reschedule(groups, request.group_size, ctx, group_cost)
    stranded = [person for person in loners if not _place(person, groups, ctx, group_cost)]
    groups, left_idx = _resolve_avoid(groups, stranded, ctx, group_cost)

    # Indices follow sorted ids, so sorting gives stable, readable output.
    ordered = sorted(sorted(members) for members in groups)
    result_groups = [_make_group(members, ctx, request.mode, group_cost) for members in ordered]
    left_out = [LeftOut(ctx.ids[i], REASON_AVOID) for i in sorted(left_idx)]
    skipped = REASON_AVOID if not result_groups else None
    return MatchResult(groups=result_groups, left_out=left_out, skipped_reason=skipped)


def explain(group: Group | Sequence[str], request: MatchRequest) -> list[str]:
    """Human-readable reasons for a group, e.g. "first meeting", "different teams"."""
    ids = group.members if isinstance(group, Group) else tuple(group)
    by_id = {p.user_id: p for p in _dedupe(request.participants)}
    people = [by_id.get(uid, Participant(uid)) for uid in ids]
    ctx = _build_context(people, request.history, request.mode, _reference_day(request))
    return list(_describe(list(range(len(people))), ctx, request.mode)[0])


# =============================================================================
# Context and cost functions
# =============================================================================


@dataclass(slots=True)
class _Context:
    """Participants flattened into parallel lists indexed 0..n-1 (fast lookups)."""

    ids: list[str]
    teams: list[str]
    channels: list[frozenset[str]]
    masks: list[int]
    avoid: list[frozenset[str] | None]  # symmetric closure, None when empty
    met: list[dict[str, int] | None]  # history stamps per person
    clock: int


def _dedupe(participants: Iterable[Participant]) -> list[Participant]:
    """First entry per user id wins; sorted so input order never matters."""
    unique: dict[str, Participant] = {}
    for person in participants:
        unique.setdefault(person.user_id, person)
    return [unique[uid] for uid in sorted(unique)]


def _reference_day(request: MatchRequest) -> date:
    """The UTC day whose offsets (DST) define availability for this round."""
    if request.now_utc is None:
        return _DEFAULT_DAY
    return request.now_utc.astimezone(UTC).date()


def _build_context(
    people: Sequence[Participant], history: History, mode: Mode, day: date
) -> _Context:
    present = {p.user_id for p in people}
    banned: dict[str, set[str]] = {}
    for person in people:
        for other in person.avoid:
            if other != person.user_id and other in present:
                banned.setdefault(person.user_id, set()).add(other)
                banned.setdefault(other, set()).add(person.user_id)
    return _Context(
        ids=[p.user_id for p in people],
        teams=[p.team.strip().casefold() for p in people],
        channels=[p.channels for p in people],
        masks=[_availability_mask(p.timezone, p.working_hours, mode, day) for p in people],
        avoid=[frozenset(banned[p.user_id]) if p.user_id in banned else None for p in people],
        met=[history._stamps(p.user_id) for p in people],
        clock=history._clock,
    )


_REPEAT_TABLE = [repeat_penalty(ago) for ago in range(200)]


def _pair_cost_fn(ctx: _Context) -> Callable[[int, int], int]:
    """Build the hot pair-cost function over local variables (no attribute lookups)."""
    ids, teams, channels = ctx.ids, ctx.teams, ctx.channels
    avoid, met, clock = ctx.avoid, ctx.met, ctx.clock
    table, last = _REPEAT_TABLE, len(_REPEAT_TABLE) - 1

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
        mine = channels[i]
        if mine:
            theirs = channels[j]
            if theirs:
                shared = len(mine & theirs)
                cost += CHANNEL_PENALTY * (shared if shared < CHANNEL_CAP else CHANNEL_CAP)
        return cost

    return pair_cost


def _group_cost_fn(
    ctx: _Context, pair_cost: Callable[[int, int], int]
) -> Callable[[list[int]], int]:
    """Group cost = sum of pair costs + schedule penalty (pairs fast-pathed)."""
    masks = ctx.masks

    def group_cost(members: list[int]) -> int:
        if len(members) == 2:
            a, b = members
            cost = pair_cost(a, b)
            if not masks[a] & masks[b]:
                cost += SCHEDULE_PENALTY * (1 if masks[a] | masks[b] else 2)
            return cost
        total = 0
        common = _FULL_MASK
        for x, i in enumerate(members):
            common &= masks[i]
            for j in members[x + 1 :]:
                total += pair_cost(i, j)
        if not common:
            total += SCHEDULE_PENALTY * _unscheduled(tuple(sorted(masks[i] for i in members)))
        return total

    return group_cost


@lru_cache(maxsize=65_536)
def _unscheduled(masks: tuple[int, ...]) -> int:
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


# =============================================================================
# Time zones
# =============================================================================


@lru_cache(maxsize=512)
def _zone(name: str) -> ZoneInfo:
    """Resolve an IANA name; unknown names count as UTC rather than failing a round."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _minute_ok(minute: int, hours: tuple[int, int], mode: Mode) -> bool:
    """Is this local minute of the day inside working hours (and the morning)?"""
    hour = minute // 60
    start, end = hours
    working = start <= hour < end if start < end else (hour >= start or hour < end)
    if mode == "breakfast":
        return working and _MORNING[0] <= hour < _MORNING[1]
    return working


@lru_cache(maxsize=8192)
def _availability_mask(tz_name: str, hours: tuple[int, int], mode: Mode, day: date) -> int:
    """Bit s set <=> the UTC half hour starting at s*30 min on ``day`` fits fully.

    Cached: a community has few distinct (zone, hours) combinations, so 10k
    people cost a handful of zoneinfo conversions.  Checking both ends of the
    half hour suffices because windows are whole hours (no gap fits inside).
    """
    zone = _zone(tz_name)
    midnight = datetime.combine(day, time(0), tzinfo=UTC)
    mask = 0
    for slot in range(_SLOTS_PER_DAY):
        local = (midnight + timedelta(minutes=_SLOT_MINUTES * slot)).astimezone(zone)
        minute = local.hour * 60 + local.minute
        last_minute = (minute + _SLOT_MINUTES - 1) % (24 * 60)
        if _minute_ok(minute, hours, mode) and _minute_ok(last_minute, hours, mode):
            mask |= 1 << slot
    return mask


def _longest_run(mask: int) -> tuple[int, int]:
    """(start slot, length) of the longest run of set bits within the day."""
    best_start, best_len, start = 0, 0, -1
    for slot in range(_SLOTS_PER_DAY + 1):
        on = slot < _SLOTS_PER_DAY and bool(mask >> slot & 1)
        if on and start < 0:
            start = slot
        elif not on and start >= 0:
            if slot - start > best_len:
                best_start, best_len = start, slot - start
            start = -1
    return best_start, best_len


@lru_cache(maxsize=4096)
def _zone_order_key(mask: int) -> int:
    """Where a person's availability starts in the UTC day (wrapping aware).

    Sorting the pool by this puts people who can meet next to each other, so
    the greedy's "nearby" candidates are usually schedulable.
    """
    if mask == 0:
        return -1
    for slot in range(_SLOTS_PER_DAY):
        previous = (slot - 1) % _SLOTS_PER_DAY
        if mask >> slot & 1 and not mask >> previous & 1:
            return slot
    return 0  # available all day


def _format_slot(slot: int) -> str:
    minutes = slot * _SLOT_MINUTES
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@lru_cache(maxsize=4096)
def _describe_window(mask: int) -> str:
    start, length = _longest_run(mask)
    return f"{_format_slot(start)}–{_format_slot(start + length)} UTC"


# =============================================================================
# Construction
# =============================================================================


def _islands(masks: list[int]) -> tuple[list[list[int]], list[int]]:
    """Split people into islands that can meet (connected via shared slots).

    Breakfast mornings are one to three hours, so time zones usually split a
    community into islands that cannot breakfast together; matching each
    island on its own keeps every group schedulable (an odd island gets its
    own trio).  People sharing a slot with nobody come back as loners.  When
    nobody shares a slot at all, everyone forms one island and the schedule
    penalty (and the reasons) tell the story.
    """
    distinct = sorted(set(masks))
    root = list(range(len(distinct)))

    def find(x: int) -> int:
        while root[x] != x:
            root[x] = root[root[x]]
            x = root[x]
        return x

    for a, mask_a in enumerate(distinct):
        for b in range(a + 1, len(distinct)):
            if mask_a & distinct[b]:
                root[find(b)] = find(a)
    position = {mask: find(k) for k, mask in enumerate(distinct)}
    by_root: dict[int, list[int]] = {}
    for person, mask in enumerate(masks):
        by_root.setdefault(position[mask] if mask else -1 - person, []).append(person)
    islands = sorted((members for members in by_root.values() if len(members) > 1), key=min)
    loners = sorted(members[0] for members in by_root.values() if len(members) == 1)
    if not islands:
        return [list(range(len(masks)))], []
    return islands, loners


def _form_groups(
    members: list[int],
    group_size: int,
    ctx: _Context,
    rng: random.Random,
    group_cost: Callable[[list[int]], int],
) -> list[list[int]]:
    """Groups for one island: a round-robin plan for small rounds of pairs, else greedy."""
    groups: list[list[int]] | None = None
    if group_size == 2 and 3 <= len(members) <= _PLAN_MAX_PEOPLE:
        groups = _plan_pairs(members, ctx.ids, rng, group_cost)
        if groups is not None and any(group_cost(g) >= REPEAT_BASE for g in groups):
            _improve(groups, rng, group_cost, len(members))  # e.g. the trio had to repeat
    if groups is None:
        order = members.copy()
        rng.shuffle(order)
        groups = _greedy(ctx, order, group_sizes(len(members), group_size), rng, group_cost)
        _improve(groups, rng, group_cost, len(members))
    return groups


class _BudgetExceeded(Exception):
    """Raised inside the round-robin search when its node budget runs out."""


class _RoundRobinPlanner:
    """Backtracking search for disjoint perfect matchings in the unmet graph.

    ``available[v]`` holds the people ``v`` may still meet without a repeat.
    A plan is ``target`` such matchings: the coming rounds all repeat-free.
    Soft costs stay out of the search: preferring cross-team partners while
    planning walks into traps (two odd-sized teams that only ever meet across
    end with two odd cliques, which have no perfect matching).  _sweeten
    applies them to the round actually played.
    """

    def __init__(
        self, available: list[set[int]], soft: dict[tuple[int, int], int], target: int
    ) -> None:
        self.available = available
        self.soft = soft  # kept for _sweeten
        self.target = target
        degrees = {len(neighbours) for neighbours in available}
        self.degree = min(degrees)
        # Regular = a round-robin in progress (with a phantom, adjacent to
        # all, it never is): a plan surely exists, so search harder.
        self.regular = len(degrees) == 1
        self.budget = _PLAN_NODE_BUDGET if self.regular else _PLAN_IRREGULAR_BUDGET
        self.nodes = 0
        self.rounds: list[list[tuple[int, int]]] = []

    def run(self) -> list[list[tuple[int, int]]] | None:
        """A complete plan, or None if none was found within budget."""
        with contextlib.suppress(_BudgetExceeded):
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
            raise _BudgetExceeded
        vertex = -1
        for v, count in enumerate(free):
            if partner[v] < 0 and (vertex < 0 or count < free[vertex]):
                vertex = v
        if vertex < 0:
            yield list(pairs)
            return
        options = [u for u in self.available[vertex] if partner[u] < 0]
        options.sort(key=lambda u: (free[u], u))  # fail fast: fewest options first
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


def _plan_pairs(
    members: list[int], ids: list[str], rng: random.Random, group_cost: Callable[[list[int]], int]
) -> list[list[int]] | None:
    """This round's pairs from a complete plan of repeat-free rounds, or None.

    Stateless: each round re-plans from history alone.  In a stable group the
    unmet graph is regular (everyone has met equally many) and, whatever round
    of last week's plan was played, the rest of that plan still covers what is
    left -- so a plan exists and the search spends a full budget, with seeded
    restarts for the heavy tail of backtracking.  With churn the graph is
    irregular, a complete plan may not exist, and the sampled heuristic does
    as well on repeats while mixing teams better: one small attempt, then None.
    """
    canonical = sorted(members, key=lambda i: (zlib.crc32(ids[i].encode()), ids[i]))
    if len(members) % 2:
        canonical.append(_PHANTOM)  # odd count: whoever "meets" the phantom joins a trio
    for attempt in range(1 + _PLAN_RESTARTS):
        ordering = canonical.copy()
        if attempt:
            rng.shuffle(ordering)
        planner = _build_planner(ordering, group_cost)
        if planner is None:
            return None
        plan = planner.run()
        if plan is not None:
            break
        if not planner.regular:
            return None
    else:
        return None
    # End-game of a round-robin: play the canonical plan's first round
    # untouched.  Next week's search then starts from exactly the state below
    # that round in this week's search tree, so it replays the part that
    # succeeded and re-finds the rest of the plan within budget -- the
    # round-robin survives to the last round.  Before the end-game the graph
    # is dense enough to sweeten the round freely.
    replay = attempt == 0 and planner.regular and planner.target == planner.degree
    played = plan[0] if replay else _sweeten(plan, planner.soft)
    return _with_trio([[ordering[a], ordering[b]] for a, b in played], group_cost)


def _sweeten(
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
                improved |= _swap_cheaper_cycles(mates[played], mates[other], soft)
        if not improved:
            break
    mine = mates[played]
    taken = {(v, u) for r, mate in enumerate(mates) if r != played for v, u in mate.items()}
    return _two_opt(sorted((v, u) for v, u in mine.items() if v < u), soft, taken)


def _two_opt(
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


def _swap_cheaper_cycles(
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


def _with_trio(pairs: list[list[int]], group_cost: Callable[[list[int]], int]) -> list[list[int]]:
    """Replace the phantom's pair by adding its real member to the cheapest other pair."""
    lone = next((pair for pair in pairs if _PHANTOM in pair), None)
    if lone is None:
        return pairs
    person = lone[0] if lone[1] == _PHANTOM else lone[1]
    groups = [pair for pair in pairs if pair is not lone]
    host = min(range(len(groups)), key=lambda g: (group_cost([*groups[g], person]), g))
    groups[host] = [*groups[host], person]
    return groups


def _build_planner(
    order: list[int], group_cost: Callable[[list[int]], int]
) -> _RoundRobinPlanner | None:
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
    if degree == 0 or _odd_components(available, skip=phantom) > (phantom >= 0):
        return None
    # Looking further ahead than ~n/2 rounds buys little: regular graphs of
    # degree >= about n/2 split into perfect matchings (the 1-factorisation
    # conjecture, proven for large n), so choices made while the unmet graph
    # is that dense do not trap later rounds -- and it halves the search.
    return _RoundRobinPlanner(available, soft, min(degree, n // 2 + 1))


def _odd_components(available: list[set[int]], skip: int) -> int:
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


def _greedy(
    ctx: _Context,
    order: list[int],
    sizes: list[int],
    rng: random.Random,
    group_cost: Callable[[list[int]], int],
) -> list[list[int]]:
    """Fill groups one by one with the cheapest of a few sampled candidates.

    The pool is the shuffled order stably sorted by time zone, consumed from
    the end: the tail holds people who can meet the current seed, and a few
    candidates from anywhere keep teams and zones mixing.
    """
    zone_key = [_zone_order_key(mask) for mask in ctx.masks]
    pool = sorted(order, key=zone_key.__getitem__)
    rnd = rng.random
    groups: list[list[int]] = []
    for size in sizes:
        members = [pool.pop()]
        while len(members) < size:
            position = _pick_candidate(members, pool, rnd, group_cost)
            members.append(pool.pop(position))
        groups.append(members)
    return groups


def _pick_candidate(
    members: list[int],
    pool: list[int],
    rnd: Callable[[], float],
    group_cost: Callable[[list[int]], int],
) -> int:
    """Pool position of the best sampled addition to ``members``."""
    size = len(pool)
    window = min(_NEAR_WINDOW, size)
    positions = [size - 1 - int(rnd() * window) for _ in range(_NEAR_SAMPLES)]
    positions += [int(rnd() * size) for _ in range(_FAR_SAMPLES)]
    best_position, best_cost = _cheapest(members, pool, positions, group_cost)
    if best_cost >= REPEAT_BASE:  # "while any unmatched alternative exists": look harder
        positions = [int(rnd() * size) for _ in range(_EXTRA_SAMPLES)]
        position, cost = _cheapest(members, pool, positions, group_cost)
        if cost < best_cost:
            best_position, best_cost = position, cost
    if best_cost >= FORBIDDEN:  # rare: scan everyone for someone allowed
        position, cost = _cheapest(members, pool, range(size), group_cost)
        if cost < best_cost:
            best_position = position
    return best_position


def _cheapest(
    members: list[int],
    pool: list[int],
    positions: Iterable[int],
    group_cost: Callable[[list[int]], int],
) -> tuple[int, int]:
    """(position, cost) of the cheapest candidate; earliest wins ties (determinism)."""
    best_position, best_cost = -1, -1
    for position in positions:
        cost = group_cost([*members, pool[position]])
        if best_position < 0 or cost < best_cost:
            best_position, best_cost = position, cost
    return best_position, best_cost


# =============================================================================
# Local improvement
# =============================================================================


def _swap_delta(
    groups: list[list[int]],
    costs: list[int],
    g: int,
    p: int,
    h: int,
    q: int,
    group_cost: Callable[[list[int]], int],
) -> tuple[int, list[int], list[int], int, int]:
    """Cost change of swapping groups[g][p] with groups[h][q], plus the new groups."""
    new_g = groups[g].copy()
    new_h = groups[h].copy()
    new_g[p], new_h[q] = new_h[q], new_g[p]
    cost_g = group_cost(new_g)
    cost_h = group_cost(new_h)
    return cost_g + cost_h - costs[g] - costs[h], new_g, new_h, cost_g, cost_h


def _try_swap(
    groups: list[list[int]],
    costs: list[int],
    g: int,
    p: int,
    h: int,
    q: int,
    group_cost: Callable[[list[int]], int],
) -> bool:
    """Apply the swap if it lowers the total cost."""
    delta, new_g, new_h, cost_g, cost_h = _swap_delta(groups, costs, g, p, h, q, group_cost)
    if delta >= 0:
        return False
    groups[g], groups[h], costs[g], costs[h] = new_g, new_h, cost_g, cost_h
    return True


def _improve(
    groups: list[list[int]],
    rng: random.Random,
    group_cost: Callable[[list[int]], int],
    people: int,
) -> None:
    """Swap members between groups while the total cost drops (bounded work)."""
    if len(groups) < 2:
        return
    costs = [group_cost(members) for members in groups]
    if people <= _HILL_CLIMB_MAX_PEOPLE:
        _hill_climb(groups, costs, group_cost)
    _repair_sampled(groups, costs, rng, group_cost)
    _repair_exhaustive(groups, costs, group_cost)
    _polish(groups, costs, rng, group_cost, budget=2 * people)
    if people <= _HILL_CLIMB_MAX_PEOPLE and _rotate_same_team(groups, costs, group_cost):
        _hill_climb(groups, costs, group_cost)


def _hill_climb(
    groups: list[list[int]], costs: list[int], group_cost: Callable[[list[int]], int]
) -> None:
    """Small rounds: try every swap until none helps (a true local optimum)."""
    for _ in range(_HILL_CLIMB_PASSES):
        improved = False
        for g in range(len(groups)):
            for h in range(g + 1, len(groups)):
                for p in range(len(groups[g])):
                    for q in range(len(groups[h])):
                        improved |= _try_swap(groups, costs, g, p, h, q, group_cost)
        if not improved:
            return


def _rotate_same_team(
    groups: list[list[int]], costs: list[int], group_cost: Callable[[list[int]], int]
) -> bool:
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
            improved |= _rotate_one(groups, costs, g, group_cost)
        changed |= improved
        if not improved:
            break
    return changed


def _rotate_one(
    groups: list[list[int]], costs: list[int], g: int, group_cost: Callable[[list[int]], int]
) -> bool:
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


def _random_partner_group(g: int, count: int, near: bool, rnd: Callable[[], float]) -> int:
    """A nearby group (likely same time zones) or any group; may return g itself."""
    if near:
        h = g + int(rnd() * (2 * _REPAIR_NEAR + 1)) - _REPAIR_NEAR
        return min(max(h, 0), count - 1)
    return int(rnd() * count)


def _repair_sampled(
    groups: list[list[int]],
    costs: list[int],
    rng: random.Random,
    group_cost: Callable[[list[int]], int],
) -> None:
    """For each group with a repeat/schedule/avoid problem, try random swaps until fixed."""
    rnd = rng.random
    count = len(groups)
    for g in range(count):
        tries = 0
        while costs[g] >= REPEAT_BASE and tries < _REPAIR_TRIES:
            tries += 1
            h = _random_partner_group(g, count, tries % 2 == 1, rnd)
            if h == g:
                continue
            p = int(rnd() * len(groups[g]))
            q = int(rnd() * len(groups[h]))
            _try_swap(groups, costs, g, p, h, q, group_cost)


def _repair_exhaustive(
    groups: list[list[int]], costs: list[int], group_cost: Callable[[list[int]], int]
) -> None:
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
                        delta = _swap_delta(groups, costs, g, p, h, q, group_cost)[0]
                        if delta < best_delta:
                            best, best_delta = (g, p, h, q), delta
            if best is None:
                break
            _try_swap(groups, costs, *best, group_cost)


def _polish(
    groups: list[list[int]],
    costs: list[int],
    rng: random.Random,
    group_cost: Callable[[list[int]], int],
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
            h = _random_partner_group(g, count, attempt % 2 == 0, rnd)
            if h != g:
                p = int(rnd() * len(groups[g]))
                q = int(rnd() * len(groups[h]))
                _try_swap(groups, costs, g, p, h, q, group_cost)


# =============================================================================
# Avoid constraints: the last line of defence
# =============================================================================


def _conflicts(i: int, members: Iterable[int], ctx: _Context) -> int:
    banned = ctx.avoid[i]
    if banned is None:
        return 0
    return sum(1 for j in members if j != i and ctx.ids[j] in banned)


def _reschedule(
    groups: list[list[int]], group_size: int, ctx: _Context, group_cost: Callable[[list[int]], int]
) -> list[list[int]]:
    """Move people out of groups that cannot meet into groups where they fit.

    Overlap is not transitive (A and B share a morning, B and C too, A and C
    not), so parity inside an island can still force a group with no common
    slot.  Its members who cannot make the group's best slot -- everyone, if
    fewer than two would remain -- each join a different group that stays
    schedulable, repeat-free and conflict-free and is not above ``group_size``
    yet (so it ends at most one larger).  If anyone has no such home the group
    is left as it is; its reasons say the slot is missing.
    """
    masks = ctx.masks
    used: set[int] = set()
    for g, members in enumerate(groups):
        if len(members) < 2 or group_cost(members) < SCHEDULE_PENALTY:
            continue
        leaving = _cannot_make_best_slot(members, masks)
        if len(members) - len(leaving) < 2:
            leaving = members.copy()
        moves: list[tuple[int, int]] = []
        for person in leaving:
            home = _fitting_home(person, groups, group_size, used | {g}, ctx, group_cost)
            if home is None:
                break
            moves.append((person, home))
            used.add(home)
        if len(moves) < len(leaving):
            used.difference_update(home for _, home in moves)
            continue
        for person, home in moves:
            members.remove(person)
            groups[home].append(person)
        used.add(g)
    return [members for members in groups if members]


def _cannot_make_best_slot(members: list[int], masks: list[int]) -> list[int]:
    """Members not free at the slot most of the group can make (earliest on ties)."""
    union = 0
    for i in members:
        union |= masks[i]
    best_bit, best_count = 0, 0
    while union:
        bit = union & -union
        count = sum(1 for i in members if masks[i] & bit)
        if count > best_count:
            best_bit, best_count = bit, count
        union ^= bit
    return [i for i in members if not masks[i] & best_bit]


def _fitting_home(
    person: int,
    groups: list[list[int]],
    group_size: int,
    exclude: set[int],
    ctx: _Context,
    group_cost: Callable[[list[int]], int],
) -> int | None:
    """The cheapest group ``person`` can join without a repeat, conflict or lost slot."""
    best: tuple[int, int] | None = None
    for h, members in enumerate(groups):
        if h in exclude or not 2 <= len(members) <= group_size:
            continue
        common = ctx.masks[person]
        for i in members:
            common &= ctx.masks[i]
        if not common or _conflicts(person, members, ctx):
            continue
        delta = group_cost([*members, person]) - group_cost(members)
        if delta < REPEAT_BASE and (best is None or (delta, h) < best):
            best = (delta, h)
    return None if best is None else best[1]


def _place(
    person: int, groups: list[list[int]], ctx: _Context, group_cost: Callable[[list[int]], int]
) -> bool:
    """Put ``person`` in a group with nobody they avoid; False if no way was found.

    First choice: join the smallest (then cheapest) conflict-free group.
    Otherwise split a group of three or more: one member the person may meet
    leaves to pair with them, and the rest (still two or more) stays as it was.
    """
    join: tuple[int, int, int] | None = None
    split: tuple[int, int, int] | None = None
    for g, members in enumerate(groups):
        if len(members) < 2:
            continue
        if not _conflicts(person, members, ctx):
            key = (len(members), group_cost([*members, person]) - group_cost(members), g)
            join = key if join is None or key < join else join
        elif len(members) >= 3:
            for x, member in enumerate(members):
                if not _conflicts(person, [member], ctx):
                    rest = members[:x] + members[x + 1 :]
                    cost = group_cost([member, person]) + group_cost(rest) - group_cost(members)
                    key = (cost, g, x)
                    split = key if split is None or key < split else split
    if join is not None:
        groups[join[2]].append(person)
        return True
    if split is not None:
        _, g, x = split
        groups.append([groups[g].pop(x), person])
        return True
    return False


def _resolve_avoid(
    groups: list[list[int]],
    stranded: list[int],
    ctx: _Context,
    group_cost: Callable[[list[int]], int],
) -> tuple[list[list[int]], list[int]]:
    """Guarantee no group holds an avoid pair; returns (groups, left out).

    The swaps have already tried to separate conflicts without changing group
    sizes; here the most-conflicted member of a conflicted group is re-placed
    (see _place), and a member left alone by that is re-placed too.  People
    nobody can take may still pair up among themselves; only the rest are
    left out -- the truly impossible case.
    """
    groups = [members.copy() for members in groups]
    homeless = stranded.copy()
    while True:
        bad = next(
            (g for g, ms in enumerate(groups) if any(_conflicts(i, ms, ctx) for i in ms)), None
        )
        if bad is None:
            break
        members = groups[bad]
        worst = max(members, key=lambda i: (_conflicts(i, members, ctx), ctx.ids[i]))
        members.remove(worst)
        moving = [worst]
        if len(members) == 1:  # never leave anyone alone
            moving.append(members.pop())
        homeless += [person for person in moving if not _place(person, groups, ctx, group_cost)]
    groups = [members for members in groups if members]
    left: list[int] = []
    for person in sorted(homeless):
        partner = next((x for x in left if not _conflicts(person, [x], ctx)), None)
        if partner is not None:
            left.remove(partner)
            groups.append([partner, person])
        elif not _place(person, groups, ctx, group_cost):
            left.append(person)
    return groups, left


# =============================================================================
# Results and explanations
# =============================================================================


def _describe(
    members: list[int], ctx: _Context, mode: Mode
) -> tuple[tuple[str, ...], int, int, int]:
    """Reasons plus (repeat pairs, same-team pairs, shared channels) for a group."""
    repeats: list[str] = []
    same_team = shared = 0
    for x, i in enumerate(members):
        stamps = ctx.met[i]
        for j in members[x + 1 :]:
            stamp = None if stamps is None else stamps.get(ctx.ids[j])
            if stamp is not None:
                ago = ctx.clock - stamp + 1
                unit = "round" if ago == 1 else "rounds"
                repeats.append(f"{ctx.ids[i]} and {ctx.ids[j]} met {ago} {unit} ago")
            if ctx.teams[i] and ctx.teams[i] == ctx.teams[j]:
                same_team += 1
            shared += len(ctx.channels[i] & ctx.channels[j])
    reasons = [*repeats] if repeats else ["first meeting"]

    teams = [ctx.teams[i] for i in members]
    if all(teams):
        distinct = len(set(teams))
        if distinct == len(teams):
            reasons.append("different teams")
        else:
            reasons.append("same team" if distinct == 1 else "mixed teams")
    if any(ctx.channels[i] for i in members):
        reasons.append(
            "no shared channels" if shared == 0 else f"share {shared} channel{'s' * (shared != 1)}"
        )

    common = _FULL_MASK
    for i in members:
        common &= ctx.masks[i]
    if mode == "breakfast":
        reasons.append(
            f"mornings overlap {_describe_window(common)}" if common else "mornings don't overlap"
        )
    else:
        reasons.append(
            f"working hours overlap {_describe_window(common)}"
            if common
            else "no shared working hours"
        )
    return tuple(reasons), len(repeats), same_team, shared


def _make_group(
    members: list[int], ctx: _Context, mode: Mode, group_cost: Callable[[list[int]], int]
) -> Group:
    reasons, repeats, same_team, shared = _describe(members, ctx, mode)
    return Group(
        members=tuple(ctx.ids[i] for i in members),
        score=group_cost(members),
        repeat_pairs=repeats,
        same_team_pairs=same_team,
        shared_channels=shared,
        reasons=reasons,
    )
