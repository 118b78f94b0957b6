"""A report as the outbox keeps it (plain JSON), and as CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

from activities.report.figures import Figure, Report, Section


def _figure(f: Figure) -> list[Any]:
    return [f.label, f.current, f.previous, f.rate]


def _unfigure(raw: list[Any]) -> Figure:
    label, current, previous, rate = raw
    return Figure(str(label), current, previous, bool(rate))


def to_payload(report: Report) -> dict[str, Any]:
    return {
        "period": report.period,
        "label": report.label,
        "previous_label": report.previous_label,
        "participation": [_figure(f) for f in report.participation],
        "sections": [[s.source, s.label, [_figure(f) for f in s.figures]] for s in report.sections],
        "series": [list(point) for point in report.series],
        "by_activity": [list(item) for item in report.by_activity],
        "channel_members": report.channel_members,
    }


def from_payload(raw: dict[str, Any]) -> Report:
    return Report(
        period=str(raw["period"]),
        label=str(raw["label"]),
        previous_label=str(raw["previous_label"]),
        participation=tuple(_unfigure(f) for f in raw["participation"]),
        sections=tuple(
            Section(str(source), str(label), tuple(_unfigure(f) for f in figures))
            for source, label, figures in raw["sections"]
        ),
        series=tuple((str(month), int(n)) for month, n in raw["series"]),
        by_activity=tuple((str(a), int(now), int(before)) for a, now, before in raw["by_activity"]),
        channel_members=raw.get("channel_members"),
    )


def _value(f: Figure, value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.4f}" if f.rate else f"{value:g}"


def to_csv(report: Report) -> str:
    """One line a figure (period, the one before, the change), then the monthly series."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "figure", report.label, report.previous_label, "change"])
    sections = [("Participation", report.participation)]
    sections += [(s.label, s.figures) for s in report.sections]
    for name, figures in sections:
        for f in figures:
            writer.writerow([name, f.label, _value(f, f.current), _value(f, f.previous), f.change])
    writer.writerow([])
    writer.writerow(["month", "members who took part"])
    for month, count in report.series:
        writer.writerow([month, count])
    return out.getvalue()
