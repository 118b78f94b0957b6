"""Talks rules: a volunteered talk, slots, when each step is due, when to call for speakers."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from activities.errors import UserError
from activities.kinds.talks import rules

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
SLOT = datetime(2027, 1, 6, 13, 0, tzinfo=UTC)


def test_a_talk_needs_a_title_and_an_abstract_within_1000_characters() -> None:
    talk = rules.check_talk("  Rust  for Pythonistas ", "a" * 1000, "January", True)
    assert talk.title == "Rust for Pythonistas" and talk.recordable
    with pytest.raises(UserError, match="needs a title") as missing:
        rules.check_talk(" ", "abstract", "", False)
    assert missing.value.field == "title"
    with pytest.raises(UserError, match="1001 characters; the limit is 1,000") as long:
        rules.check_talk("Title", "a" * 1001, "", False)
    assert long.value.field == "abstract"


def test_titles_match_in_any_case_or_spacing() -> None:
    assert rules.title_key("Rust for  Pythonistas") == rules.title_key("rust FOR pythonistas")


def test_a_slot_is_a_future_date_at_the_series_time_in_its_zone() -> None:
    at = rules.slot_time_of("monthly:1:wed:13:00")
    assert at == time(13, 0)
    assert rules.parse_slot("2027-01-06", at=at, timezone="Europe/London", now=NOW) == SLOT
    paris = rules.parse_slot("2027-01-06 18:30", at=at, timezone="Europe/Paris", now=NOW)
    assert paris == datetime(2027, 1, 6, 17, 30, tzinfo=UTC)
    with pytest.raises(UserError, match="in the past"):
        rules.parse_slot("2026-11-01", at=at, timezone="Europe/London", now=NOW)
    with pytest.raises(UserError, match="write it as"):
        rules.parse_slot("soon", at=at, timezone="Europe/London", now=NOW)


@pytest.mark.parametrize(
    ("before", "steps"),
    [
        (timedelta(days=8), []),
        (timedelta(days=6), ["announced_at"]),
        (timedelta(days=2), ["announced_at", "checkin_at"]),
        (timedelta(hours=20), ["announced_at", "day_reminded_at"]),
        (timedelta(minutes=15), ["announced_at", "soon_reminded_at"]),
        (timedelta(0), ["announced_at", "started_at"]),
        (-timedelta(hours=1), ["announced_at", "started_at", "finished_at"]),
    ],
)
def test_a_talks_steps_fall_due_in_order(before: timedelta, steps: list[str]) -> None:
    assert rules.due_steps(slot_at=SLOT, now=SLOT - before, done=frozenset()) == steps


def test_a_call_for_speakers_when_too_few_are_booked_at_most_once_a_fortnight() -> None:
    assert rules.needs_call(booked=0, wanted=2, last_call_at=None, now=NOW)
    assert rules.needs_call(booked=1, wanted=2, last_call_at=NOW - timedelta(days=14), now=NOW)
    assert not rules.needs_call(booked=1, wanted=2, last_call_at=NOW - timedelta(days=13), now=NOW)
    assert not rules.needs_call(booked=2, wanted=2, last_call_at=None, now=NOW)
    # Only the next two slots count: wanting five is satisfied by two booked.
    assert not rules.needs_call(booked=2, wanted=5, last_call_at=None, now=NOW)
    assert not rules.needs_call(booked=1, wanted=1, last_call_at=None, now=NOW)


def test_questions_most_reacted_first_then_in_the_order_asked() -> None:
    asked = [("U1", "first", 0), ("U2", "popular", 3), ("U3", "second", 0), ("U4", "liked", 1)]
    assert [q[1] for q in rules.order_questions(asked)] == ["popular", "liked", "first", "second"]
