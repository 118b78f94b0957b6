"""Quiet hours, the pure rule: when a message that pings people may be delivered."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from activities.errors import UserError
from activities.quiet_hours import (
    Drop,
    Hold,
    Hours,
    Person,
    Send,
    bits_from_days,
    days_from_bits,
    days_text,
    deliver_at,
    hours_of,
    parse_days,
    plan,
)

FRIDAY_LATE = datetime(2026, 12, 4, 21, 0, tzinfo=UTC)  # 22:00 in Paris
WEDNESDAY_NOON = datetime(2026, 12, 2, 12, 7, tzinfo=UTC)


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=UTC)


def test_a_late_friday_waits_for_monday_morning_in_the_persons_zone() -> None:
    assert deliver_at(FRIDAY_LATE, [Person("Europe/Paris")]) == utc(7, 7)  # Mon 08:00 Paris


def test_a_dm_due_at_22_00_goes_at_08_00_the_next_working_day() -> None:
    due = utc(2, 21)  # Wednesday 22:00 in Paris
    assert deliver_at(due, [Person("Europe/Paris")]) == utc(3, 7)  # Thursday 08:00


def test_inside_hours_is_now_and_a_group_waits_for_its_common_time() -> None:
    assert deliver_at(WEDNESDAY_NOON, [Person("Europe/London")]) == WEDNESDAY_NOON
    group = [Person("Europe/London"), Person("America/Chicago")]  # Chicago opens 14:00 UTC
    assert deliver_at(WEDNESDAY_NOON, group) == utc(2, 14)


def test_a_group_whose_hours_never_meet_within_a_day_gets_anyones() -> None:
    # Berlin 08-19 is 07:00-18:00 UTC; Honolulu 08-19 is 18:00-05:00 UTC: no overlap.
    group = [Person("Europe/Berlin"), Person("Pacific/Honolulu")]
    assert deliver_at(utc(2, 6), group) == utc(2, 7)  # Berlin opens first
    assert deliver_at(utc(2, 12), group) == utc(2, 12)  # Berlin is in: anyone's will do


def test_a_group_held_over_a_weekend_gets_its_common_time_not_the_first_opening() -> None:
    # Saturday 10:00 UTC, London + New York: nobody is open until Monday 08:00 in London,
    # which is 03:00 in New York; the day is measured from that first opening, and
    # Monday 13:00 UTC (08:00 in New York) is inside both.
    group = [Person("Europe/London"), Person("America/New_York")]
    assert deliver_at(utc(5, 10), group) == utc(7, 13)
    assert deliver_at(utc(6, 23, 7), group) == utc(7, 13)  # Sunday night, same answer


def test_own_hours_a_night_shift_and_working_days() -> None:
    night = Person("UTC", Hours(22, 6))
    assert deliver_at(utc(2, 12), [night]) == utc(2, 22)
    assert deliver_at(utc(3, 3), [night]) == utc(3, 3)  # Wednesday's shift, on Thursday
    mon_thu = Person("UTC", Hours(9, 17, frozenset(range(4))))
    assert deliver_at(utc(4, 10), [mon_thu]) == utc(7, 9)  # Friday: wait for Monday 09:00
    weekend = Person("UTC", Hours(10, 16, frozenset({5, 6})))
    assert deliver_at(utc(2, 12), [weekend]) == utc(5, 10)  # Saturday


def test_hours_that_never_open_hold_nothing() -> None:
    assert deliver_at(FRIDAY_LATE, [Person("UTC", Hours(9, 9))]) is None
    assert plan(FRIDAY_LATE, [Person("UTC", Hours(9, 9))]) == Send()


def test_plan_holds_sends_and_drops_a_pointless_reminder() -> None:
    paris = [Person("Europe/Paris")]
    assert plan(WEDNESDAY_NOON, paris) == Send()
    assert plan(utc(2, 21), paris) == Hold(utc(3, 7))
    # The talk starts Thursday 06:30 UTC; the reminder could only arrive at 07:00 UTC.
    dropped = plan(utc(2, 21), paris, pointless_after=utc(3, 6, 30))
    assert isinstance(dropped, Drop) and "started" in dropped.reason
    assert plan(utc(2, 21), paris, pointless_after=utc(3, 9)) == Hold(utc(3, 7))
    # A reminder due after its event started (the bot was down) is dropped too.
    assert isinstance(plan(utc(3, 10), paris, pointless_after=utc(3, 9)), Drop)


def test_a_held_message_goes_when_its_moment_comes_without_moving_again() -> None:
    group = [Person("Europe/London"), Person("America/Chicago")]
    assert plan(utc(2, 12), group) == Hold(utc(2, 14))
    # A row that waited once is sent when its moment comes, not weighed again (a sliding
    # window could otherwise move an anyone's-hours moment on and on).
    assert plan(utc(2, 14), group, held_until=utc(2, 14)) == Send()
    assert plan(utc(2, 14, 15), group, held_until=utc(2, 14)) == Send()  # within the grace


def test_a_hold_claimed_long_after_its_moment_is_decided_again() -> None:
    paris = [Person("Europe/Paris")]
    # Held until Thursday 08:00 in Paris; the bot comes back at Friday 02:00 Paris time.
    assert plan(utc(4, 1), paris, held_until=utc(3, 7)) == Hold(utc(4, 7))
    # Just past the grace, still inside their hours: decided again, and it goes.
    assert plan(utc(3, 7, 16), paris, held_until=utc(3, 7)) == Send()
    # A reminder of an event at Friday 06:00 Paris: sent at 02:00 as held before; now it
    # could only arrive once the event started, so it is dropped.
    late = plan(utc(4, 1), paris, held_until=utc(3, 7), pointless_after=utc(4, 5))
    assert isinstance(late, Drop) and "started" in late.reason


def test_days_parse_render_and_round_trip_through_the_bitmask() -> None:
    assert parse_days("mon-thu") == frozenset(range(4))
    assert parse_days("mon,wed,fri") == frozenset({0, 2, 4})
    assert parse_days("sun-tue") == frozenset({6, 0, 1})
    assert parse_days("Tuesday") == frozenset({1})
    assert days_text(frozenset(range(5))) == "mon-fri"
    assert days_text(frozenset({0, 2, 4})) == "mon,wed,fri"
    assert days_from_bits(31) == frozenset(range(5))
    assert days_from_bits(bits_from_days(frozenset({5, 6}))) == frozenset({5, 6})


@pytest.mark.parametrize("text", ["none", ",", "xyz", "mon-", "mon-tue-wed"])
def test_a_day_list_that_leaves_no_working_day_or_names_none_is_refused(text: str) -> None:
    with pytest.raises(UserError) as refused:
        parse_days(text)
    assert "/coffee hours 9-17 mon-thu" in str(refused.value)


def test_hours_not_chosen_are_the_default_whatever_is_stored() -> None:
    assert hours_of(9, 17, 31, chosen=False) == Hours()
    assert hours_of(9, 17, 15, chosen=True) == Hours(9, 17, frozenset(range(4)))
