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
    return line_of(entry.start, entry.title, entry.channel_id, entry.status, entry.message)


def line_of(
    start: datetime, title: str, channel_id: str, status: str, message: tuple[str, str] | None
) -> str:
    """One dated thing: when (in the reader's zone), what, where, and its message."""
    when = slack_date(start, "{date_short_pretty} {time}")
    shown = f"*{escape_mrkdwn(title[:150])}*"
    if status == "cancelled":
        shown = f"~{shown}~ (cancelled)"
    posted = ""
    if message is not None:
        posted = f" · <{message_link(*message)}|message>"
    return f"• {when} {shown} in <#{channel_id}>{posted}"


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
        blocks.append(titled(f"*Week of {slack_date(start, '{date_long}')}*", lines))
    return head, blocks


def titled(head: str, lines: Sequence[str]) -> Block:
    """A section of lines under a heading, cut to what one section may hold."""
    shown = list(lines[:MAX_LINES_PER_WEEK])
    if len(lines) > len(shown):
        shown.append(f"…and {len(lines) - len(shown)} more")
    body = head + "\n" + "\n".join(shown)
    while len(body) > SECTION_LIMIT and len(shown) > 1:
        shown = [*shown[:-2], "…and more"]
        body = head + "\n" + "\n".join(shown)
    return section(body)


def coming_up(entries: Sequence[TimelineEntry]) -> list[Block]:
    if not entries:
        return []
    return [section("*Coming up*\n" + "\n".join(line(e) for e in entries))]
