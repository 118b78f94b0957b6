"""Tests for the pure poll logic in activities.polls."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from activities.errors import UserError
from activities.kinds.poll.rules import (
    ADJUSTMENT_OPTIONS,
    PollError,
    PollSpec,
    Tally,
    build_poll_spec,
    csv_safe,
    decide_vote,
    next_event_template,
    parse_scale,
    rating_summary,
    rating_threshold,
    results_csv,
    results_summary,
    tally,
)
from tests.kinds import CATALOG

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def spec(question: str = "Which event next?", *options: str, **kwargs: object) -> PollSpec:
    opts = options or ("Book club", "Coffee roulette")
    return build_poll_spec(question, opts, now=NOW, **kwargs)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- validation


def test_valid_choice_poll_is_stripped_and_single_choice() -> None:
    result = build_poll_spec("  Which event next? ", [" Book club ", "Coffee"], now=NOW)
    assert result == PollSpec(
        question="Which event next?",
        options=("Book club", "Coffee"),
        kind="choice",
        max_choices=1,
        anonymous=False,
        hide_results=False,
        closes_at=None,
    )


def test_multi_and_choices() -> None:
    assert spec("Q", "a", "b", "c", multi=True).max_choices == 3
    assert spec("Q", "a", "b", "c", choices=2).max_choices == 2
    assert spec("Q", "a", "b", "c", multi=True, choices=2).max_choices == 2


def test_ten_options_and_75_char_option_are_accepted() -> None:
    options = [f"Option {i}" for i in range(9)] + ["x" * 75]
    assert len(spec("Q", *options).options) == 10


@pytest.mark.parametrize(
    ("question", "options", "kwargs", "needle", "field"),
    [
        ("Q", ["only one"], {}, "2 to 10 options", "options"),
        ("Q", [], {}, "2 to 10 options", "options"),
        ("Q", [f"o{i}" for i in range(11)], {}, "2 to 10 options", "options"),
        ("   ", ["a", "b"], {}, "needs a question", "question"),
        ("x" * 301, ["a", "b"], {}, "keep it to 300", "question"),
        ("Q", ["a", "y" * 76], {}, "Slack buttons allow at most 75", "options"),
        ("Q", ["a", "  "], {}, "Option 2 is empty", "options"),
        ("Q", ["Book club", " book CLUB "], {}, '"book CLUB" is listed twice', "options"),
        ("Q", ["a", "b"], {"choices": 0}, "--choices must be between 1", "choices"),
        ("Q", ["a", "b"], {"choices": 3}, "--choices must be between 1", "choices"),
        (
            "Q",
            ["a", "b"],
            {"multi": True, "choices": 1},
            "--multi lets people pick several options but --choices 1",
            "choices",
        ),
        ("Q", ["a", "b"], {"closes_at": NOW}, "must be in the future", "closes_at"),
        (
            "Q",
            ["a", "b"],
            {"closes_at": NOW - timedelta(days=1)},
            "must be in the future",
            "closes_at",
        ),
        (
            "Q",
            [],
            {"kind": "rating", "scale": "ten"},
            "--scale 1-10 or --scale adjustment",
            "scale",
        ),
        ("Q", [], {"kind": "rating", "scale": "5-1"}, "between 0 and 10", "scale"),
        ("Q", [], {"kind": "rating", "scale": "1-11"}, "between 0 and 10", "scale"),
        ("Q", [], {"kind": "rating", "scale": "3-3"}, "between 0 and 10", "scale"),
        ("Q", [], {"kind": "rating", "scale": "adjustment"}, "numeric scale", "scale"),
        ("Q", [], {"kind": "adjustment", "scale": "1-5"}, "fixed scale", "scale"),
        ("Q", ["a", "b"], {"scale": "1-5"}, "leave the options out", "options"),
        ("Q", [], {"kind": "rating", "multi": True}, "one answer per person", "choices"),
        ("Q", ["a", "b"], {"kind": "survey"}, "Unknown poll type", "scale"),
    ],
)
def test_validation_errors(
    question: str, options: list[str], kwargs: dict[str, object], needle: str, field: str
) -> None:
    with pytest.raises(PollError) as info:
        build_poll_spec(question, options, now=NOW, **kwargs)  # type: ignore[arg-type]
    message = str(info.value)
    assert needle in message
    assert "Example: /poll" in message
    assert info.value.field == field


def test_poll_error_is_a_user_facing_value_error() -> None:
    assert issubclass(PollError, UserError)
    assert issubclass(PollError, ValueError)


def test_deadline_is_normalised_to_utc() -> None:
    later = datetime(2026, 11, 27, 18, 0, tzinfo=timezone(timedelta(hours=1)))
    assert spec(closes_at=later).closes_at == datetime(2026, 11, 27, 17, 0, tzinfo=UTC)


def test_naive_datetimes_are_programming_errors() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        spec(closes_at=datetime(2030, 1, 1))
    with pytest.raises(ValueError, match="timezone-aware"):
        build_poll_spec("Q", ["a", "b"], now=datetime(2026, 1, 1))


def test_rating_poll_defaults_to_one_to_ten() -> None:
    result = build_poll_spec("How was it?", [], kind="rating", now=NOW)
    assert result.options == tuple(str(i) for i in range(1, 11))
    assert result.scale_values == tuple(range(1, 11))
    assert result.max_choices == 1


def test_scale_on_choice_poll_makes_a_rating_poll() -> None:
    result = build_poll_spec("How was it?", [], scale="0-10", now=NOW)
    assert result.kind == "rating"
    assert len(result.options) == 11


def test_scale_adjustment_makes_an_adjustment_poll() -> None:
    result = build_poll_spec("Change the format?", [], scale="adjustment", now=NOW)
    assert result.kind == "adjustment"
    assert result.options == ADJUSTMENT_OPTIONS
    assert result.scale_values is None
    assert build_poll_spec("Q", [], kind="adjustment", now=NOW).options == ADJUSTMENT_OPTIONS


@pytest.mark.parametrize(
    ("text", "expected"),
    [(None, (1, 10)), ("", (1, 10)), ("1-5", (1, 5)), (" 0 – 10 ", (0, 10)), ("2..4", (2, 4))],
)
def test_parse_scale(text: str | None, expected: tuple[int, int]) -> None:
    assert parse_scale(text) == expected


# --------------------------------------------------------------------------- voting


def test_single_choice_first_vote_adds() -> None:
    decision = decide_vote(max_choices=1, current=frozenset(), clicked=0, option_count=3)
    assert decision.action == "add"
    assert decision.add_index == 0
    assert decision.accepted


def test_single_choice_other_option_moves() -> None:
    decision = decide_vote(max_choices=1, current=frozenset({0}), clicked=2, option_count=3)
    assert decision.action == "move"
    assert decision.remove_indices == frozenset({0})
    assert decision.add_index == 2


def test_clicking_same_option_toggles_off() -> None:
    decision = decide_vote(max_choices=1, current=frozenset({1}), clicked=1, option_count=3)
    assert decision.action == "remove"
    assert decision.remove_indices == frozenset({1})
    assert decision.add_index is None


def test_multi_choice_limit_refuses() -> None:
    decision = decide_vote(max_choices=2, current=frozenset({0, 1}), clicked=2, option_count=4)
    assert decision.action == "refuse"
    assert not decision.accepted
    assert decision.reason is not None
    assert "You've already chosen 2 options; remove one first" in decision.reason


def test_multi_choice_adds_below_limit_and_removes_at_limit() -> None:
    assert (
        decide_vote(max_choices=2, current=frozenset({0}), clicked=1, option_count=4).action
        == "add"
    )
    assert (
        decide_vote(max_choices=2, current=frozenset({0, 1}), clicked=1, option_count=4).action
        == "remove"
    )


@pytest.mark.parametrize("clicked", [-1, 3, 99])
def test_out_of_range_is_refused(clicked: int) -> None:
    decision = decide_vote(max_choices=1, current=frozenset(), clicked=clicked, option_count=3)
    assert decision.action == "refuse"
    assert decision.reason == "That option isn't part of this poll."


def test_invalid_max_choices_is_a_bug() -> None:
    with pytest.raises(ValueError):
        decide_vote(max_choices=0, current=frozenset(), clicked=0, option_count=2)


@given(
    max_choices=st.integers(1, 5),
    clicks=st.lists(st.integers(-1, 5), max_size=30),
)
def test_applying_decisions_never_exceeds_max_choices(max_choices: int, clicks: list[int]) -> None:
    current: frozenset[int] = frozenset()
    for clicked in clicks:
        decision = decide_vote(
            max_choices=max_choices, current=current, clicked=clicked, option_count=5
        )
        if decision.accepted:
            current = current - decision.remove_indices
            if decision.add_index is not None:
                current = current | {decision.add_index}
        assert len(current) <= max_choices
        assert all(0 <= i < 5 for i in current)


# --------------------------------------------------------------------------- tallies


def test_tally_counts_distinct_voters_and_votes() -> None:
    result = tally(
        3,
        [(0, "U1"), (1, "U1"), (0, "U2"), (0, "U3"), (0, "U3"), (7, "U9"), (-1, "U9")],
    )
    assert result == Tally(counts=(3, 1, 0), voters=3, votes=4)
    assert result.percent(0) == 100.0
    assert result.rounded_percent(1) == 33
    assert result.leaders() == (0,)


def test_tally_percent_is_share_of_voters() -> None:
    result = tally(2, [(0, "a"), (1, "a"), (0, "b"), (1, "c")])
    assert result.voters == 3
    assert result.rounded_percent(0) == 67
    assert result.rounded_percent(1) == 67


def test_empty_tally() -> None:
    result = tally(2, [])
    assert result == Tally(counts=(0, 0), voters=0, votes=0)
    assert result.percent(0) == 0.0
    assert result.leaders() == ()


# --------------------------------------------------------------------------- ratings

# 25 responses on 1-10; 16 of them are 6 or lower.
RATING_COUNTS = [1, 1, 2, 2, 4, 6, 4, 3, 1, 1]


def test_rating_summary_sentence_mean_median() -> None:
    summary = rating_summary(range(1, 11), RATING_COUNTS)
    assert summary.responses == 25
    assert summary.sentence == "64% rated 6 or lower"
    assert summary.responses_text == "25 responses"
    assert summary.mean == pytest.approx(5.76)
    assert summary.median == 6.0
    assert summary.stats_text == "25 responses · mean 5.8 · median 6"
    assert summary.distribution[5] == (6, 6)


def test_rating_summary_even_count_median() -> None:
    summary = rating_summary([1, 2, 3, 4, 5], [1, 0, 0, 1, 0])
    assert summary.median == 2.5
    assert summary.mean == 2.5
    assert summary.sentence == "50% rated 3 or lower"
    assert summary.responses_text == "2 responses"


def test_rating_summary_no_responses() -> None:
    summary = rating_summary([1, 2, 3], [0, 0, 0])
    assert summary.mean is None
    assert summary.median is None
    assert summary.sentence == "No responses yet"
    assert summary.stats_text == "0 responses"


def test_rating_summary_mismatched_lengths() -> None:
    with pytest.raises(ValueError):
        rating_summary([1, 2], [1])


@pytest.mark.parametrize(
    ("low", "high", "threshold"), [(1, 10, 6), (1, 5, 3), (0, 10, 5), (1, 4, 3), (1, 2, 1)]
)
def test_rating_threshold(low: int, high: int, threshold: int) -> None:
    assert rating_threshold(low, high) == threshold


# --------------------------------------------------------------------------- reports


def test_results_summary_winner() -> None:
    text = results_summary(
        question="Which event next?",
        options=["Book club", "Coffee"],
        kind="choice",
        tally=tally(2, [(0, "a"), (0, "b"), (1, "c")]),
    )
    assert text.startswith("Poll closed: Which event next?")
    assert "Winner: Book club with 2 votes (67% of voters)" in text
    assert "- Coffee: 1 vote (33%)" in text
    assert "3 voters, 3 votes in total." in text
    assert "<" not in text and "*" not in text


def test_results_summary_tie_and_multi_note() -> None:
    text = results_summary(
        question="Q",
        options=["A", "B", "C"],
        kind="choice",
        tally=tally(3, [(0, "a"), (1, "a"), (2, "b"), (0, "c"), (1, "c"), (2, "d")]),
    )
    assert "Tie between A, B and C with 2 votes each (50% of voters)" in text
    assert "more than 100%" in text


def test_results_summary_no_votes() -> None:
    text = results_summary(question="Q", options=["A", "B"], kind="choice", tally=tally(2, []))
    assert "No votes were cast." in text


def test_results_summary_rating() -> None:
    votes = [
        (value - 1, f"U{value}-{n}")
        for value, count in zip(range(1, 11), RATING_COUNTS, strict=True)
        for n in range(count)
    ]
    text = results_summary(
        question="How was it?",
        options=[str(i) for i in range(1, 11)],
        kind="rating",
        tally=tally(10, votes),
    )
    assert "25 responses · mean 5.8 · median 6" in text
    assert "64% rated 6 or lower." in text
    assert "- 6: 6 (24%)" in text


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_csv_anonymous_has_no_voter_column() -> None:
    rows = _rows(results_csv("Q", ["A", "B"], tally(2, [(0, "x"), (1, "y"), (0, "z")]), None))
    assert rows[0] == ["question", "option", "votes", "percent"]
    assert rows[1] == ["Q", "A", "2", "66.7"]
    assert rows[2] == ["Q", "B", "1", "33.3"]
    assert all(len(row) == 4 for row in rows)


def test_csv_named_poll_lists_voters() -> None:
    votes = tally(2, [(0, "x"), (0, "y")])
    rows = _rows(results_csv("Q", ["A", "B"], votes, {0: ["Ann Lee", "Bo, Jr."]}))
    assert rows[0][-1] == "voters"
    assert rows[1][-1] == "Ann Lee; Bo, Jr."
    assert rows[2][-1] == ""


def test_csv_guards_formula_injection() -> None:
    votes = tally(2, [(0, "x")])
    rows = _rows(
        results_csv(
            "=cmd|' /C calc'!A0",
            ["+SUM(A1)", "-2"],
            votes,
            {0: ["@evil", "ok"], 1: ["=HYPERLINK(1)"]},
        )
    )
    assert rows[1][0] == "'=cmd|' /C calc'!A0"
    assert rows[1][1] == "'+SUM(A1)"
    assert rows[2][1] == "'-2"
    assert rows[1][4] == "'@evil; ok"
    assert rows[2][4] == "'=HYPERLINK(1)"
    assert csv_safe("plain") == "plain"
    assert csv_safe("\tx") == "'\tx"


# --------------------------------------------------------------------------- templates


EVENTS = {
    "coffee": "Coffee pairings",
    "breakfast": "Breakfast switch-up",
    "bookclub": "Book club",
    "talks": "TED-style talk",
    "advent": "Advent of learning",
    "discussion": "Topic discussion",
}


def test_next_event_template_offers_the_catalogues_event_kinds() -> None:
    labels = CATALOG.event_labels()
    assert "poll" not in labels and "announcement" not in labels
    assert next_event_template([], labels)[1] == tuple(labels.values())


def test_next_event_template_from_kinds() -> None:
    question, options = next_event_template(
        ["coffee", "poll", "bookclub", "announcement", "coffee", "talks"], EVENTS
    )
    assert question == "Which event should we run next?"
    assert options == ("Coffee pairings", "Book club", "TED-style talk")


def test_next_event_template_defaults_to_everything() -> None:
    everything = (
        "Coffee pairings",
        "Breakfast switch-up",
        "Book club",
        "TED-style talk",
        "Advent of learning",
        "Topic discussion",
    )
    assert next_event_template([], EVENTS)[1] == everything
    assert next_event_template(["poll", "announcement"], EVENTS)[1] == everything
    # A single kind would make an invalid one-option poll.
    assert next_event_template(["coffee"], EVENTS)[1] == everything


def test_next_event_template_builds_a_valid_poll() -> None:
    question, options = next_event_template([], EVENTS)
    assert build_poll_spec(question, options, now=NOW).options == options
