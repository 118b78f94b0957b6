"""Advent's settings, form and pure decisions: which days post, which entry fills which day."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from activities.errors import UserError
from activities.forms import SWITCH_ON, Draft, Field, Form, FormContext, Inputs
from activities.kind import KindSettings
from activities.text import check_length, escape_mrkdwn

EXAMPLE = "/community new advent #learning --from 2026-12-01 --to 2026-12-24 --time 09:00"
MAX_DAYS = 60
MAX_TIP = 1500
MAX_LINK = 500
PENDING_CAP = 3
GAP_NOTICE_AHEAD = timedelta(days=2)

DECEMBER = "december"
CHRISTMAS = "christmas"
CUSTOM = "custom"
PRESETS = (
    ("24 days of December (1–24 Dec)", DECEMBER),
    ("12 days of Christmas (25 Dec – 5 Jan)", CHRISTMAS),
    ("The dates below", CUSTOM),
)

_TIME_RE = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")
_LINK_RE = re.compile(r"https?://\S+")


class AdventSettings(KindSettings):
    start: date
    end: date
    at: str = "09:00"  # local time of each day's post, "HH:MM"
    weekdays: bool = False
    cap: int = PENDING_CAP  # pending contributions a member may have at once


def _date(inputs: Inputs, name: str) -> date | None:
    raw = inputs.text(name)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise UserError(
            f"`--{name}` is a date like 2026-12-01, not `{escape_mrkdwn(raw[:40])}`. "
            f"Example: `{EXAMPLE}`",
            field=name,
        ) from None


def parse_time(raw: str) -> time:
    match = _TIME_RE.fullmatch(raw.strip())
    if match is None:
        raise UserError(
            f"`--time` is a 24-hour time like 09:00, not `{escape_mrkdwn(raw[:40])}`.",
            field="time",
        )
    return time(int(match[1]), int(match[2]))


def preset_dates(preset: str, today: date) -> tuple[date, date]:
    """The preset's next range that has not started yet (this year's, else next year's)."""
    for year in (today.year, today.year + 1):
        if preset == CHRISTMAS:
            start, end = date(year, 12, 25), date(year + 1, 1, 5)
        else:
            start, end = date(year, 12, 1), date(year, 12, 24)
        if start >= today:
            return start, end
    raise AssertionError("a preset always has a future range")


def parse(inputs: Inputs, ctx: FormContext) -> Draft[AdventSettings]:
    today = ctx.now.astimezone(ZoneInfo(ctx.timezone)).date()
    preset = inputs.text("preset", DECEMBER)
    start, end = _date(inputs, "from"), _date(inputs, "to")
    if preset != CUSTOM or (start is None and end is None):
        default_start, default_end = preset_dates(
            CHRISTMAS if preset == CHRISTMAS else DECEMBER, today
        )
        if start is None and end is None:
            start, end = default_start, default_end
    if start is None:
        assert end is not None
        start = end - timedelta(days=23)
    if end is None:
        end = start + timedelta(days=23)
    at = parse_time(inputs.text("time", "09:00"))
    if end < start:
        raise UserError(
            f"The end ({end.isoformat()}) is before the start ({start.isoformat()}). "
            f"Example: `{EXAMPLE}`",
            field="to",
        )
    length = (end - start).days + 1
    if length > MAX_DAYS:
        raise UserError(
            f"That run is {length} days; the longest is {MAX_DAYS}. Pick a later `--from` "
            f"or an earlier `--to`. Example: `{EXAMPLE}`",
            field="to",
        )
    if start < today:
        raise UserError(
            f"The run starts in the past ({start.isoformat()}); pick today or later.",
            field="from",
        )
    settings = AdventSettings(
        start=start, end=end, at=f"{at:%H:%M}", weekdays=inputs.switch("weekdays")
    )
    posting = days(settings)
    if not posting:
        raise UserError("Those dates hold no weekday; widen the range.", field="to")
    when = " on weekdays" if settings.weekdays else ""
    return Draft(
        title="Advent of learning",
        schedule_text=f"once {posting[-1].isoformat()} {settings.at}",
        settings=settings,
        summary=(
            f"{len(posting)} daily posts, {start:%d %b} – {end:%d %b} at {settings.at}{when} "
            "(recap on the last day)."
        ),
    )


def inputs_of(settings: AdventSettings, schedule_text: str) -> dict[str, str]:
    return {
        "preset": CUSTOM,
        "from": settings.start.isoformat(),
        "to": settings.end.isoformat(),
        "time": settings.at,
        "weekdays": SWITCH_ON if settings.weekdays else "",
    }


FORM = Form(
    title="New advent of learning",
    example=EXAMPLE,
    settings=AdventSettings,
    fields=(
        Field("preset", "Dates", kind="choice", choices=PRESETS, default=DECEMBER),
        Field("from", "From (custom dates)", kind="date", placeholder="2026-12-01"),
        Field("to", "To (custom dates)", kind="date", placeholder="2026-12-24"),
        Field("time", "Time of each post", kind="time", default="09:00"),
        Field("weekdays", "Weekdays", kind="switch", hint="Weekdays only"),
    ),
    parse=parse,
    inputs_of=inputs_of,
    schedule_field="to",  # a run is scheduled up to its last day
)


def days(settings: AdventSettings) -> list[date]:
    """The dates that get a post, in order."""
    found = []
    day = settings.start
    while day <= settings.end:
        if not settings.weekdays or day.weekday() < 5:
            found.append(day)
        day += timedelta(days=1)
    return found


def due_at(settings: AdventSettings, timezone: str, day: date) -> datetime:
    """When `day`'s post goes out, as UTC (the run's own time zone decides the wall time)."""
    local = datetime.combine(day, parse_time(settings.at), tzinfo=ZoneInfo(timezone))
    return local.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class Candidate:
    """An approved entry not yet posted, in its place in the queue."""

    entry_id: int
    pinned_on: date | None = None


def plan(
    posting_days: Sequence[date],
    taken: Mapping[date, int | None],
    queue: Sequence[Candidate],
) -> dict[date, int | None]:
    """Which entry each day gets: posted days keep theirs, pinned entries take their day,
    the rest of the queue fills the free days in order; a day left without one is a gap."""
    result: dict[date, int | None] = {d: taken[d] for d in posting_days if d in taken}
    free = [d for d in posting_days if d not in taken]
    rest: list[int] = []
    for candidate in queue:
        if candidate.pinned_on in free and candidate.pinned_on not in result:
            result[candidate.pinned_on] = candidate.entry_id
        else:
            rest.append(candidate.entry_id)
    fill = iter(rest)
    for day in free:
        if day not in result:
            result[day] = next(fill, None)
    return result


def check_tip(text: str, *, field: str = "tip", line: int | None = None) -> str:
    text = text.strip()
    where = f"Line {line}: " if line is not None else ""
    if not text:
        raise UserError(f"{where}An entry needs a tip; it is empty.", field=field)
    return check_length(text, MAX_TIP, what=f"{where}That tip", field=field)


def check_link(text: str, *, field: str = "link", line: int | None = None) -> str:
    text = text.strip()
    if not text:
        return ""
    where = f"Line {line}: " if line is not None else ""
    if len(text) > MAX_LINK or not _LINK_RE.fullmatch(text):
        raise UserError(
            f"{where}A link starts with https:// and has no spaces, "
            f"not `{escape_mrkdwn(text[:60])}`.",
            field=field,
        )
    return text


def parse_entry_lines(text: str) -> list[tuple[str, str]]:
    """Bulk entries, one per line: `tip` or `tip | https://link`. Any bad line refuses all."""
    entries = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        tip, _, link = raw.rpartition(" | ") if " | " in raw else (raw, "", "")
        entries.append(
            (
                check_tip(tip, field="entries", line=number),
                check_link(link, field="entries", line=number),
            )
        )
    if not entries:
        raise UserError("Add at least one entry: one tip per line.", field="entries")
    return entries


MAX_FILE_BYTES = 256 * 1024
MAX_FILE_ENTRIES = 200
_HEADER_WORDS = {"tip", "tips", "entry", "entries", "text"}


def parse_entry_file(text: str, *, as_csv: bool) -> tuple[list[tuple[str, str]], list[str]]:
    """An uploaded file's entries: CSV rows `tip,link` (a header row is skipped) or text
    lines like the bulk form. Good rows are kept; each bad one is listed by its line."""
    rows: list[tuple[int, list[str]]] = []
    if as_csv:
        reader = csv.reader(io.StringIO(text))
        for row in reader:
            rows.append((reader.line_num, [cell.strip() for cell in row]))
        if rows and rows[0][1] and rows[0][1][0].casefold() in _HEADER_WORDS:
            rows = rows[1:]
    else:
        for number, raw in enumerate(text.splitlines(), start=1):
            tip, _, link = raw.rpartition(" | ") if " | " in raw else (raw, "", "")
            rows.append((number, [tip.strip(), link.strip()]))
    entries: list[tuple[str, str]] = []
    problems: list[str] = []
    for number, cells in rows:
        if not any(cells):
            continue
        if len(cells) > 2:
            problems.append(f"Line {number}: expected a tip and an optional link, two columns.")
            continue
        try:
            tip = check_tip(cells[0], field="entries", line=number)
            link = check_link(cells[1] if len(cells) > 1 else "", field="entries", line=number)
        except UserError as exc:
            problems.append(str(exc))
            continue
        if len(entries) >= MAX_FILE_ENTRIES:
            problems.append(f"Line {number}: a file takes at most {MAX_FILE_ENTRIES} entries.")
            continue
        entries.append((tip, link))
    return entries, problems


def check_cap(pending: int, cap: int) -> None:
    if pending >= cap:
        raise UserError(
            f"You already have {pending} tips waiting for an organiser; the limit is {cap}. "
            "You can send another once one is approved or returned.",
            field="tip",
        )


def yesterday_line(reactions: int, replies: int, *, previous: date, today: date) -> str:
    """The day post's look back: "Yesterday: 23 reactions, 9 replies" (after a weekend or a
    skipped day, "Last time (Fri 04 Dec): …")."""
    when = (
        "Yesterday" if today - previous == timedelta(days=1) else f"Last time ({previous:%a %d %b})"
    )
    said_reactions = "1 reaction" if reactions == 1 else f"{reactions} reactions"
    said_replies = "1 reply" if replies == 1 else f"{replies} replies"
    return f"{when}: {said_reactions}, {said_replies}"
