"""Book-club rules: proposals, the vote's options and winner, the plan, the meeting's steps."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from activities.errors import UserError
from activities.kinds.bookclub import rules

NOW = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
MEETING = datetime(2026, 12, 31, 12, 30, tzinfo=UTC)


def test_a_proposal_reads_title_author_and_link() -> None:
    book = rules.parse_proposal(["Piranesi", "by", "Susanna", "Clarke", "https://example.org/p"])
    assert book == rules.ProposalInput("Piranesi", "Susanna Clarke", "https://example.org/p")
    assert rules.parse_proposal(["Circe"]) == rules.ProposalInput("Circe")


@pytest.mark.parametrize(
    ("words", "message"),
    [
        ([], "needs a title"),
        (["  "], "needs a title"),
        (["Piranesi", "Susanna"], "Put the title in quotes"),
        (["x" * 201], "limit is 200"),
    ],
)
def test_bad_proposals_say_what_to_fix(words: list[str], message: str) -> None:
    with pytest.raises(UserError, match=message):
        rules.parse_proposal(words)


def test_a_link_must_be_a_web_link() -> None:
    with pytest.raises(UserError, match="https://"):
        rules.check_proposal("Circe", "", "ftp://x", "")


def test_same_title_and_author_in_any_case_or_spacing_match() -> None:
    assert rules.match_key("The  Dispossessed", "Ursula K. Le Guin") == rules.match_key(
        "the dispossessed", "URSULA K.  LE GUIN"
    )
    assert rules.match_key("Circe", "") != rules.match_key("Circe", "Madeline Miller")


def test_a_vote_needs_two_proposals_and_offers_at_most_ten() -> None:
    with pytest.raises(UserError, match="at least 2"):
        rules.vote_options([(1, "Circe", "")])
    options = rules.vote_options([(i, f"Book {i}", "A") for i in range(15)])
    assert [pid for pid, _ in options] == list(range(10))
    assert options[0][1] == "Book 0 by A"


def test_option_labels_fit_a_button_and_never_repeat() -> None:
    long = "L" * 100
    options = rules.vote_options([(1, long, ""), (2, long, "")])
    assert all(len(label) <= 75 for _, label in options)
    assert len({label for _, label in options}) == 2


def test_the_winner_has_most_votes_then_most_upvotes_then_the_higher_rank() -> None:
    assert rules.winner_index([1, 3, 2], [9, 0, 0]) == 1
    assert rules.winner_index([2, 2, 0], [1, 4, 0]) == 1
    assert rules.winner_index([0, 0], [0, 0]) == 0


def test_the_meeting_time_comes_from_the_cadence() -> None:
    assert rules.meeting_time_of("every:4w:thu:12:30:2026-12-03") == time(12, 30)
    assert rules.meeting_time_of("cron:0 9 * * 1") == rules.DEFAULT_MEETING_TIME


def test_a_meeting_in_the_past_is_refused() -> None:
    with pytest.raises(UserError, match="in the past"):
        rules.parse_meeting("2026-11-01", at=time(12, 30), timezone="Europe/London", now=NOW)
    with pytest.raises(UserError, match="write it as"):
        rules.parse_meeting("next week", at=time(12, 30), timezone="Europe/London", now=NOW)
    paris = rules.parse_meeting(
        "2027-01-14 19:00", at=time(12, 0), timezone="Europe/Paris", now=NOW
    )
    assert paris == datetime(2027, 1, 14, 18, 0, tzinfo=UTC)


def test_sections_are_spread_weekly_with_the_last_a_week_before_the_meeting() -> None:
    due = rules.spread(["1", "2", "3"], meeting_at=MEETING, now=NOW)
    assert due == [MEETING - timedelta(weeks=w) for w in (4, 3, 2)]
    assert all(d >= NOW for d in due)
    two = rules.spread(["a", "b"], meeting_at=MEETING, now=NOW)
    assert two == [MEETING - timedelta(weeks=4), MEETING - timedelta(weeks=2)]


def test_more_sections_than_weeks_is_refused_with_one_per_meeting_offered() -> None:
    with pytest.raises(UserError, match=r"5 sections but only 4 weeks.*one section per meeting"):
        rules.spread(list("abcde"), meeting_at=MEETING, now=NOW)


def test_sections_split_on_semicolons_and_lines() -> None:
    assert rules.parse_sections("Ch 1-3;  Ch 4-6\npages 1–80;") == [
        "Ch 1-3",
        "Ch 4-6",
        "pages 1–80",
    ]
    with pytest.raises(UserError, match="Which sections"):
        rules.parse_sections(" ; ")


@pytest.mark.parametrize(
    ("before", "steps"),
    [
        (timedelta(days=8), []),
        (timedelta(days=7), ["rsvp_posted_at"]),
        (timedelta(hours=23), ["rsvp_posted_at", "day_reminded_at"]),
        (timedelta(minutes=10), ["rsvp_posted_at", "soon_reminded_at"]),
        (timedelta(0), ["rsvp_posted_at", "started_at"]),
        (-timedelta(hours=1), ["rsvp_posted_at", "started_at", "finished_at"]),
    ],
)
def test_meeting_steps_fall_due_in_order(before: timedelta, steps: list[str]) -> None:
    assert rules.due_steps(meeting_at=MEETING, now=MEETING - before, done=frozenset()) == steps


def test_done_steps_are_not_due_again() -> None:
    done = frozenset({"rsvp_posted_at", "day_reminded_at"})
    now = MEETING - timedelta(hours=2)
    assert rules.due_steps(meeting_at=MEETING, now=now, done=done) == []
