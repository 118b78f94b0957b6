"""Shared channels and working hours change who is grouped, in every path of the engine.

Each case builds a crowd whose grouping the input decides, matches it with
and without that input (a control), and checks the input made the difference:
pairs planned for small rounds, the trio of an odd round, the greedy for
large rounds, groups of three and four, and breakfast slots.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from itertools import combinations
from zoneinfo import ZoneInfo

import pytest

from activities.matching import MatchRequest, MatchResult, Participant, match, suggest_slot

DAY = date(2025, 1, 15)
NOW = datetime(2025, 1, 15, 6, 0, tzinfo=UTC)

# (people, group size): planned pairs, an odd round with its trio, greedy
# pairs beyond the planner, threes, fours, and a large round of fours.
PATHS = [(12, 2), (13, 2), (150, 2), (18, 3), (24, 4), (400, 4)]


def by_id(crowd: list[Participant]) -> dict[str, Participant]:
    return {p.user_id: p for p in crowd}


def mixed_groups(result: MatchResult, label: dict[str, str], a: str, b: str) -> int:
    """Groups holding someone labelled ``a`` and someone labelled ``b``."""
    return sum(1 for g in result.groups if {a, b} <= {label[uid] for uid in g.members})


# --- working hours -----------------------------------------------------------------

# Three shifts in one time zone: early overlaps day, day overlaps late, early
# and late never overlap.  Channels pull early and late together (they share
# none, while everyone else shares many), so only working hours keep them apart.
SHIFTS = {"early": (6, 12), "day": (10, 16), "late": (14, 20)}
SHIFT_CHANNELS = {
    "early": frozenset({"c1", "c2", "c3", "c4", "c5"}),
    "day": frozenset({"c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9", "c10"}),
    "late": frozenset({"c6", "c7", "c8", "c9", "c10"}),
}


def shift_crowd(
    count: int, hours: bool = True, shifts: dict[str, tuple[int, int]] = SHIFTS
) -> tuple[list[Participant], dict[str, str]]:
    """``count`` people in three shifts; without ``hours`` all work 9-17."""
    names = list(shifts)
    crowd, label = [], {}
    for i in range(count):
        shift = names[i % 3]
        uid = f"U{i:03d}"
        label[uid] = shift
        crowd.append(
            Participant(
                uid,
                channels=SHIFT_CHANNELS[shift],
                working_hours=shifts[shift] if hours else (9, 17),
            )
        )
    return crowd, label


@pytest.mark.parametrize(("count", "size"), PATHS)
def test_working_hours_keep_people_who_cannot_meet_apart(count: int, size: int) -> None:
    crowd, label = shift_crowd(count)
    control, _ = shift_crowd(count, hours=False)
    result = match(MatchRequest(crowd, size, seed=3, now_utc=NOW))
    without = match(MatchRequest(control, size, seed=3, now_utc=NOW))
    assert mixed_groups(without, label, "early", "late") > 0  # channels alone mix them
    assert mixed_groups(result, label, "early", "late") == 0
    people = by_id(crowd)
    for group in result.groups:
        slot = suggest_slot([people[uid] for uid in group.members], DAY)
        assert slot is not None, group.reasons
        assert any(r.startswith("working hours overlap") for r in group.reasons)


# Breakfast is 07-10 local, intersected with working hours: an early shift
# (06-09) breakfasts 07-09, a day shift (08-16) 08-10, a late one (09-17)
# 09-10 -- early and late share working hours with the day shift but no
# morning with each other.
MORNING_SHIFTS = {"early": (6, 9), "day": (8, 16), "late": (9, 17)}


@pytest.mark.parametrize(("count", "size"), PATHS)
def test_breakfast_keeps_people_without_a_shared_morning_apart(count: int, size: int) -> None:
    crowd, label = shift_crowd(count, shifts=MORNING_SHIFTS)
    control, _ = shift_crowd(count, hours=False)
    result = match(MatchRequest(crowd, size, seed=4, mode="breakfast", now_utc=NOW))
    without = match(MatchRequest(control, size, seed=4, mode="breakfast", now_utc=NOW))
    assert mixed_groups(without, label, "early", "late") > 0
    assert mixed_groups(result, label, "early", "late") == 0
    assert result.left_out == []
    people = by_id(crowd)
    for group in result.groups:
        assert suggest_slot([people[uid] for uid in group.members], DAY, "breakfast")


@pytest.mark.parametrize("size", [2, 3, 4])
def test_breakfast_never_suggests_a_slot_outside_working_hours(size: int) -> None:
    # Working hours that leave only part of the morning, or none of it.
    hours = [(7, 8), (7, 9), (8, 10), (9, 17), (10, 18), (6, 9), (22, 8)]
    crowd = [
        Participant(f"U{i:02d}", timezone=tz, working_hours=hours[i % len(hours)])
        for i, tz in enumerate(["Europe/London", "Europe/Berlin"] * 14)
    ]
    people = by_id(crowd)
    result = match(MatchRequest(crowd, size, seed=2, mode="breakfast", now_utc=NOW))
    for group in result.groups:
        members = [people[uid] for uid in group.members]
        slot = suggest_slot(members, DAY, "breakfast")
        if slot is None:
            continue  # a group with no shared morning gets no suggestion at all
        for person in members:
            local = slot.astimezone(ZoneInfo(person.timezone))
            minute = local.hour * 60 + local.minute
            start, end = person.working_hours
            inside = (
                start * 60 <= minute and minute + 30 <= end * 60
                if start < end
                else minute >= start * 60 or minute + 30 <= end * 60
            )
            assert inside and minute >= 7 * 60 and minute + 30 <= 10 * 60


# --- shared channels ---------------------------------------------------------------


def club_crowd(
    count: int, clubs: int, channels: bool = True
) -> tuple[list[Participant], dict[str, str]]:
    """People in ``clubs`` clubs; a club's members share five channels with each other."""
    crowd, label = [], {}
    for i in range(count):
        club = f"club{i % clubs}"
        uid = f"U{i:03d}"
        label[uid] = club
        mine = frozenset(f"{club}-{k}" for k in range(5)) if channels else frozenset()
        crowd.append(Participant(uid, channels=mine))
    return crowd, label


def same_club_pairs(result: MatchResult, label: dict[str, str]) -> int:
    return sum(
        1 for g in result.groups for a, b in combinations(g.members, 2) if label[a] == label[b]
    )


@pytest.mark.parametrize(("count", "size"), PATHS)
def test_people_sharing_few_channels_are_grouped_together(count: int, size: int) -> None:
    clubs = max(size, 2)  # enough clubs that every group can take one of each
    crowd, label = club_crowd(count, clubs)
    control, _ = club_crowd(count, clubs, channels=False)
    result = match(MatchRequest(crowd, size, seed=5, now_utc=NOW))
    without = match(MatchRequest(control, size, seed=5, now_utc=NOW))
    found, baseline = same_club_pairs(result, label), same_club_pairs(without, label)
    assert baseline > 0
    # Odd sizes force a few same-club pairs (the trio, the larger groups).
    unavoidable = sum(max(0, len(g.members) - clubs) for g in result.groups) * 2
    assert found <= unavoidable < baseline
    assert sum(g.shared_channels for g in result.groups) == 5 * found


def test_channels_outweighed_by_nothing_but_repeats_teams_and_schedules() -> None:
    # Sharing channels is a soft preference: it never splits people who can
    # only meet each other (one shift) or makes anyone repeat.
    crowd = [
        Participant("A", channels=frozenset({"x", "y"}), working_hours=(6, 10)),
        Participant("B", channels=frozenset({"x", "y"}), working_hours=(6, 10)),
        Participant("C", channels=frozenset(), working_hours=(14, 20)),
        Participant("D", channels=frozenset(), working_hours=(14, 20)),
    ]
    result = match(MatchRequest(crowd, seed=1, now_utc=NOW))
    assert {frozenset(g.members) for g in result.groups} == {frozenset("AB"), frozenset("CD")}
    assert [g.shared_channels for g in result.groups] == [2, 0]
    # Same people, one day shift for all: now A and B are kept apart.
    same_hours = [replace(p, working_hours=(9, 17)) for p in crowd]
    result = match(MatchRequest(same_hours, seed=1, now_utc=NOW))
    assert frozenset("AB") not in {frozenset(g.members) for g in result.groups}
