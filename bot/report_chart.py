"""The report's chart: participation over twelve months, and per activity (a PNG).

matplotlib is imported here only, with the Agg backend (no display), and only when a
chart is drawn: the rest of the bot starts without it.
"""

from __future__ import annotations

import io

from activities.report.figures import Report


def chart_png(report: Report) -> bytes:
    """Two panels: members taking part each month; each activity, period vs the one before."""
    # Imported on first use: ~0.5 s that a bot which never draws a chart should not pay.
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(10, 4.5), dpi=80)
    trend, split = fig.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
    months = [m for m, _ in report.series]
    counts = [n for _, n in report.series]
    trend.plot(range(len(months)), counts, marker="o", color="#2a7ab9")
    trend.set_xticks(range(len(months)), [m[2:] for m in months], rotation=45, fontsize=8)
    trend.set_title("Members who took part, by month")
    trend.set_ylim(bottom=0)
    trend.grid(axis="y", alpha=0.3)
    labels = [label for label, _, _ in report.by_activity]
    rows = range(len(labels))
    split.barh(
        [y + 0.2 for y in rows],
        [now for _, now, _ in report.by_activity],
        0.4,
        label=report.label,
        color="#2a7ab9",
    )
    split.barh(
        [y - 0.2 for y in rows],
        [old for _, _, old in report.by_activity],
        0.4,
        label=report.previous_label,
        color="#b0c4d8",
    )
    split.set_yticks(list(rows), labels, fontsize=8)
    split.invert_yaxis()
    split.set_title("Members taking part, per activity")
    split.legend(fontsize=8)
    fig.suptitle(f"Community report — {report.label}")
    # Fixed margins: tight_layout measures every label twice and costs more than drawing.
    fig.subplots_adjust(left=0.05, right=0.98, bottom=0.15, top=0.85, wspace=0.45)
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
