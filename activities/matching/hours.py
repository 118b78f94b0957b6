"""Time zones and working hours: when people can meet, and the slot to suggest.

Availability is computed per 30-minute UTC slot of the week from one day (the
UTC date of the round's ``now_utc``; a fixed mid-January day when it is None,
so results stay deterministic) as a bit mask: bit ``d * SLOTS_PER_DAY + s`` is
slot ``s`` of day ``d`` of that week.  A slot counts for a person only if the
whole half hour lies inside their local working hours on one of their working
days (and, for breakfast, inside their local morning 07:00-10:00), so people
with no common day share no slot, like people whose hours never meet.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from activities import working_week
from activities.matching.request import MatchRequest, Mode, Participant
from activities.matching.unionfind import DisjointSets

# --- time model -------------------------------------------------------------
SLOT_MINUTES = 30
SLOTS_PER_DAY = 24 * 60 // SLOT_MINUTES
WEEK = 7
DAY_MASK = (1 << SLOTS_PER_DAY) - 1
FULL_MASK = (1 << SLOTS_PER_DAY * WEEK) - 1
MORNING = (7, 10)  # local breakfast window, intersected with working hours
DEFAULT_DAY = date(2025, 1, 15)  # used when the request has no now_utc


def suggest_slot(
    members: Sequence[Participant], day: date, mode: Mode = "coffee"
) -> datetime | None:
    """A 30-minute UTC slot that suits everyone on ``day`` or, failing that, on the
    first later day of its week that does, or None.

    Coffee: inside everyone's working hours on a working day of theirs;
    breakfast: inside everyone's morning.  Picks the middle of the day's longest
    shared stretch so nobody gets their very first or last half hour.  Never
    returns a time outside anyone's working hours or days.
    """
    if not members:
        return None
    common = FULL_MASK
    for person in members:
        common &= availability_mask(person.timezone, person.working_hours, person.days, mode, day)
    found = first_day(common)
    if found is None:
        return None
    offset, today = found
    start, length = longest_run(today)
    slot = offset * SLOTS_PER_DAY + start + (length - 1) // 2
    return datetime.combine(day, time(0), tzinfo=UTC) + timedelta(minutes=SLOT_MINUTES * slot)


def first_day(mask: int) -> tuple[int, int] | None:
    """(days after the week's first, that day's slots) of the first day with a slot."""
    for offset in range(WEEK):
        today = mask >> offset * SLOTS_PER_DAY & DAY_MASK
        if today:
            return offset, today
    return None


@lru_cache(maxsize=512)
def resolve_zone(name: str) -> ZoneInfo:
    """Resolve an IANA name; unknown names count as UTC rather than failing a round."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_ok(local: datetime, hours: tuple[int, int], days: frozenset[int], mode: Mode) -> bool:
    """Is this local moment inside working hours on a working day (and the morning)?"""
    start, end = hours
    working = working_week.works(start, end, days, local.weekday(), local.hour)
    if mode == "breakfast":
        return working and MORNING[0] <= local.hour < MORNING[1]
    return working


@lru_cache(maxsize=8192)
def availability_mask(
    tz_name: str, hours: tuple[int, int], days: frozenset[int], mode: Mode, day: date
) -> int:
    """Bit s set <=> the UTC half hour starting s*30 min after ``day``'s midnight (in
    the week from it) fits fully.

    Cached: a community has few distinct (zone, hours, days) combinations, so
    10k people cost a handful of zoneinfo conversions.  Checking both ends of
    the half hour suffices because windows are whole hours (no gap fits inside).
    """
    zone = resolve_zone(tz_name)
    midnight = datetime.combine(day, time(0), tzinfo=UTC)
    last = timedelta(minutes=SLOT_MINUTES - 1)
    mask = 0
    for slot in range(SLOTS_PER_DAY * WEEK):
        begins = midnight + timedelta(minutes=SLOT_MINUTES * slot)
        if local_ok(begins.astimezone(zone), hours, days, mode) and local_ok(
            (begins + last).astimezone(zone), hours, days, mode
        ):
            mask |= 1 << slot
    return mask


def longest_run(mask: int) -> tuple[int, int]:
    """(start slot, length) of the longest run of set bits within the day."""
    best_start, best_len, start = 0, 0, -1
    for slot in range(SLOTS_PER_DAY + 1):
        on = slot < SLOTS_PER_DAY and bool(mask >> slot & 1)
        if on and start < 0:
            start = slot
        elif not on and start >= 0:
            if slot - start > best_len:
                best_start, best_len = start, slot - start
            start = -1
    return best_start, best_len


@lru_cache(maxsize=4096)
def zone_order_key(mask: int) -> int:
    """Where a person's availability starts in the UTC day (wrapping aware).

    Sorting the pool by this puts people who can meet next to each other, so
    the greedy's "nearby" candidates are usually schedulable.  The week's days
    are laid over one another: the order is by time of day.
    """
    mask = fold_week(mask)
    if mask == 0:
        return -1
    for slot in range(SLOTS_PER_DAY):
        previous = (slot - 1) % SLOTS_PER_DAY
        if mask >> slot & 1 and not mask >> previous & 1:
            return slot
    return 0  # available all day


def format_slot(slot: int) -> str:
    minutes = slot * SLOT_MINUTES
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def fold_week(mask: int) -> int:
    """The slots of the day that are free on any day of the week."""
    folded = 0
    while mask:
        folded |= mask & DAY_MASK
        mask >>= SLOTS_PER_DAY
    return folded


@lru_cache(maxsize=4096)
def describe_window(mask: int, day: date) -> str:
    """The longest stretch on the first day of the week (from ``day``) that has one,
    named by its weekday when that is not ``day`` itself."""
    found = first_day(mask)
    offset, slots = found if found else (0, 0)
    start, length = longest_run(slots)
    window = f"{format_slot(start)}–{format_slot(start + length)} UTC"
    return f"{(day + timedelta(days=offset)):%a} {window}" if offset else window


def split_islands(masks: list[int]) -> tuple[list[list[int]], list[int]]:
    """Split people into islands that can meet (connected via shared slots).

    Breakfast mornings are one to three hours, so time zones usually split a
    community into islands that cannot breakfast together; matching each
    island on its own keeps every group schedulable (an odd island gets its
    own trio).  People sharing a slot with nobody come back as loners.  When
    nobody shares a slot at all, everyone forms one island and the schedule
    penalty (and the reasons) tell the story.
    """
    distinct = sorted(set(masks))
    sets = DisjointSets(len(distinct))
    for a, mask_a in enumerate(distinct):
        for b in range(a + 1, len(distinct)):
            if mask_a & distinct[b]:
                sets.join(a, b)
    position = {mask: sets.find(k) for k, mask in enumerate(distinct)}
    by_root: dict[int, list[int]] = {}
    for person, mask in enumerate(masks):
        by_root.setdefault(position[mask] if mask else -1 - person, []).append(person)
    found = sorted((members for members in by_root.values() if len(members) > 1), key=min)
    loners = sorted(members[0] for members in by_root.values() if len(members) == 1)
    if not found:
        return [list(range(len(masks)))], []
    return found, loners


def reference_day(request: MatchRequest) -> date:
    """The UTC day whose offsets (DST) define availability for this round."""
    if request.now_utc is None:
        return DEFAULT_DAY
    return request.now_utc.astimezone(UTC).date()
