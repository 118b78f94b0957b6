"""Quiet hours, the pure rule: the next moment inside everyone's working hours."""

from __future__ import annotations

from datetime import UTC, datetime

from activities.quiet_hours import Hours, Person, next_open

FRIDAY_LATE = datetime(2026, 12, 4, 21, 0, tzinfo=UTC)  # 22:00 in Paris


def test_a_late_friday_waits_for_monday_morning_in_the_persons_zone() -> None:
    when = next_open(FRIDAY_LATE, [Person("Europe/Paris")])
    assert when == datetime(2026, 12, 7, 7, 0, tzinfo=UTC)  # Monday 08:00 in Paris


def test_inside_hours_is_now_and_a_group_waits_for_its_common_time() -> None:
    noon = datetime(2026, 12, 2, 12, 7, tzinfo=UTC)
    assert next_open(noon, [Person("Europe/London")]) == noon
    group = [Person("Europe/London"), Person("America/Chicago")]  # Chicago opens 14:00 UTC
    assert next_open(noon, group) == datetime(2026, 12, 2, 14, 0, tzinfo=UTC)


def test_own_hours_a_night_shift_and_hours_that_never_meet() -> None:
    night = Person("UTC", Hours(22, 6))
    assert next_open(datetime(2026, 12, 2, 12, 0, tzinfo=UTC), [night]) == datetime(
        2026, 12, 2, 22, 0, tzinfo=UTC
    )
    assert next_open(FRIDAY_LATE, [Person("UTC", Hours(9, 9))]) is None
