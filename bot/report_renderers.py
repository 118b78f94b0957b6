"""Renderers of the report's intents: figures as blocks, the chart and the CSV, by DM.

Each row carries the report it was asked for (plain JSON), so what is sent is exactly
what was computed, however late the courier sends it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from sqlmodel.ext.asyncio.session import AsyncSession

from activities.intents import IntentType
from activities.report import export
from activities.report import intents as report_intents
from activities.report.figures import Report
from bot.blocks.common import section
from bot.blocks.report import report_blocks, report_text
from bot.delivery import Delivery, Post, Renderer, Skip, Upload
from bot.report_chart import chart_png
from storage.models import OutboxMessage


def _recipient(row: OutboxMessage) -> tuple[str, ...]:
    return (str(row.payload["user_id"]),)


def _asked(row: OutboxMessage) -> bool:
    """Asked for just now (`/community report`): an answer, not held for quiet hours;
    the monthly report to organisers is."""
    return bool(row.payload.get("asked"))


async def _figures(session: AsyncSession, row: OutboxMessage) -> Delivery:
    report = export.from_payload(row.payload["report"])
    note = "The chart and a CSV of these figures follow."
    return Post(
        text=report_text(report),
        blocks=report_blocks(report, note=note),
        users=_recipient(row),
        answer=_asked(row),
    )


async def _chart(session: AsyncSession, row: OutboxMessage) -> Delivery:
    report = export.from_payload(row.payload["report"])
    # Drawn by the courier at send time, in a thread and outside the database turn.
    return _report_file(row, report, "png", partial(chart_png, report), "", report_text(report))


async def _csv(session: AsyncSession, row: OutboxMessage) -> Delivery:
    report = export.from_payload(row.payload["report"])
    content = export.to_csv(report).encode()
    comment = f"The figures of the {report.label} report, as CSV."
    return _report_file(row, report, "csv", content, " (CSV)", comment)


def _report_file(
    row: OutboxMessage,
    report: Report,
    extension: str,
    content: bytes | Callable[[], bytes],
    title_suffix: str,
    comment: str,
) -> Upload:
    """The chart or the CSV: a file named and titled after the report, to its recipient."""
    return Upload(
        filename=f"community-report-{report.period}.{extension}",
        content=content,
        title=f"Community report — {report.label}{title_suffix}",
        initial_comment=comment,
        users=_recipient(row),
        answer=_asked(row),
    )


async def _empty(session: AsyncSession, row: OutboxMessage) -> Delivery:
    text = str(row.payload["text"])
    return Post(text=text, blocks=[section(text)], users=_recipient(row))


async def _record(session: AsyncSession, row: OutboxMessage) -> Delivery:
    return Skip("the record that this month's report went out; its parts are their own rows")


RENDERERS: dict[IntentType, Renderer] = {
    report_intents.FIGURES: Renderer(_figures),
    report_intents.CHART: Renderer(_chart),
    report_intents.CSV: Renderer(_csv),
    report_intents.EMPTY: Renderer(_empty),
    report_intents.MONTHLY: Renderer(_record),
}
