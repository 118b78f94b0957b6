"""Schedules: parse what people type, store it as a rule, let APScheduler compute when.

A :class:`Schedule` is a normalised rule string plus an IANA time zone. Rules are
evaluated in the schedule's zone (so "09:00" stays 09:00 local across DST changes)
and every datetime that enters or leaves this module is aware; outputs are UTC.

Stored rule formats (``HH:MM`` is 24-hour local wall time):

``cron:<minute> <hour> <day-of-month> <month> <day-of-week>``
    Standard crontab semantics (0 and 7 are Sunday). Day-of-week is always stored
    as names (``mon-fri``, ``sat,sun``) so the rule reads the same whichever
    numbering convention the reader knows. Used for daily, weekly, weekday,
    day-of-month and user-supplied cron schedules.
``every:<N>w:<days>:<HH>:<MM>:<anchor YYYY-MM-DD>``
    Every N weeks on ``<days>`` (comma-separated names). The anchor is the first
    occurrence; it fixes which weeks are "on" so the parity never drifts.
``monthly:<1|2|3|4|last>:<mon..sun|day>:<HH>:<MM>``
    The nth (or last) weekday of every month; ``monthly:last:day`` is the last day.
``once:<YYYY-MM-DDTHH:MM>``
    A single occurrence.

Every-N-weeks uses a weekly ``CronTrigger`` plus a week-parity filter rather than
``CalendarIntervalTrigger``: the latter, given no previous fire time, returns its
start date regardless of ``now``, so finding "the next run after T" would mean
walking forward from the anchor. Parity is plain arithmetic on the anchor week,
and reusing the cron engine keeps DST handling identical to weekly schedules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, lru_cache
from itertools import pairwise
from zoneinfo import ZoneInfo, available_timezones

from apscheduler.triggers.cron import CronTrigger

from activities.errors import UserError

__all__ = [
    "Schedule",
    "ScheduleError",
    "describe",
    "next_run",
    "parse_deadline",
    "parse_duration",
    "parse_schedule",
    "preview",
    "validate_timezone",
]


class ScheduleError(UserError):
    """A schedule, deadline, duration or time zone that can't be used; the message is for users."""


@dataclass(frozen=True)
class Schedule:
    """A normalised rule (see the module docstring) evaluated in ``timezone``."""

    rule: str
    timezone: str


# --------------------------------------------------------------------------- vocabulary

SCHEDULE_HINT = '"every monday 09:00", "every 2 weeks on tuesday 10:30", "weekdays 08:45" or cron'
_SCHEDULE_EXAMPLES = (
    'Try "every monday 09:00", "every 2 weeks on tuesday 10:30", "weekdays 08:45" '
    'or cron "0 9 * * 1".'
)
_DEADLINE_EXAMPLES = (
    'Try "2d", "3h", "friday 17:00", "tomorrow 9:00", "17:00" or "2026-12-24 17:00".'
)
_DURATION_EXAMPLES = 'Try "2w", "10d" or "3 weeks".'
_TIME_EXAMPLES = 'Use 24-hour "HH:MM" such as "09:00" or "17:30", or "9am".'

# Index is ``date.weekday()``: Monday is 0, as in Python and APScheduler.
_DAY_ABBR = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_DAY_ALIASES: dict[str, int] = {
    **{name.lower(): i for i, name in enumerate(_DAY_NAMES)},
    **{abbr: i for i, abbr in enumerate(_DAY_ABBR)},
    "tues": 1,
    "weds": 2,
    "thur": 3,
    "thurs": 3,
}
_WEEKDAYS = (0, 1, 2, 3, 4)
_WEEKEND = (5, 6)
_ALL_DAYS = (0, 1, 2, 3, 4, 5, 6)

_POSITIONS = {
    "first": "1",
    "1st": "1",
    "second": "2",
    "2nd": "2",
    "third": "3",
    "3rd": "3",
    "fourth": "4",
    "4th": "4",
    "last": "last",
}
_POSITION_WORDS = {"1": "first", "2": "second", "3": "third", "4": "fourth", "last": "last"}
_APS_POSITIONS = {"1": "1st", "2": "2nd", "3": "3rd", "4": "4th", "last": "last"}

_FILLER_WORDS = frozenset({"at", "on", "the", "of", "by"})
_END_OF_DAY = time(23, 59)
_MAX_WEEKS = 52
_MAX_DURATION = timedelta(days=3660)
# A community calendar posting more often than hourly is almost certainly a typo'd cron.
_MIN_CRON_GAP = timedelta(hours=1)
_TINY = timedelta(microseconds=1)

_TIME_RE = re.compile(
    # Lookarounds stop us matching inside ISO dates/datetimes or longer numbers.
    r"(?<![\w:.-])"
    r"(?:(?P<h12>\d{1,2})(?::(?P<m12>\d{2}))?\s*(?P<ampm>[ap])\.?m\.?"
    r"|(?P<h24>\d{1,2}):(?P<m24>\d{2})"
    r"|(?P<word>noon|midday|midnight))"
    r"(?![\w:])"
)
_ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME_RE = re.compile(r"\d{4}-\d{2}-\d{2}[t ]\d{2}:\d{2}.*")
_CRON_FIELD_RE = re.compile(r"[\d*/,?-]+")
_CRON_DOW_PART_RE = re.compile(
    r"(?P<start>\*|\?|\d+|[a-z]+)(?:-(?P<end>\d+|[a-z]+))?(?:/(?P<step>\d+))?"
)
_DURATION_RE = re.compile(r"(?:\d+\s*[a-z]+\s*)+")
_DURATION_PART_RE = re.compile(r"(\d+)\s*([a-z]+)")
_DURATION_UNITS: dict[str, timedelta] = {
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), timedelta(weeks=1)),
    **dict.fromkeys(("d", "day", "days"), timedelta(days=1)),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), timedelta(hours=1)),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), timedelta(minutes=1)),
}


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class _CronRule:
    expr: str  # five fields, standard crontab semantics, day-of-week as names


@dataclass(frozen=True)
class _WeeksRule:
    weeks: int
    days: tuple[int, ...]
    hour: int
    minute: int
    anchor: date


@dataclass(frozen=True)
class _MonthlyRule:
    position: str  # "1".."4" or "last"
    day: int | None  # weekday; None means "the last day of the month"
    hour: int
    minute: int


@dataclass(frozen=True)
class _OnceRule:
    at: datetime  # naive local wall time, minute precision


_Rule = _CronRule | _WeeksRule | _MonthlyRule | _OnceRule

_EVERY_RULE_RE = re.compile(r"(\d+)w:([a-z,]+):(\d{2}):(\d{2}):(\d{4}-\d{2}-\d{2})")
_MONTHLY_RULE_RE = re.compile(r"([1-4]|last):([a-z]{3}):(\d{2}):(\d{2})")
_ONCE_RULE_RE = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}")


def _format_rule(rule: _Rule) -> str:
    if isinstance(rule, _CronRule):
        return f"cron:{rule.expr}"
    if isinstance(rule, _WeeksRule):
        days = ",".join(_DAY_ABBR[d] for d in rule.days)
        return (
            f"every:{rule.weeks}w:{days}:{rule.hour:02d}:{rule.minute:02d}:"
            f"{rule.anchor.isoformat()}"
        )
    if isinstance(rule, _MonthlyRule):
        day = "day" if rule.day is None else _DAY_ABBR[rule.day]
        return f"monthly:{rule.position}:{day}:{rule.hour:02d}:{rule.minute:02d}"
    return f"once:{rule.at.strftime('%Y-%m-%dT%H:%M')}"


@lru_cache(maxsize=512)
def _parse_rule(rule: str) -> _Rule:
    """Decode a stored rule; raises ScheduleError if it is malformed."""
    kind, _, body = rule.partition(":")
    try:
        if kind == "cron":
            return _CronRule(_normalise_cron(body))
        if kind == "every" and (m := _EVERY_RULE_RE.fullmatch(body)):
            weeks, days, hour, minute = int(m[1]), m[2].split(","), int(m[3]), int(m[4])
            if 1 <= weeks <= _MAX_WEEKS and set(days) <= set(_DAY_ABBR):
                time(hour, minute)  # validates
                indices = tuple(sorted({_DAY_ABBR.index(d) for d in days}))
                return _WeeksRule(weeks, indices, hour, minute, date.fromisoformat(m[5]))
        if kind == "monthly" and (m := _MONTHLY_RULE_RE.fullmatch(body)):
            position, day, hour, minute = m[1], m[2], int(m[3]), int(m[4])
            time(hour, minute)
            if day == "day" and position == "last":
                return _MonthlyRule(position, None, hour, minute)
            if day in _DAY_ABBR:
                return _MonthlyRule(position, _DAY_ABBR.index(day), hour, minute)
        if kind == "once" and _ONCE_RULE_RE.fullmatch(body):
            return _OnceRule(datetime.fromisoformat(body.upper()))
    except ValueError:
        pass
    raise ScheduleError(f"Unrecognised schedule rule {rule!r}. {_SCHEDULE_EXAMPLES}")


# --------------------------------------------------------------------------- helpers


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return f'"{text if len(text) <= limit else text[: limit - 1] + "…"}"'


def _as_utc(value: datetime, name: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")
    return value.astimezone(UTC)


def _hhmm(hour: int, minute: int) -> str:
    return f"{hour:02d}:{minute:02d}"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _join_names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _local(day: date, at: time, tz: ZoneInfo) -> datetime:
    """Local wall time to UTC; times in a DST gap resolve forward (zoneinfo fold=0)."""
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def _extract_time(text: str) -> tuple[str, time | None]:
    """Pull the single time of day out of ``text`` (lower-case) and return the rest."""
    matches = list(_TIME_RE.finditer(text))
    if not matches:
        return text, None
    if len(matches) > 1:
        raise ScheduleError(f"Give just one time of day, e.g. {_quote('every monday 09:00')}.")
    m = matches[0]
    rest = " ".join((text[: m.start()] + " " + text[m.end() :]).split())
    if m["word"]:
        return rest, time(0) if m["word"] == "midnight" else time(12)
    if m["ampm"]:
        hour, minute = int(m["h12"]), int(m["m12"] or 0)
        if not 1 <= hour <= 12 or minute > 59:
            raise ScheduleError(f"{_quote(m[0])} isn't a valid time. {_TIME_EXAMPLES}")
        hour = hour % 12 + (12 if m["ampm"] == "p" else 0)
    else:
        hour, minute = int(m["h24"]), int(m["m24"])
        if hour > 23 or minute > 59:
            raise ScheduleError(f"{_quote(m[0])} isn't a valid time. {_TIME_EXAMPLES}")
    return rest, time(hour, minute)


def _strip_fillers(text: str) -> str:
    return " ".join(w for w in text.split() if w not in _FILLER_WORDS)


def _day_index(word: str) -> int | None:
    if word in _DAY_ALIASES:
        return _DAY_ALIASES[word]
    if word.endswith("s") and word[:-1] in _DAY_ALIASES:  # "mondays"
        return _DAY_ALIASES[word[:-1]]
    return None


def _parse_days(text: str, *, plural_only: bool = False) -> tuple[int, ...] | None:
    """Parse "mon", "monday and thursday", "mon,wed,fri", "mon-fri", "weekdays"."""
    words = [w for w in re.split(r"[\s,&/+]+|\band\b", text) if w]
    if not words:
        return None
    days: set[int] = set()
    for word in words:
        if word in ("weekday", "weekdays"):
            days.update(_WEEKDAYS)
            continue
        if word in ("weekend", "weekends"):
            days.update(_WEEKEND)
            continue
        if plural_only and not word.endswith("s"):
            return None
        first, dash, last = word.partition("-")
        start = _day_index(first)
        if start is None:
            return None
        if not dash:
            days.add(start)
            continue
        end = _day_index(last)
        if end is None:
            return None
        # Ranges may wrap ("fri-mon"): walk forward through the week.
        span = (end - start) % 7
        days.update((start + i) % 7 for i in range(span + 1))
    return tuple(sorted(days))


# --------------------------------------------------------------------------- cron


def _cron_dow_value(token: str, original: str) -> int:
    """A standard-cron day-of-week value (0 or 7 = Sunday) from a number or name."""
    if token.isdigit():
        value = int(token)
        if value > 7:
            raise ScheduleError(
                f"Day of week {token} in cron {_quote(original)} is out of range; "
                'use 0-7 (0 and 7 are Sunday) or names, e.g. cron "0 9 * * 1-5".'
            )
        return value
    index = _DAY_ALIASES.get(token)
    if index is None:
        raise ScheduleError(
            f"Couldn't read day of week {_quote(token)} in cron {_quote(original)}. "
            'Use numbers (0 and 7 are Sunday) or names, e.g. cron "0 9 * * mon-fri".'
        )
    return (index + 1) % 7


def _cron_dow_days(field: str, original: str) -> tuple[int, ...]:
    """Expand a standard-cron day-of-week field into ``date.weekday()`` numbers.

    We expand rather than pass through because APScheduler 3.x numbers days from
    Monday=0, so "1" would silently mean Tuesday, and "*/2" would pick other days.
    """
    days: set[int] = set()
    for part in field.split(","):
        m = _CRON_DOW_PART_RE.fullmatch(part)
        if m is None or (m["start"] in ("*", "?") and m["end"]):
            raise ScheduleError(
                f"Couldn't read day of week {_quote(part)} in cron {_quote(original)}. "
                "Cron extensions like L and # aren't supported; try \"every month on the "
                'last friday 16:00" or cron "0 9 * * 1-5".'
            )
        step = int(m["step"]) if m["step"] else 1
        if step == 0:
            raise ScheduleError(f'A step of 0 in cron {_quote(original)} never repeats; try "*/2".')
        if m["start"] in ("*", "?"):
            low, high = 0, 6
        else:
            low = _cron_dow_value(m["start"], original)
            if m["end"]:
                high = _cron_dow_value(m["end"], original)
                if high == 0 and low > 0:  # "fri-sun": Sunday as the end of a range is 7
                    high = 7
            else:
                high = 7 if m["step"] else low  # "1/2" means "from Monday, every 2nd day"
            if low > high:
                raise ScheduleError(
                    f"Day range {_quote(part)} in cron {_quote(original)} runs backwards; "
                    'write it low-high, e.g. "1-5".'
                )
        days.update((value - 1) % 7 for value in range(low, high + 1, step))
    return tuple(sorted(days))


def _render_dow(days: tuple[int, ...]) -> str:
    """Names, Monday first; runs of 3+ collapse to ranges that never wrap past Sunday."""
    if len(days) == 7:
        return "*"
    parts: list[str] = []
    run: list[int] = []
    for day in [*days, 99]:  # sentinel flushes the last run
        if run and (day != run[-1] + 1 or day == 6):
            if len(run) >= 3:
                parts.append(f"{_DAY_ABBR[run[0]]}-{_DAY_ABBR[run[-1]]}")
            else:
                parts.extend(_DAY_ABBR[d] for d in run)
            run = []
        if day == 6:
            parts.append("sun")  # kept separate: "fri-sun" is invalid in some crons
        elif day != 99:
            run.append(day)
    return ",".join(parts)


def _normalise_cron(expr: str) -> str:
    fields = expr.lower().split()
    if len(fields) != 5:
        raise ScheduleError(
            f"Cron {_quote(expr)} needs 5 fields (minute hour day month weekday), "
            'e.g. cron "0 9 * * 1" for 09:00 every Monday.'
        )
    minute, hour, dom, month, dow = fields
    dow = _render_dow(_cron_dow_days(dow, expr))
    if dom == "?":
        dom = "*"
    if dom != "*" and dow != "*":
        # Cron fires when *either* matches, APScheduler when *both* do; refuse the ambiguity.
        raise ScheduleError(
            f"Cron {_quote(expr)} sets both a day of the month and a day of the week, "
            'which cron reads as "either". Pick one, or try "every month on the first '
            'monday 09:00".'
        )
    normalised = " ".join((minute, hour, dom, month, dow))
    try:
        CronTrigger.from_crontab(normalised, timezone=UTC)
    except ValueError as exc:
        raise ScheduleError(
            f"Couldn't read cron {_quote(expr)} ({exc}). "
            'Example: cron "0 9 * * 1" is 09:00 every Monday.'
        ) from exc
    return normalised


# --------------------------------------------------------------------------- evaluation


@lru_cache(maxsize=512)
def _trigger(rule: _Rule, zone: str) -> CronTrigger:
    tz = ZoneInfo(zone)
    if isinstance(rule, _CronRule):
        return CronTrigger.from_crontab(rule.expr, timezone=tz)
    if isinstance(rule, _WeeksRule):
        days = ",".join(_DAY_ABBR[d] for d in rule.days)
        return CronTrigger(day_of_week=days, hour=rule.hour, minute=rule.minute, timezone=tz)
    if isinstance(rule, _MonthlyRule):
        position = _APS_POSITIONS[rule.position]
        day = position if rule.day is None else f"{position} {_DAY_ABBR[rule.day]}"
        return CronTrigger(day=day, hour=rule.hour, minute=rule.minute, timezone=tz)
    raise TypeError(f"no trigger for {rule!r}")


def _is_repeated_wall_time(moment: datetime) -> bool:
    """True for the second pass through a wall time when clocks go back."""
    return moment.fold == 1 and (
        moment.replace(fold=0).utcoffset() != moment.replace(fold=1).utcoffset()
    )


def _cron_next(trigger: CronTrigger, after: datetime) -> datetime | None:
    """First fire strictly after ``after`` (UTC); each wall time fires once."""
    # Always step in UTC: adding to a zoned datetime would reset ``fold``.
    cursor = after + _TINY
    while True:
        fire: datetime | None = trigger.get_next_fire_time(None, cursor)
        if fire is None:
            return None
        fire_utc = fire.astimezone(UTC)
        if not _is_repeated_wall_time(fire):
            return fire_utc
        # 01:30 on a clocks-go-back night happens twice; we already fired on the first.
        cursor = fire_utc + _TINY


def _weeks_next(
    rule: _WeeksRule, tz: ZoneInfo, trigger: CronTrigger, after: datetime
) -> datetime | None:
    week_zero = rule.anchor - timedelta(days=rule.anchor.weekday())
    cursor = max(after, _local(rule.anchor, time(0), tz) - _TINY)
    while True:
        fire = _cron_next(trigger, cursor)
        if fire is None:
            return None
        week = (fire.astimezone(tz).date() - week_zero).days // 7
        if week % rule.weeks == 0:
            return fire
        # Jump straight to the Monday of the next "on" week.
        next_week = week + rule.weeks - week % rule.weeks
        cursor = _local(week_zero + timedelta(weeks=next_week), time(0), tz) - _TINY


def next_run(schedule: Schedule, after: datetime) -> datetime | None:
    """The first fire time strictly after ``after`` as aware UTC, or None if there is none."""
    after = _as_utc(after, "after")
    zone = validate_timezone(schedule.timezone)
    tz = ZoneInfo(zone)
    rule = _parse_rule(schedule.rule)
    if isinstance(rule, _OnceRule):
        fire = rule.at.replace(tzinfo=tz).astimezone(UTC)
        return fire if fire > after else None
    trigger = _trigger(rule, zone)
    if isinstance(rule, _WeeksRule):
        return _weeks_next(rule, tz, trigger, after)
    return _cron_next(trigger, after)


def preview(schedule: Schedule, after: datetime, count: int = 5) -> list[datetime]:
    """Up to ``count`` upcoming fire times after ``after``, in UTC, strictly increasing."""
    times: list[datetime] = []
    cursor = after
    while len(times) < count:
        fire = next_run(schedule, cursor)
        if fire is None:
            break
        times.append(fire)
        cursor = fire
    return times


# --------------------------------------------------------------------------- describing


def _describe_days(days: tuple[int, ...]) -> str:
    if days == _ALL_DAYS:
        return "every day"
    if days == _WEEKDAYS:
        return "weekdays"
    if days == _WEEKEND:
        return "weekends"
    return "every " + _join_names([_DAY_NAMES[d] for d in days])


def _describe_cron(expr: str) -> str:
    minute, hour, dom, month, dow = expr.split()
    if not (minute.isdigit() and hour.isdigit() and month == "*"):
        return f"cron {expr}"
    at = _hhmm(int(hour), int(minute))
    if dom == "*":
        return f"{_describe_days(_cron_dow_days(dow, expr))} at {at}"
    if dow == "*" and dom.isdigit():
        return f"every month on the {_ordinal(int(dom))} at {at}"
    if dow == "*" and dom == "last":
        return f"every month on the last day at {at}"
    return f"cron {expr}"


def describe(schedule: Schedule) -> str:
    """Human text, e.g. "every Monday at 09:00 (Europe/London)"."""
    rule = _parse_rule(schedule.rule)
    if isinstance(rule, _CronRule):
        text = _describe_cron(rule.expr)
    elif isinstance(rule, _WeeksRule):
        days = _join_names([_DAY_NAMES[d] for d in rule.days])
        text = f"every {rule.weeks} weeks on {days} at {_hhmm(rule.hour, rule.minute)}"
    elif isinstance(rule, _MonthlyRule):
        what = "day" if rule.day is None else _DAY_NAMES[rule.day]
        position = _POSITION_WORDS[rule.position]
        text = f"every month on the {position} {what} at {_hhmm(rule.hour, rule.minute)}"
    else:
        text = f"once on {rule.at.strftime('%Y-%m-%d')} at {rule.at.strftime('%H:%M')}"
    return f"{text} ({schedule.timezone})"


def editable_text(rule_text: str) -> str:
    """A schedule text that `parse_schedule` reads back to the same times (edit forms).

    Every-N-weeks rules are anchored when parsed, so an edit that keeps this text
    unchanged keeps the stored rule rather than parsing it again.
    """
    rule = _parse_rule(rule_text)
    if isinstance(rule, _CronRule):
        return rule.expr
    if isinstance(rule, _WeeksRule):
        days = ",".join(_DAY_NAMES[d].lower() for d in rule.days)
        if rule.weeks == 1:
            return f"every {days} {_hhmm(rule.hour, rule.minute)}"
        return f"every {rule.weeks} weeks on {days} {_hhmm(rule.hour, rule.minute)}"
    if isinstance(rule, _MonthlyRule):
        what = "day" if rule.day is None else _DAY_NAMES[rule.day].lower()
        position = _POSITION_WORDS[rule.position]
        return f"every month on the {position} {what} {_hhmm(rule.hour, rule.minute)}"
    return f"once {rule.at.strftime('%Y-%m-%d %H:%M')}"


# --------------------------------------------------------------------------- time zones


@cache
def _zone_names() -> dict[str, str]:
    # "localtime" etc. would make behaviour depend on the host machine.
    names = available_timezones() - {"localtime", "posixrules", "Factory"}
    return {name.lower(): name for name in names}


def validate_timezone(name: str) -> str:
    """Return the canonical IANA name for ``name`` (case-insensitive) or raise ScheduleError."""
    canonical = _zone_names().get(name.strip().lower())
    if canonical is None:
        raise ScheduleError(
            f"Unknown time zone {_quote(name)}. Use an IANA name such as Europe/London "
            "or America/New_York."
        )
    return canonical


# --------------------------------------------------------------------------- parsing


def _parse_moment(
    text: str, tz: ZoneInfo, now: datetime, *, default_time: time | None
) -> datetime | None:
    """An absolute moment ("fri 17:00", "tomorrow", "2026-12-24 17:00") as UTC, or None.

    ``text`` is lower-case. A bare time rolls to tomorrow if it has passed today; a
    weekday means today only if that time is still ahead. Past dates are returned as is.
    """
    if _ISO_DATETIME_RE.fullmatch(text):
        try:
            parsed = datetime.fromisoformat(text.upper())
        except ValueError:
            pass
        else:
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=tz)
            return parsed.astimezone(UTC).replace(second=0, microsecond=0)
    rest, at = _extract_time(text)
    rest = _strip_fillers(rest)
    today = now.astimezone(tz).date()
    if not rest:
        if at is None:
            return None
        candidate = _local(today, at, tz)
        return candidate if candidate > now else _local(today + timedelta(days=1), at, tz)
    weekday: int | None = None
    if rest == "today":
        day = today
    elif rest == "tomorrow":
        day = today + timedelta(days=1)
    elif _ISO_DATE_RE.fullmatch(rest):
        try:
            day = date.fromisoformat(rest)
        except ValueError:
            raise ScheduleError(
                f"{_quote(rest)} isn't a real date. Dates look like 2026-12-24."
            ) from None
    elif (weekday := _day_index(rest)) is not None:
        day = today + timedelta(days=(weekday - today.weekday()) % 7)
    else:
        return None
    if at is None:
        if default_time is None:
            raise ScheduleError(f"Add a time of day, e.g. {_quote(rest + ' 10:00')}.")
        at = default_time
    if weekday is not None and _local(day, at, tz) <= now:
        day += timedelta(weeks=1)  # that weekday's time has passed today: next week
    return _local(day, at, tz)


def _duration_or_none(text: str) -> timedelta | None:
    cleaned = re.sub(r",|\band\b", " ", text.lower()).strip()
    if not _DURATION_RE.fullmatch(cleaned):
        return None
    total = timedelta()
    for amount, unit in _DURATION_PART_RE.findall(cleaned):
        if unit not in _DURATION_UNITS:
            return None
        if len(amount) > 7:  # keeps timedelta arithmetic far from overflow
            raise ScheduleError(f"That's too long. {_DURATION_EXAMPLES}")
        total += int(amount) * _DURATION_UNITS[unit]
    if total <= timedelta():
        raise ScheduleError(f"The duration must be longer than zero. {_DURATION_EXAMPLES}")
    if total > _MAX_DURATION:
        raise ScheduleError(f"That's too long; keep it under 10 years. {_DURATION_EXAMPLES}")
    return total


def parse_duration(text: str) -> timedelta:
    """Parse "2w", "10d", "3 weeks", "1 week 2 days" (m is minutes, not months)."""
    duration = _duration_or_none(text)
    if duration is None:
        raise ScheduleError(f"Couldn't read the duration {_quote(text)}. {_DURATION_EXAMPLES}")
    return duration


def parse_deadline(text: str, *, now: datetime, timezone: str) -> datetime:
    """Parse a poll deadline into aware UTC.

    Accepts durations ("2d", "in 3h", "90m", "1w"), "fri 17:00", "tomorrow 9:00",
    "17:00" (today if still ahead, else tomorrow), "2026-12-24T17:00" and
    "2026-12-24 17:00". A date or weekday without a time means 23:59 local that
    day: "by the 24th" colloquially includes the whole day.
    """
    now = _as_utc(now, "now")
    tz = ZoneInfo(validate_timezone(timezone))
    cleaned = " ".join(text.lower().split()).removeprefix("in ")
    if not cleaned:
        raise ScheduleError(f"Give a deadline. {_DEADLINE_EXAMPLES}")
    duration = _duration_or_none(cleaned)
    if duration is not None:
        return now + duration
    moment = _parse_moment(cleaned, tz, now, default_time=_END_OF_DAY)
    if moment is None:
        raise ScheduleError(f"Couldn't read the deadline {_quote(text)}. {_DEADLINE_EXAMPLES}")
    if moment <= now:
        local = moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")
        raise ScheduleError(
            f"That deadline is in the past ({local} {tz.key}). "
            'Pick a later time, e.g. "friday 17:00" or "3d".'
        )
    return moment


def _recurring_rule(
    text: str, at: time | None, original: str, tz: ZoneInfo, now: datetime
) -> _Rule:
    """Match recurring phrases; ``text`` is lower-case with the time removed."""
    text = _strip_fillers(re.sub(r"\s*,\s*", ",", text))
    days: tuple[int, ...] | None = None
    weeks = 1
    monthly: str | None = None

    if m := re.fullmatch(
        r"(?:every|each) (\d+|other|second)(?:st|nd|rd|th)? weeks?(?: (.+))?", text
    ):
        weeks = 2 if m[1] in ("other", "second") else int(m[1])
        days = _parse_days(m[2]) if m[2] else None
        if days is None:
            raise ScheduleError(
                f"Say which day, e.g. {_quote(f'every {weeks} weeks on tuesday 10:30')}."
            )
    elif m := re.fullmatch(
        r"(?:fortnightly|biweekly|bi-weekly|every fortnight|every other|every second) (.+)", text
    ):
        weeks, days = 2, _parse_days(m[1])
    elif m := re.fullmatch(
        r"(?:(?:every|each) month|monthly) (.+)|(.+?) (?:every |each )?month", text
    ):
        monthly = m[1] or m[2]
    elif m := re.fullmatch(r"(?:weekly|(?:every|each) week)(?: (.+))?", text):
        days = _parse_days(m[1]) if m[1] else None
        if days is None:
            raise ScheduleError(f"Say which day, e.g. {_quote('weekly on friday 16:00')}.")
    elif text in ("daily", "every day", "everyday", "each day"):
        days = _ALL_DAYS
    elif m := re.fullmatch(r"(?:every|each) (.+)", text):
        days = _parse_days(m[1])
    else:
        days = _parse_days(text, plural_only=True)

    if days is None and monthly is None:
        raise ScheduleError(f"Couldn't read {_quote(original)}. {_SCHEDULE_EXAMPLES}")
    if at is None:
        raise ScheduleError(f"Add a time of day, e.g. {_quote(original + ' 09:00')}.")

    if monthly is not None:
        return _monthly_rule(monthly, at, original)
    assert days is not None
    if not 1 <= weeks <= _MAX_WEEKS:
        raise ScheduleError(
            f"Repeat every 1 to {_MAX_WEEKS} weeks, "
            f"e.g. {_quote('every 2 weeks on tuesday 10:30')}."
        )
    if weeks == 1:
        return _CronRule(f"{at.minute} {at.hour} * * {_render_dow(days)}")
    # The anchor is the first occurrence; it pins which weeks are "on" for good.
    weekly = _WeeksRule(1, days, at.hour, at.minute, date(1970, 1, 1))
    first = _cron_next(_trigger(weekly, tz.key), now)
    assert first is not None  # a weekly rule always fires again
    return _WeeksRule(weeks, days, at.hour, at.minute, first.astimezone(tz).date())


def _monthly_rule(what: str, at: time, original: str) -> _Rule:
    if m := re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?(?: day)?", what):
        day = int(m[1])
        if not 1 <= day <= 31:
            raise ScheduleError(
                f"Days of the month run 1-31, e.g. {_quote('every month on the 1st 10:00')}."
            )
        return _CronRule(f"{at.minute} {at.hour} {day} * *")
    if what in ("last", "last day"):
        return _MonthlyRule("last", None, at.hour, at.minute)
    position, _, day_name = what.partition(" ")
    weekday = _day_index(day_name)
    if position in _POSITIONS and weekday is not None:
        return _MonthlyRule(_POSITIONS[position], weekday, at.hour, at.minute)
    raise ScheduleError(
        f"Couldn't read {_quote(original)}. Try {_quote('every month on the 1st 10:00')} or "
        f"{_quote('every month on the first monday 10:00')}."
    )


def _text_to_rule(original: str, tz: ZoneInfo, now: datetime) -> _Rule:
    text = original.lower()
    words = text.split()
    if re.match(r"(?:every|monthly|once):", text):
        return _parse_rule(text)  # stored rules round-trip, so admins can paste one back
    if re.match(r"cron[:\s]", text):
        return _CronRule(_normalise_cron(text[5:]))
    if len(words) == 5 and all(_CRON_FIELD_RE.fullmatch(w) for w in words[:3]):
        return _CronRule(_normalise_cron(text))
    if words[0] == "once" or _ISO_DATE_RE.match(text):
        rest = _strip_fillers(" ".join(w for w in words if w != "once"))
        moment = _parse_moment(rest, tz, now, default_time=None) if rest else None
        if moment is None:
            raise ScheduleError(
                f"Couldn't read {_quote(original)}. Try {_quote('once 2026-12-01 10:00')}."
            )
        return _OnceRule(moment.astimezone(tz).replace(tzinfo=None, second=0, microsecond=0))
    rest, at = _extract_time(text)
    return _recurring_rule(rest, at, original, tz, now)


def parse_schedule(text: str, timezone: str, *, now: datetime) -> Schedule:
    """Parse what a person typed into a normalised :class:`Schedule`.

    ``now`` anchors every-N-weeks rules and rejects one-off times in the past.
    """
    now = _as_utc(now, "now")
    zone = validate_timezone(timezone)
    tz = ZoneInfo(zone)
    original = " ".join(text.split())
    if not original:
        raise ScheduleError(f"Give a schedule. {_SCHEDULE_EXAMPLES}")
    rule = _text_to_rule(original, tz, now)
    schedule = Schedule(_format_rule(rule), zone)
    upcoming = preview(schedule, now, count=10)
    if isinstance(rule, _OnceRule) and not upcoming:
        later = (now + timedelta(days=7)).astimezone(tz).strftime("%Y-%m-%d")
        raise ScheduleError(
            f"{_quote(original)} is in the past. Pick a later time, "
            f"e.g. {_quote(f'once {later} 10:00')}."
        )
    if not upcoming:
        raise ScheduleError(
            f'{_quote(original)} never fires. Example: cron "0 9 * * 1" is 09:00 every Monday.'
        )
    if any(b - a < _MIN_CRON_GAP for a, b in pairwise(upcoming)):
        raise ScheduleError(
            f"{_quote(original)} fires more than once an hour. "
            'Example: cron "0 9 * * 1" is 09:00 every Monday.'
        )
    return schedule
