"""What the report asks to be said: its figures, its chart and its CSV, each by DM."""

from __future__ import annotations

from typing import Any

from activities.intents import Intent, IntentType

FIGURES = IntentType("report.figures")  # the figures as blocks, by DM
CHART = IntentType("report.chart")  # the PNG, uploaded to a DM
CSV = IntentType("report.csv")  # the same figures as CSV, uploaded to a DM
EMPTY = IntentType("report.empty")  # the monthly report had nothing to report
MONTHLY = IntentType("report.monthly")  # the record that a month's report went out
INTENTS = (FIGURES, CHART, CSV, EMPTY, MONTHLY)


def monthly_key(team_id: str, period: str) -> str:
    """One a team and month: the monthly report is sent once, across restarts."""
    return f"report:monthly:{team_id}:{period}"


def parts(
    prefix: str, user_id: str, report: dict[str, Any], *, figures: bool, asked: bool = False
) -> list[Intent]:
    """The report for one person: its figures (unless they had them as the reply), the
    chart and the CSV, each its own outbox row under `prefix`. `asked`: they asked for
    it just now (`/community report`), so it answers them at once, whatever the hour."""
    wanted = [FIGURES, CHART, CSV] if figures else [CHART, CSV]
    return [
        kind(f"{prefix}:{user_id}:{kind.name}", user_id=user_id, report=report, asked=asked)
        for kind in wanted
    ]
