"""Advent's pure rules: dates and presets, which entry fills which day, entry text."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from activities.errors import UserError
from activities.forms import FormContext, Inputs
from activities.kinds.advent import rules
from activities.kinds.advent.rules import AdventSettings, Candidate

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
CTX = FormContext(kind="advent", timezone="Europe/Berlin", now=NOW)


def parse(**values: str) -> rules.AdventSettings:
    return rules.parse(Inputs(values), CTX).settings


def test_defaults_are_the_first_24_days_of_december_at_nine() -> None:
    draft = rules.parse(Inputs({}), CTX)
    assert (draft.settings.start, draft.settings.end) == (date(2026, 12, 1), date(2026, 12, 24))
    assert draft.settings.at == "09:00"
    assert draft.schedule_text == "once 2026-12-24 09:00"  # the recap's slot: the last day


def test_presets_pick_the_next_range_that_has_not_started() -> None:
    christmas = parse(preset="christmas")
    assert (christmas.start, christmas.end) == (date(2026, 12, 25), date(2027, 1, 5))
    assert len(rules.days(christmas)) == 12
    later = FormContext(kind="advent", timezone="UTC", now=datetime(2026, 12, 2, tzinfo=UTC))
    december = rules.parse(Inputs({"preset": "december"}), later).settings
    assert december.start == date(2027, 12, 1)


def test_dates_given_win_and_one_date_implies_24_days() -> None:
    assert parse(**{"from": "2026-12-05"}).end == date(2026, 12, 28)
    assert parse(**{"to": "2026-12-24"}).start == date(2026, 12, 1)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"from": "2026-12-10", "to": "2026-12-01"}, "before the start"),
        ({"from": "2026-12-01", "to": "2027-01-30"}, "61 days; the longest is 60"),
        ({"from": "2026-11-01"}, "starts in the past"),
        ({"from": "1 dec"}, "a date like 2026-12-01"),
        ({"time": "9.30"}, "24-hour time"),
        ({"from": "2026-12-05", "to": "2026-12-06", "weekdays": "on"}, "no weekday"),
    ],
)
def test_bad_ranges_say_what_to_fix(values: dict[str, str], expected: str) -> None:
    with pytest.raises(UserError, match=expected):
        parse(**values)


def test_weekdays_only_skip_saturday_and_sunday() -> None:
    settings = AdventSettings(start=date(2026, 12, 4), end=date(2026, 12, 8), weekdays=True)
    assert rules.days(settings) == [date(2026, 12, 4), date(2026, 12, 7), date(2026, 12, 8)]


def test_due_at_is_the_wall_time_in_the_runs_zone() -> None:
    settings = AdventSettings(start=date(2026, 12, 1), end=date(2026, 12, 2), at="09:00")
    assert rules.due_at(settings, "Europe/Berlin", date(2026, 12, 1)) == datetime(
        2026, 12, 1, 8, 0, tzinfo=UTC
    )


DAYS = [date(2026, 12, d) for d in range(1, 6)]


def test_plan_keeps_posted_days_pins_then_fills_in_order() -> None:
    taken = {DAYS[0]: 10, DAYS[1]: None}  # day 2 passed as a gap
    queue = [Candidate(11), Candidate(12, pinned_on=DAYS[4]), Candidate(13)]
    assert rules.plan(DAYS, taken, queue) == {
        DAYS[0]: 10,
        DAYS[1]: None,
        DAYS[2]: 11,
        DAYS[3]: 13,
        DAYS[4]: 12,
    }


def test_plan_leaves_gaps_when_the_queue_runs_out_and_pins_on_posted_days_queue() -> None:
    queue = [Candidate(1, pinned_on=DAYS[0]), Candidate(2, pinned_on=DAYS[0])]
    found = rules.plan(DAYS[:3], {DAYS[0]: 9}, queue)
    assert found == {DAYS[0]: 9, DAYS[1]: 1, DAYS[2]: 2}
    assert rules.plan(DAYS[:2], {}, [])[DAYS[1]] is None


def test_bulk_lines_take_an_optional_link_and_any_bad_line_refuses_all() -> None:
    text = "Tip one | https://example.com/a\n\n  Tip two  \n"
    assert rules.parse_entry_lines(text) == [("Tip one", "https://example.com/a"), ("Tip two", "")]
    with pytest.raises(UserError, match="Line 2: A link starts with https://"):
        rules.parse_entry_lines("fine\nbad | ftp://nope")
    with pytest.raises(UserError, match="at least one entry"):
        rules.parse_entry_lines(" \n ")


def test_tips_are_limited_as_slack_counts_them_and_pending_ones_are_capped() -> None:
    assert rules.check_tip("  a tip ") == "a tip"
    with pytest.raises(UserError, match="limit is 1500"):
        rules.check_tip("<" * 400)  # 400 characters, 1,600 once escaped
    rules.check_cap(2, 3)
    with pytest.raises(UserError, match="the limit is 3"):
        rules.check_cap(3, 3)


def test_yesterday_line() -> None:
    friday, saturday, monday = date(2026, 12, 4), date(2026, 12, 5), date(2026, 12, 7)
    said = rules.yesterday_line(23, 9, previous=friday, today=saturday)
    assert said == "Yesterday: 23 reactions, 9 replies"
    said = rules.yesterday_line(1, 1, previous=friday, today=monday)
    assert said == "Last time (Fri 04 Dec): 1 reaction, 1 reply"


def test_a_text_file_reads_like_the_bulk_form_but_keeps_its_good_lines() -> None:
    good, bad = rules.parse_entry_file("One\n\nTwo | https://x.test\nThree | nope\n", as_csv=False)
    assert good == [("One", ""), ("Two", "https://x.test")]
    assert bad == ["Line 4: A link starts with https:// and has no spaces, not `nope`."]


def test_a_csv_file_skips_its_header_and_refuses_extra_columns() -> None:
    good, bad = rules.parse_entry_file('tip,link\n"a, b",\nx,y,z\n', as_csv=True)
    assert good == [("a, b", "")]
    assert bad == ["Line 3: expected a tip and an optional link, two columns."]
