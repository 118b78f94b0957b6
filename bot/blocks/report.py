"""The community report as Block Kit: a header, participation, then each activity."""

from __future__ import annotations

from activities.report.figures import Figure, Report
from bot.blocks.common import Block, context, divider, header, section


def _line(f: Figure, previous_label: str) -> str:
    change = f" ({f.change})" if f.change else ""
    return f"• {f.label}: *{f.shown(f.current)}*{change} — {previous_label}: {f.shown(f.previous)}"


def report_text(report: Report) -> str:
    people = report.participation[0]
    return (
        f"Community report for {report.label}: {people.shown(people.current)} members took "
        f"part ({people.shown(people.previous)} in {report.previous_label})."
    )


def report_blocks(report: Report, *, note: str = "") -> list[Block]:
    """The figures against the period before. Numbers only: a report names nobody."""
    short = report.previous_label
    blocks: list[Block] = [
        header(f"Community report — {report.label}"),
        context(f"Compared with {short}. Aggregates only: nobody is named."),
        section("*Participation*\n" + "\n".join(_line(f, short) for f in report.participation)),
        divider(),
    ]
    for part in report.sections:
        lines = "\n".join(_line(f, short) for f in part.figures)
        blocks.append(section(f"*{part.label}*\n{lines}"))
    if note:
        blocks.append(context(note))
    return blocks
