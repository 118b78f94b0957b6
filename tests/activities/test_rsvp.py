"""The shared RSVP rules: open until the start, refused when cancelled or started."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from activities import rsvp
from activities.errors import UserError

START = datetime(2027, 1, 14, 12, 30, tzinfo=UTC)


def test_answers_are_taken_until_the_start() -> None:
    rsvp.check_open(starts_at=START, cancelled=False, now=START - timedelta(seconds=1))


@pytest.mark.parametrize("late", [timedelta(0), timedelta(hours=3)])
def test_from_the_start_an_answer_is_refused_as_ended(late: timedelta) -> None:
    with pytest.raises(UserError, match=r"^This event has ended\.$"):
        rsvp.check_open(starts_at=START, cancelled=False, now=START + late)


def test_a_cancelled_event_says_so_even_before_its_start() -> None:
    with pytest.raises(UserError, match=r"^This event was cancelled\.$"):
        rsvp.check_open(starts_at=START, cancelled=True, now=START - timedelta(days=2))


def test_only_the_three_answers_are_accepted() -> None:
    assert [rsvp.parse_answer(a) for a in ("going", "maybe", "cant")] == list(rsvp.ANSWERS)
    with pytest.raises(ValueError):
        rsvp.parse_answer("yes")
