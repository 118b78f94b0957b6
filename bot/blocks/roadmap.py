"""The roadmap message: the next quarter by month, each time in the reader's own zone."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from activities.roadmap import QUARTER, Month
from bot.blocks.calendar import line_of, titled
from bot.blocks.common import Block, context, section


def roadmap_message(months: Sequence[Month]) -> tuple[str, list[Block]]:
    weeks = QUARTER.days // 7
    head = f"🗺️ *Roadmap: the next {weeks} weeks*"
    if not months:
        text = f"{head}\nNothing is planned yet."
        return text, [section(text)]
    count = sum(len(m.lines) for m in months)
    blocks: list[Block] = [section(f"{head} ({count} dated things)")]
    for month in months:
        lines = [
            line_of(
                datetime.fromisoformat(li.start), li.title, li.channel_id, li.status, li.message
            )
            for li in month.lines
        ]
        blocks.append(titled(f"*{month.label}*", lines))
    blocks.append(context("Kept up to date by Convene · times are in your own time zone"))
    return f"{head} ({count} dated things)", blocks
