"""The calendar in Slack: entries grouped by week, each time in the reader's own zone."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from activities.rsvp import ANSWERS, LABELS
from activities.text import escape_mrkdwn
from activities.timeline import TimelineEntry
from bot.blocks.common import SECTION_LIMIT, Block, actions, button, section, slack_date
from bot.blocks.rsvp import ACTION_PREFIX
from bot.ics import message_link

MAX_WEEK_SECTIONS = 12
MAX_LINES_PER_WEEK = 25
MAX_BLOCKS = 50  # Slack's limit for one message
# The block id of a calendar line's RSVP buttons: "calrsvp:<weeks>:<event key>", so a
# click redraws the calendar the person was looking at.
CALENDAR_RSVP = "calrsvp"
Answers = Mapping[str, str]


def takes_rsvp(entry: TimelineEntry) -> bool:
    return entry.rsvp_key is not None and entry.status == "confirmed"


def rsvp_buttons(event_key: str, answer: str | None, block_id: str) -> Block:
    """Going / Maybe / Can't, the viewer's own answer ticked."""
    elements = []
    for choice in ANSWERS:
        mine = choice == answer
        label = f"✓ {LABELS[choice]}" if mine else LABELS[choice]
        elements.append(
            button(label, f"{ACTION_PREFIX}{choice}", event_key, style="primary" if mine else None)
        )
    return actions(*elements, block_id=block_id[:255])


def _answered(entry: TimelineEntry, answers: Answers) -> str:
    answer = answers.get(entry.rsvp_key or "", "")
    for choice in ANSWERS:
        if choice == answer:
            return f"{line(entry)} · you: *{LABELS[choice]}*"
    return line(entry)


def _with_buttons(
    head: str,
    entries: Sequence[TimelineEntry],
    answers: Answers,
    block_id: Callable[[str], str],
    room: int,
) -> tuple[list[Block], int]:
    """A week's lines; each entry that takes RSVPs gets its buttons under its line while
    `room` lasts (the rest stay plain lines: their own messages carry buttons too)."""
    blocks: list[Block] = []
    lines: list[str] = []
    used = 0
    for entry in entries:
        if takes_rsvp(entry) and used < room:
            assert entry.rsvp_key is not None
            lines.append(_answered(entry, answers))
            blocks.append(titled(head if not blocks else "", lines))
            lines = []
            answer = answers.get(entry.rsvp_key)
            blocks.append(rsvp_buttons(entry.rsvp_key, answer, block_id(entry.rsvp_key)))
            used += 1
        else:
            lines.append(_answered(entry, answers))
    if lines:
        blocks.append(titled(head if not blocks else "", lines))
    return blocks, used


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


def by_week(
    entries: Sequence[TimelineEntry], zone: str
) -> list[tuple[datetime, list[TimelineEntry]]]:
    weeks: dict[datetime, list[TimelineEntry]] = {}
    for entry in entries:
        weeks.setdefault(week_start(entry.start, zone), []).append(entry)
    return sorted(weeks.items())


def calendar_view(
    entries: Sequence[TimelineEntry],
    *,
    zone: str,
    weeks: int,
    answers: Answers | None = None,
) -> tuple[str, list[Block]]:
    """The weeks' lines, with Going / Maybe / Can't under each line that takes RSVPs and
    the viewer's answer shown. Past 50 blocks the last lines lose their buttons first."""
    if not entries:
        text = f"Nothing on the calendar for the next {weeks} weeks."
        return text, [section(text)]
    head = f"*The next {weeks} weeks* ({len(entries)} dated things)"
    grouped = by_week(entries, zone)[:MAX_WEEK_SECTIONS]
    room = sum(1 for e in entries if takes_rsvp(e))
    while True:
        blocks: list[Block] = [section(head)]
        left = room
        for start, week in grouped:
            title = f"*Week of {slack_date(start, '{date_long}')}*"
            part, used = _with_buttons(
                title, week, answers or {}, lambda key: f"{CALENDAR_RSVP}:{weeks}:{key}", left
            )
            blocks.extend(part)
            left -= used
        if len(blocks) <= MAX_BLOCKS or room == 0:
            return head, blocks
        room -= 1


def titled(head: str, lines: Sequence[str]) -> Block:
    """A section of lines under a heading, cut to what one section may hold."""
    shown = list(lines[:MAX_LINES_PER_WEEK])
    if len(lines) > len(shown):
        shown.append(f"…and {len(lines) - len(shown)} more")
    top = [head] if head else []
    body = "\n".join(top + shown)
    while len(body) > SECTION_LIMIT and len(shown) > 1:
        shown = [*shown[:-2], "…and more"]
        body = "\n".join(top + shown)
    return section(body)


def coming_up(entries: Sequence[TimelineEntry], answers: Answers | None = None) -> list[Block]:
    """The Home tab's next entries, with RSVP buttons where they apply (a handful of
    entries: far inside Home's 100 blocks)."""
    if not entries:
        return []
    blocks, _ = _with_buttons(
        "*Coming up*", entries, answers or {}, lambda key: f"homersvp:{key}", len(entries)
    )
    return blocks
