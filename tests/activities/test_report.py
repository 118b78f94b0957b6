"""The report's pure figures: periods, who took part, comparisons, privacy, CSV."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from activities.errors import UserError
from activities.report import export, figures, periods
from activities.report import rows as r
from activities.report.use_cases import first_working_day, monthly_due

TODAY = date(2026, 12, 2)


def test_periods_default_to_the_last_complete_month_or_quarter() -> None:
    assert periods.parse("", today=TODAY) == periods.Period("2026-11")
    assert periods.parse("month", today=TODAY).label == "November 2026"
    quarter = periods.parse("quarter", today=TODAY)
    assert quarter.months == ("2026-07", "2026-08", "2026-09")
    assert quarter.key == "2026-Q3" and quarter.previous().key == "2026-Q2"
    assert periods.parse("2026-q3", today=TODAY) == quarter
    assert periods.parse("2025-12", today=TODAY).previous() == periods.Period("2025-11")
    assert periods.Period("2026-01").previous().first == "2025-12"
    assert periods.parse("2026-11", today=date(2026, 12, 1)).end == datetime(
        2026, 12, 1, tzinfo=UTC
    )


BAD = {
    "in the future": ["2027-01", "2027-Q1"],
    "isn't over yet": ["2026-12", "2026-Q4"],
    "isn't a period": ["2026-13", "last-year", "<!channel>"],
}


def test_bad_periods_are_refused_saying_why() -> None:
    for says, texts in BAD.items():
        for text in texts:
            with pytest.raises(UserError) as caught:
                periods.parse(text, today=TODAY)
            assert says in str(caught.value), text
            assert "<!channel>" not in str(caught.value)


def _rows() -> r.Rows:
    """October: ann and bob; November: bob again, cat new, and a group that met."""
    return r.Rows(
        touches=[
            r.Touch(r.POLLS, "UANN", "2026-10"),
            r.Touch(r.POLLS, "UBOB", "2026-10"),
            r.Touch(r.POLLS, "UBOB", "2026-11"),
            r.Touch(r.THANKS, "UCAT", "2026-11"),
            r.Touch(r.ADVENT, "UCAT", "2026-11"),
        ],
        groups=[
            r.GroupRow(r.COFFEE, "2026-11", ("UDAN", "UEVE"), answered=("UDAN",), met=True),
            r.GroupRow(r.COFFEE, "2026-11", ("UFAY", "UGUS"), answered=("UFAY",), met=False),
            r.GroupRow(r.COFFEE, "2026-11", ("UHAL", "UIVY")),
        ],
        wins=[r.WinRow("2026-11", "UBOB", ("UJO",))],
        counts=[
            r.Count(r.Metric.POLLS_RUN, "2026-10", 1),
            r.Count(r.Metric.POLL_RESPONSES, "2026-10", 2),
            r.Count(r.Metric.POLLS_RUN, "2026-11", 2),
            r.Count(r.Metric.POLL_RESPONSES, "2026-11", 3),
            r.Count(r.Metric.THANKS_GIVEN, "2026-11", 1),
            r.Count(r.Metric.reactions(r.ADVENT), "2026-11", 4),
        ],
    )


def test_took_part_counts_met_groups_answerers_and_win_credits_not_silent_members() -> None:
    people = {(t.source, t.user_id) for t in figures.took_part(_rows())}
    assert (r.COFFEE, "UEVE") in people  # in a group that met, though she didn't answer
    assert (r.COFFEE, "UFAY") in people  # answered (did not meet)
    assert (r.COFFEE, "UGUS") not in people and (r.COFFEE, "UHAL") not in people
    assert {(r.WINS, "UBOB"), (r.WINS, "UJO")} <= people


def test_participation_new_returning_retention_and_share() -> None:
    channel = ["UANN", "UBOB", "UCAT", "UDAN", "UEVE", "UFAY", "UGUS", "UHAL", "UIVY", "UZED"]
    report = figures.build(_rows(), period=periods.Period("2026-11"), members=channel)
    by = {f.label: f for f in report.participation}
    took_part = by["Members who took part"]
    # bob, cat, dan, eve, fay, jo
    assert (took_part.current, took_part.previous) == (6, 2)
    assert took_part.change == "+4"
    assert by["New (first time)"].current == 5  # all but bob
    assert by["Returning"].current == 1
    assert by["Retention (took part in the period before too)"].current == 0.5  # bob of ann, bob
    share = by["Share of the channel's members"]
    assert share.current == 0.5 and share.shown(share.current) == "50%"  # jo isn't in it
    assert dict(report.series)["2026-11"] == 6 and len(report.series) == 12
    assert report.series[-1][0] == "2026-11" and report.series[0][0] == "2025-12"


def test_per_activity_figures_and_rates() -> None:
    report = figures.build(_rows(), period=periods.Period("2026-11"), members=["a"] * 10)
    sections = {s.source: {f.label: f for f in s.figures} for s in report.sections}
    coffee = sections[r.COFFEE]
    assert coffee["Groups made"].current == 3
    assert coffee["Groups that answered the check-in"].current == 2
    assert coffee["Met rate (of groups that answered)"].current == 0.5
    polls = sections[r.POLLS]
    rate = polls["Response rate (responses per poll, of the channel's members)"]
    assert (rate.current, rate.previous) == (3 / 20, 2 / 10)
    assert rate.change == "-5 pts"
    assert sections[r.ADVENT]["Reactions"].current == 4
    assert r.BOOKCLUB not in sections  # nothing there, in either period: not shown
    assert dict((a, (n, o)) for a, n, o in report.by_activity)["Polls"] == (1, 2)


def test_a_report_names_nobody_and_survives_the_outbox_and_csv() -> None:
    report = figures.build(_rows(), period=periods.Period("2026-11"), members=None)
    assert export.from_payload(export.to_payload(report)) == report
    text = export.to_csv(report)
    for user in ("UANN", "UBOB", "UCAT", "UDAN", "UEVE", "UFAY", "UGUS", "UHAL", "UIVY", "UJO"):
        assert user not in str(export.to_payload(report)) and user not in text
    assert "Participation,Members who took part,6,2,+4" in text
    assert "2026-11,6" in text


def test_an_empty_period_has_no_data() -> None:
    report = figures.build(_rows(), period=periods.Period("2026-06"))
    assert not report.has_data
    assert figures.build(_rows(), period=periods.Period("2026-11")).has_data


def test_the_monthly_report_is_due_from_the_first_working_day() -> None:
    assert first_working_day(2026, 11) == date(2026, 11, 2)  # 1 Nov 2026 is a Sunday
    assert first_working_day(2027, 5) == date(2027, 5, 3)  # a Saturday first
    assert first_working_day(2026, 12) == date(2026, 12, 1)
    assert monthly_due(datetime(2026, 11, 1, 12, tzinfo=UTC)) is None
    assert monthly_due(datetime(2026, 11, 2, 7, 59, tzinfo=UTC)) is None
    assert monthly_due(datetime(2026, 11, 2, 8, 0, tzinfo=UTC)) == periods.Period("2026-10")
    assert monthly_due(datetime(2026, 11, 20, tzinfo=UTC)) == periods.Period("2026-10")
