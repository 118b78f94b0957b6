"""The calendar in Slack: entries grouped by week, each time in the reader's own zone."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from activities.text import escape_mrkdwn
from activities.timeline import TimelineEntry
from bot.blocks.common import SECTION_LIMIT, Block, section, slack_date
from bot.ics import message_link

MAX_WEEK_SECTIONS = 12
MAX_LINES_PER_WEEK = 25


def line(entry: TimelineEntry) -> str:
    when = slack_date(entry.start, "{date_short_pretty} {time}")
    title = f"*{escape_mrkdwn(entry.title[:150])}*"
    if entry.status == "cancelled":
        title = f"~{title}~ (cancelled)"
    posted = ""
    if entry.message is not None:
        posted = f" · <{message_link(*entry.message)}|message>"
    return f"• {when} {title} in <#{entry.channel_id}>{posted}"


def week_start(moment: datetime, zone: str) -> datetime:
    """Monday 00:00 of the viewer's week holding `moment`."""
    local = moment.astimezone(ZoneInfo(zone))
    monday = (local - timedelta(days=local.weekday())).date()
    return datetime(monday.year, monday.month, monday.day, tzinfo=ZoneInfo(zone))


def by_week(entries: Sequence[TimelineEntry], zone: str) -> list[tuple[datetime, list[str]]]:
    weeks: dict[datetime, list[str]] = {}
    for entry in entries:
        weeks.setdefault(week_start(entry.start, zone), []).append(line(entry))
    return sorted(weeks.items())


def calendar_view(
    entries: Sequence[TimelineEntry], *, zone: str, weeks: int
) -> tuple[str, list[Block]]:
    if not entries:
        text = f"Nothing on the calendar for the next {weeks} weeks."
        return text, [section(text)]
    head = f"*The next {weeks} weeks* ({len(entries)} dated things)"
    blocks: list[Block] = [section(head)]
    for start, lines in by_week(entries, zone)[:MAX_WEEK_SECTIONS]:
        shown = lines[:MAX_LINES_PER_WEEK]
        if len(lines) > len(shown):
            shown.append(f"…and {len(lines) - len(shown)} more")
        body = f"*Week of {slack_date(start, '{date_long}')}*\n" + "\n".join(shown)
        while len(body) > SECTION_LIMIT and len(shown) > 1:
            shown = [*shown[:-2], "…and more"]
            body = f"*Week of {slack_date(start, '{date_long}')}*\n" + "\n".join(shown)
        blocks.append(section(body))
    return head, blocks


def coming_up(entries: Sequence[TimelineEntry]) -> list[Block]:
    if not entries:
        return []
    return [section("*Coming up*\n" + "\n".join(line(e) for e in entries))]
