"""Tests for the pairing engine (activities.matching)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from itertools import combinations
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from activities.matching import (
    REASON_AVOID,
    REASON_NOT_ENOUGH,
    TEAM_PENALTY,
    Group,
    History,
    MatchRequest,
    MatchResult,
    Mode,
    Participant,
    PastMeeting,
    explain,
    group_sizes,
    match,
    repeat_penalty,
    suggest_slot,
)

WINTER_DAY = date(2025, 1, 15)
WINTER_NOW = datetime(2025, 1, 15, 6, 0, tzinfo=UTC)
MODES: list[Mode] = ["coffee", "breakfast"]


def people(count: int, team: str = "") -> list[Participant]:
    return [Participant(f"U{i:03d}", team=team) for i in range(count)]


def placed(result: MatchResult) -> list[str]:
    return [uid for group in result.groups for uid in group.members]


def sizes(result: MatchResult) -> list[int]:
    return sorted(len(group.members) for group in result.groups)


def pairs_of(result: MatchResult) -> set[frozenset[str]]:
    return {frozenset(pair) for group in result.groups for pair in combinations(group.members, 2)}


def run_rounds(
    members: list[Participant], rounds: int, group_size: int = 2, seed: int = 0
) -> list[int]:
    """Play ``rounds`` rounds feeding history back; repeat pairs per round."""
    history = History()
    repeats = []
    for round_no in range(rounds):
        request = MatchRequest(members, group_size, history, seed=seed * 1000 + round_no)
        result = match(request)
        repeats.append(sum(1 for pair in pairs_of(result) if history.has_met(*pair)))
        history = history.with_round(result.member_groups)
    return repeats


def local_minutes(slot: datetime, tz: str) -> tuple[int, int]:
    """Local start and end minute-of-day of a 30-minute slot."""
    start = slot.astimezone(ZoneInfo(tz))
    end = (slot + timedelta(minutes=29)).astimezone(ZoneInfo(tz))
    return start.hour * 60 + start.minute, end.hour * 60 + end.minute


def within(minute: int, hours: tuple[int, int]) -> bool:
    """Is a local minute of the day inside working hours (which may wrap midnight)?"""
    begin, finish = hours[0] * 60, hours[1] * 60
    return begin <= minute < finish if begin < finish else minute >= begin or minute < finish


# --- group shapes -------------------------------------------------------------


def test_even_count_gives_all_pairs() -> None:
    result = match(MatchRequest(people(10), seed=1))
    assert sizes(result) == [2] * 5
    assert sorted(placed(result)) == [p.user_id for p in people(10)]
    assert result.left_out == [] and result.skipped_reason is None


@pytest.mark.parametrize("count", [3, 11, 101])
def test_odd_count_gives_exactly_one_trio(count: int) -> None:
    result = match(MatchRequest(people(count), seed=2))
    assert sizes(result) == [2] * ((count - 3) // 2) + [3]
    assert sorted(placed(result)) == [p.user_id for p in people(count)]


def test_two_people_make_one_pair() -> None:
    result = match(MatchRequest(people(2)))
    assert [sorted(g.members) for g in result.groups] == [["U000", "U001"]]


@pytest.mark.parametrize("count", [0, 1])
def test_fewer_than_two_is_skipped_with_reason(count: int) -> None:
    result = match(MatchRequest(people(count)))
    assert result.groups == []
    assert result.skipped_reason == REASON_NOT_ENOUGH
    assert [left.user_id for left in result.left_out] == [p.user_id for p in people(count)]


def test_duplicate_ids_are_merged_and_nobody_meets_themselves() -> None:
    crowd = people(5) + people(5)
    result = match(MatchRequest(crowd, seed=3))
    assert sorted(placed(result)) == [p.user_id for p in people(5)]
    assert all(len(set(g.members)) == len(g.members) for g in result.groups)


@pytest.mark.parametrize(
    ("count", "size", "expected"),
    [
        (12, 3, [3, 3, 3, 3]),
        (10, 3, [3, 3, 4]),
        (5, 3, [2, 3]),
        (4, 3, [4]),
        (16, 4, [4, 4, 4, 4]),
        (10, 4, [5, 5]),
        (11, 4, [3, 4, 4]),
        (6, 4, [3, 3]),
        (7, 4, [3, 4]),
        (5, 4, [5]),
        (3, 4, [3]),
        (2, 4, [2]),
    ],
)
def test_group_size_3_and_4(count: int, size: int, expected: list[int]) -> None:
    assert sorted(group_sizes(count, size)) == expected
    result = match(MatchRequest(people(count), group_size=size, seed=4))
    assert sizes(result) == expected
    assert sorted(placed(result)) == [p.user_id for p in people(count)]


def test_group_sizes_spread_remainder() -> None:
    for size in (2, 3, 4):
        for count in range(2, 80):
            shape = group_sizes(count, size)
            assert sum(shape) == count and min(shape) >= 2
            if count > size + 1:
                assert set(shape) <= {size - 1, size, size + 1}
                # size-1 only when there are too few groups to take the remainder
                if size - 1 in shape:
                    assert count % size > count // size


# --- avoid lists ----------------------------------------------------------------


@pytest.mark.parametrize("count", [12, 41, 300])
def test_avoid_is_respected_and_symmetric(count: int) -> None:
    crowd = people(count)
    # U000 avoids a third of everyone; U005 is avoided only from the other side.
    crowd[0] = Participant("U000", avoid=frozenset(f"U{i:03d}" for i in range(1, count // 3)))
    crowd[7] = Participant("U007", avoid=frozenset({"U005"}))
    for seed in range(5):
        result = match(MatchRequest(crowd, seed=seed))
        assert result.left_out == []
        for group in result.groups:
            if "U000" in group.members:
                assert all(m == "U000" or int(m[1:]) >= count // 3 for m in group.members)
            assert not {"U005", "U007"} <= set(group.members)


def test_impossible_avoid_leaves_out_only_the_conflict() -> None:
    a, b, c = (
        Participant("A", avoid=frozenset({"B", "C"})),
        Participant("B"),
        Participant("C"),
    )
    result = match(MatchRequest([a, b, c]))
    assert [g.members for g in result.groups] == [("B", "C")]
    assert [(x.user_id, x.reason) for x in result.left_out] == [("A", REASON_AVOID)]


def test_two_people_avoiding_each_other_are_not_matched() -> None:
    result = match(MatchRequest([Participant("A", avoid=frozenset({"B"})), Participant("B")]))
    assert result.groups == []
    assert {x.user_id for x in result.left_out} == {"A", "B"}
    assert result.skipped_reason == REASON_AVOID


def test_avoid_that_needs_a_trio_split_is_still_solved() -> None:
    # Breakfast: London island of three (one trio) plus a Tokyo loner who
    # avoids one of the trio; splitting the trio keeps everyone in.
    london = [Participant(f"L{i}", timezone="Europe/London") for i in range(3)]
    tokyo = Participant("T0", timezone="Asia/Tokyo", avoid=frozenset({"L0"}))
    request = MatchRequest([*london, tokyo], mode="breakfast", now_utc=WINTER_NOW)
    result = match(request)
    assert result.left_out == []
    assert sizes(result) == [2, 2]
    assert all(not {"T0", "L0"} <= set(g.members) for g in result.groups)


# --- repeats ----------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(5))
def test_no_repeat_before_everyone_met_everyone(seed: int) -> None:
    """10 people, 10 rounds: a repeat-free round-robin needs exactly 9 rounds."""
    crowd = [Participant(f"P{i}", team="AB"[i % 2]) for i in range(10)]
    repeats = run_rounds(crowd, rounds=10, seed=seed)
    assert repeats[:9] == [0] * 9
    assert repeats[9] == 5  # everyone has met everyone by now


@pytest.mark.parametrize("count", [14, 30, 64])
def test_round_robin_bound_for_larger_small_groups(count: int) -> None:
    crowd = [Participant(f"P{i:02d}", team=str(i % 3)) for i in range(count)]
    assert run_rounds(crowd, rounds=count - 1) == [0] * (count - 1)


def test_no_repeats_over_many_rounds_at_scale() -> None:
    rng = random.Random(5)
    crowd = [Participant(f"U{i:04d}", team=str(rng.randrange(8))) for i in range(400)]
    assert sum(run_rounds(crowd, rounds=25)) == 0


def test_repeats_prefer_the_oldest_acquaintance() -> None:
    # Everyone met everyone; A-B and C-D most recently, A-C and B-D longest ago.
    history = History(
        [
            PastMeeting("A", "B", 1),
            PastMeeting("C", "D", 1),
            PastMeeting("A", "D", 3),
            PastMeeting("B", "C", 3),
            PastMeeting("A", "C", 6),
            PastMeeting("B", "D", 6),
        ]
    )
    result = match(MatchRequest([Participant(x) for x in "ABCD"], history=history))
    assert {frozenset(g.members) for g in result.groups} == {frozenset("AC"), frozenset("BD")}
    assert result.repeat_pairs == 2
    assert any("met 6 rounds ago" in reason for reason in result.groups[0].reasons)


def test_repeat_penalty_decays_but_beats_soft_costs() -> None:
    penalties = [repeat_penalty(ago) for ago in range(1, 60)]
    assert penalties == sorted(penalties, reverse=True)
    assert penalties[0] > penalties[-1] > 10 * (TEAM_PENALTY + 10)


# --- "someone you don't know" ---------------------------------------------------


@pytest.mark.parametrize("count", [20, 40, 200])
def test_teams_split_half_half_always_meet_across(count: int) -> None:
    crowd = [Participant(f"U{i:03d}", team="AB"[i % 2]) for i in range(count)]
    for seed in range(3):
        result = match(MatchRequest(crowd, seed=seed))
        assert all(group.same_team_pairs == 0 for group in result.groups)
        assert all("different teams" in group.reasons for group in result.groups)


@pytest.mark.parametrize("count", [16, 24])
def test_two_equal_teams_meet_across_for_half_the_round_robin(count: int) -> None:
    """The best order there is: all N/2 cross-team rounds first, then repeat-free to N-1.

    Two teams of N/2 can meet across for exactly N/2 rounds; the planner offers
    strangers first, so same-team pairs wait for the end-game.
    """
    crowd = [Participant(f"P{i:02d}", team="AB"[i % 2]) for i in range(count)]
    history = History()
    same_team = []
    for week in range(count - 1):
        result = match(MatchRequest(crowd, history=history, seed=week))
        assert not any(history.has_met(*pair) for pair in pairs_of(result))
        same_team.append(sum(group.same_team_pairs for group in result.groups))
        history = history.with_round(result.member_groups)
    assert same_team == [0] * (count // 2) + [count // 2] * (count // 2 - 1)


def test_fewer_shared_channels_preferred() -> None:
    shared = frozenset(f"c{i}" for i in range(6))
    crowd = [
        Participant("A", channels=shared | {"a"}),
        Participant("B", channels=shared | {"b"}),
        Participant("C", channels=frozenset({"c"})),
        Participant("D", channels=frozenset({"d"})),
    ]
    for seed in range(5):
        result = match(MatchRequest(crowd, seed=seed))
        assert frozenset("AB") not in {frozenset(g.members) for g in result.groups}


# --- determinism ----------------------------------------------------------------


@pytest.mark.parametrize("count", [10, 250])
def test_same_seed_same_result_regardless_of_input_order(count: int) -> None:
    rng = random.Random(9)
    crowd = [Participant(f"U{i:03d}", team=str(rng.randrange(4))) for i in range(count)]
    shuffled = crowd.copy()
    rng.shuffle(shuffled)
    first = match(MatchRequest(crowd, seed=42))
    assert match(MatchRequest(crowd, seed=42)) == first
    assert match(MatchRequest(shuffled, seed=42)) == first


def test_different_seeds_usually_differ() -> None:
    crowd = people(250)
    outcomes = {
        frozenset(frozenset(g.members) for g in match(MatchRequest(crowd, seed=s)).groups)
        for s in range(5)
    }
    assert len(outcomes) == 5


# --- time zones -----------------------------------------------------------------

ZONES = ["America/Los_Angeles", "America/New_York", "Europe/London", "Europe/Berlin"]
ZONES += ["Asia/Kolkata", "Asia/Singapore", "Asia/Tokyo", "Australia/Sydney"]


def test_breakfast_never_schedules_outside_mornings() -> None:
    rng = random.Random(11)
    crowd = [
        Participant(
            f"U{i:03d}",
            timezone=rng.choice(ZONES),
            working_hours=rng.choice([(7, 15), (8, 16), (9, 17)]),
        )
        for i in range(120)
    ]
    by_id = {p.user_id: p for p in crowd}
    for day in (WINTER_DAY, date(2025, 7, 9)):
        now = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
        result = match(MatchRequest(crowd, mode="breakfast", now_utc=now, seed=1))
        assert result.left_out == []
        for group in result.groups:
            members = [by_id[uid] for uid in group.members]
            slot = suggest_slot(members, day, "breakfast")
            assert slot is not None, group  # islands: everyone shares a morning
            for person in members:
                start, end = local_minutes(slot, person.timezone)
                first = max(7, person.working_hours[0]) * 60
                last = min(10, person.working_hours[1]) * 60
                assert first <= start and end < last


def test_breakfast_groups_share_a_morning_when_possible() -> None:
    crowd = [Participant(f"L{i}", timezone="Europe/London") for i in range(5)]
    crowd += [Participant(f"T{i}", timezone="Asia/Tokyo") for i in range(5)]
    result = match(MatchRequest(crowd, mode="breakfast", now_utc=WINTER_NOW))
    for group in result.groups:
        assert len({uid[0] for uid in group.members}) == 1  # never London with Tokyo
        assert any(r.startswith("mornings overlap") for r in group.reasons)


def test_coffee_prefers_people_who_can_meet() -> None:
    crowd = [Participant(f"L{i}", timezone="Europe/London") for i in range(6)]
    crowd += [Participant(f"A{i}", timezone="Pacific/Auckland") for i in range(6)]
    result = match(MatchRequest(crowd, now_utc=WINTER_NOW))
    assert all(len({uid[0] for uid in g.members}) == 1 for g in result.groups)


def test_suggest_slot_none_without_overlap() -> None:
    london = Participant("L", timezone="Europe/London")
    auckland = Participant("A", timezone="Pacific/Auckland")
    los_angeles = Participant("LA", timezone="America/Los_Angeles")
    assert suggest_slot([london, auckland], WINTER_DAY, "coffee") is None
    assert suggest_slot([auckland, los_angeles], WINTER_DAY, "breakfast") is None
    # Short days leave no overlap even between neighbours of the date line.
    short_auckland = Participant("A2", timezone="Pacific/Auckland", working_hours=(9, 12))
    short_la = Participant("LA2", timezone="America/Los_Angeles", working_hours=(9, 12))
    assert suggest_slot([short_auckland, short_la], WINTER_DAY, "coffee") is None


@pytest.mark.parametrize(
    ("zones", "hours"),
    [
        (["Europe/London", "Europe/Berlin"], [(9, 17), (9, 17)]),
        (["Asia/Kolkata", "Asia/Kathmandu"], [(9, 17), (10, 18)]),
        (["America/New_York", "Europe/Paris"], [(8, 16), (9, 18)]),
        (["Australia/Sydney", "Asia/Tokyo", "Asia/Singapore"], [(9, 17), (9, 17), (9, 17)]),
        (["Pacific/Auckland", "America/Los_Angeles"], [(9, 17), (9, 17)]),
        (["UTC", "UTC"], [(22, 6), (20, 2)]),
    ],
)
def test_suggest_slot_inside_everyones_working_hours(
    zones: list[str], hours: list[tuple[int, int]]
) -> None:
    members = [
        Participant(f"U{i}", timezone=tz, working_hours=wh)
        for i, (tz, wh) in enumerate(zip(zones, hours, strict=True))
    ]
    for day in (WINTER_DAY, date(2025, 7, 9)):
        slot = suggest_slot(members, day, "coffee")
        assert slot is not None
        assert slot.tzinfo is UTC and slot.minute in (0, 30) and slot.date() == day
        for person in members:
            start, end = local_minutes(slot, person.timezone)
            assert within(start, person.working_hours) and within(end, person.working_hours)


def test_suggest_slot_breakfast_in_the_morning() -> None:
    members = [Participant("L", timezone="Europe/London", working_hours=(7, 17))] * 2
    slot = suggest_slot(members, WINTER_DAY, "breakfast")
    assert slot is not None and 7 <= slot.hour < 10
    assert suggest_slot([], WINTER_DAY) is None


def test_people_with_no_common_working_day_are_not_paired() -> None:
    # Same team within each pair of days: without the days, teams would mix them.
    early = frozenset({0, 1})  # Monday, Tuesday
    late = frozenset({2, 3})  # Wednesday, Thursday
    crowd = [
        Participant("A", team="red", days=early),
        Participant("B", team="red", days=early),
        Participant("C", team="blue", days=late),
        Participant("D", team="blue", days=late),
    ]
    result = match(MatchRequest(crowd, now_utc=WINTER_NOW))  # a Wednesday
    assert sorted(sorted(g.members) for g in result.groups) == [["A", "B"], ["C", "D"]]
    # The reasons name the day they meet on when it is not the round's own day.
    reasons = {tuple(sorted(g.members)): g.reasons[-1] for g in result.groups}
    assert reasons == {
        ("A", "B"): "working hours overlap Mon 08:00–19:00 UTC",
        ("C", "D"): "working hours overlap 08:00–19:00 UTC",
    }
    # Each pair is offered its first common day of the week from the round's day.
    ab = suggest_slot(crowd[:2], WINTER_DAY)
    cd = suggest_slot(crowd[2:], WINTER_DAY)
    assert ab is not None and ab.date() == date(2025, 1, 20) and ab.weekday() == 0
    assert cd is not None and cd.date() == WINTER_DAY
    assert suggest_slot([crowd[0], crowd[2]], WINTER_DAY) is None


def test_a_night_shift_belongs_to_the_day_it_started() -> None:
    # Friday 22:00 to Saturday 06:00 (UTC) is a Friday shift: it meets a Saturday-only
    # early bird only if the early hours were counted as Saturday's.
    friday_night = Participant("N", working_hours=(22, 6), days=frozenset({4}))
    saturday = Participant("S", working_hours=(0, 8), days=frozenset({5}))
    slot = suggest_slot([friday_night, saturday], WINTER_DAY)
    assert slot is not None and slot.weekday() == 5 and slot.hour < 6


def test_unknown_timezone_counts_as_utc() -> None:
    odd = Participant("X", timezone="Mars/Olympus_Mons")
    assert suggest_slot([odd, Participant("U")], WINTER_DAY) is not None


# --- explanations ---------------------------------------------------------------


def test_explain_reasons() -> None:
    crowd = [
        Participant("A", team="Data", timezone="Europe/London", channels=frozenset({"x"})),
        Participant("B", team="Design", timezone="Europe/London", channels=frozenset({"y"})),
    ]
    request = MatchRequest(crowd, mode="breakfast", now_utc=WINTER_NOW)
    (group,) = match(request).groups
    assert group.reasons == (
        "first meeting",
        "different teams",
        "no shared channels",
        "mornings overlap 08:00–10:00 UTC",  # the default working day starts at 08:00
    )
    again = MatchRequest(crowd, history=History.from_rounds([[("A", "B")]]), now_utc=WINTER_NOW)
    reasons = explain(group, again)
    assert reasons[0] == "A and B met 1 round ago"
    assert reasons[-1] == "working hours overlap 08:00–19:00 UTC"
    assert explain(["A", "B"], again) == reasons


def test_group_carries_scores() -> None:
    crowd = [Participant(x, team="T", channels=frozenset({"c"})) for x in "AB"]
    (group,) = match(MatchRequest(crowd)).groups
    assert isinstance(group, Group)
    assert (group.same_team_pairs, group.shared_channels, group.repeat_pairs) == (1, 1, 0)
    assert group.score == TEAM_PENALTY + 1
    assert "same team" in group.reasons and "share 1 channel" in group.reasons


# --- history and validation -----------------------------------------------------


def test_history_bookkeeping() -> None:
    history = History.from_rounds([[("A", "B"), ("C", "D")], [("A", "C", "E")]])
    assert history.rounds_ago("A", "B") == 2
    assert history.rounds_ago("C", "A") == 1
    assert history.rounds_ago("B", "D") is None
    assert not history.has_met("B", "C")
    later = history.with_round([("B", "D")])
    assert history.rounds_ago("B", "D") is None  # immutable
    assert later.rounds_ago("B", "D") == 1 and later.rounds_ago("A", "B") == 3
    assert later.partners("A") == {"B": 3, "C": 2, "E": 2}
    assert len(later) == 6
    rebuilt = History(later.meetings())
    assert list(rebuilt.meetings()) == list(later.meetings())


def test_history_keeps_most_recent_meeting() -> None:
    history = History([PastMeeting("A", "B", 5), PastMeeting("B", "A", 2)])
    assert history.rounds_ago("A", "B") == 2


def test_validation() -> None:
    with pytest.raises(ValueError):
        MatchRequest([], group_size=5)
    with pytest.raises(ValueError):
        MatchRequest([], now_utc=datetime(2025, 1, 1))
    with pytest.raises(ValueError):
        Participant("A", working_hours=(9, 9))
    for days in (frozenset(), frozenset({7})):
        with pytest.raises(ValueError):
            Participant("A", days=days)
    with pytest.raises(ValueError):
        PastMeeting("A", "B", 0)


def test_ten_thousand_participants_complete() -> None:
    rng = random.Random(3)
    crowd = [
        Participant(f"U{i:05d}", team=str(rng.randrange(8)), timezone=rng.choice(ZONES))
        for i in range(10_000)
    ]
    first = match(MatchRequest(crowd, seed=1))
    history = History().with_round(first.member_groups)
    second = match(MatchRequest(crowd, history=history, seed=2))
    assert sorted(placed(second)) == [p.user_id for p in crowd]
    assert second.repeat_pairs == 0 and second.left_out == []


# --- properties -----------------------------------------------------------------


@st.composite
def communities(draw: st.DrawFn, avoid: str) -> tuple[list[Participant], int, Mode, int]:
    """Random community; ``avoid`` is "none", "matching" (disjoint pairs) or "any"."""
    count = draw(st.integers(0, 60))
    ids = [f"U{i:02d}" for i in range(count)]
    avoids: dict[str, set[str]] = {uid: set() for uid in ids}
    if avoid == "matching" and count >= 2:
        shuffled = draw(st.permutations(ids))
        for a, b in list(zip(shuffled[::2], shuffled[1::2], strict=False))[: count // 4]:
            avoids[a].add(b)
    elif avoid == "any":
        for uid in ids:
            avoids[uid] |= set(draw(st.lists(st.sampled_from(ids), max_size=2))) if ids else set()
    crowd = [
        Participant(
            uid,
            team=draw(st.sampled_from(["", "a", "b", "c"])),
            timezone=draw(st.sampled_from(["UTC", "Asia/Tokyo", "America/New_York"])),
            channels=frozenset(draw(st.lists(st.sampled_from("xyz"), max_size=2))),
            avoid=frozenset(avoids[uid]),
        )
        for uid in ids
    ]
    group_size = draw(st.integers(2, 4))
    mode = draw(st.sampled_from(MODES))
    return crowd, group_size, mode, draw(st.integers(0, 2**32))


def check_invariants(crowd: list[Participant], result: MatchResult) -> None:
    everyone = sorted(p.user_id for p in crowd)
    accounted = placed(result) + [x.user_id for x in result.left_out]
    assert sorted(accounted) == everyone  # each exactly once
    avoid = {p.user_id: p.avoid for p in crowd}
    for group in result.groups:
        assert len(group.members) >= 2
        assert len(set(group.members)) == len(group.members)
        for a, b in combinations(group.members, 2):
            assert b not in avoid[a] and a not in avoid[b]
    if len(crowd) < 2:
        assert result.skipped_reason == REASON_NOT_ENOUGH
    else:
        assert all(x.reason == REASON_AVOID for x in result.left_out)


@settings(max_examples=100, deadline=None)
@given(communities(avoid="any"))
def test_property_invariants_hold_with_any_avoid_lists(
    case: tuple[list[Participant], int, Mode, int],
) -> None:
    crowd, group_size, mode, seed = case
    request = MatchRequest(crowd, group_size, seed=seed, mode=mode, now_utc=WINTER_NOW)
    check_invariants(crowd, match(request))


@settings(max_examples=100, deadline=None)
@given(communities(avoid="matching"))
def test_property_nobody_left_out_with_small_avoid_lists(
    case: tuple[list[Participant], int, Mode, int],
) -> None:
    crowd, group_size, mode, seed = case
    request = MatchRequest(crowd, group_size, seed=seed, mode=mode, now_utc=WINTER_NOW)
    result = match(request)
    check_invariants(crowd, result)
    if len(crowd) >= 4:
        assert result.left_out == []


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 60), st.integers(2, 4), st.integers(0, 2**32))
def test_property_sizes_follow_the_spread_rule(count: int, group_size: int, seed: int) -> None:
    crowd = people(count, team="t")
    result = match(MatchRequest(crowd, group_size, seed=seed))
    check_invariants(crowd, result)
    assert sizes(result) == sorted(group_sizes(count, group_size))
