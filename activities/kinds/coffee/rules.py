"""Coffee pairings and breakfast switch-ups: settings, the form, and who takes part.

Pure: nothing here reads the database or Slack.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from activities import matching, quiet_hours, schedule
from activities.errors import UserError
from activities.forms import Draft, Field, Form, FormContext, Inputs
from activities.kind import KindSettings, Profile
from activities.text import escape_mrkdwn
from storage.kinds.coffee.models import CoffeePreference

KINDS = ("coffee", "breakfast")
DEFAULT_SIZE = {"coffee": 2, "breakfast": 3}
TITLES = {"coffee": "Coffee pairings", "breakfast": "Breakfast switch-up"}
FREQUENCIES = {"1w": 1, "weekly": 1, "2w": 2, "fortnightly": 2, "4w": 4}
DAYS = {
    "mon": "monday",
    "tue": "tuesday",
    "wed": "wednesday",
    "thu": "thursday",
    "fri": "friday",
    "sat": "saturday",
    "sun": "sunday",
}
SLACKBOT = "USLACKBOT"
MAX_AVOID = 50
BUTTON_PAUSE = timedelta(weeks=2)  # what the "Pause 2 weeks" buttons (intro DM, Home tab) do
HISTORY_ROUNDS = 52
ANSWERS = {
    "met": "met 🎉",
    "not_yet": "not yet",
    "couldnt": "couldn't make it",
}
PAUSE_EXAMPLE = "/coffee pause 2w` or `/coffee pause until 2027-01-10"
AVOID_EXAMPLE = "/coffee avoid @ada"


def new_example(kind: str) -> str:
    return (
        f"/community new {kind} #random --every 2w --day tue --time 10:30 "
        f"--tz Europe/London --size {DEFAULT_SIZE.get(kind, 2)}"
    )


class CoffeeSettings(KindSettings):
    size: int
    weeks: int
    day: str = "mon"
    time: str = "09:00"
    icebreakers: bool = True
    icebreakers_extra: tuple[str, ...] = ()


def _refused(flag: str, given: str, said: str, example: str) -> UserError:
    """A refusal of the `--flag` given: what it should be, then a command that works."""
    return UserError(
        f"`--{flag} {escape_mrkdwn(given[:20])}` {said} Example: `{example}`", field=flag
    )


def parse(inputs: Inputs, ctx: FormContext) -> Draft[CoffeeSettings]:
    """Validate the coffee/breakfast form into a schedule text and settings."""
    example = new_example(ctx.kind)
    every = inputs.text("every", "1w").lower()
    weeks = FREQUENCIES.get(every)
    if weeks is None:
        raise _refused("every", every, "isn't a frequency I know: use 1w, 2w or 4w.", example)
    day_text = inputs.text("day", "mon")
    day_key = day_text.lower()[:3]
    if day_key not in DAYS:
        raise _refused("day", day_text, "isn't a day of the week.", example)
    at_text = inputs.text("time", "09:00")
    m = re.fullmatch(r"(\d{1,2}):(\d{2})", at_text)
    if m is None or int(m[1]) > 23 or int(m[2]) > 59:
        raise _refused("time", at_text, "should be 24-hour HH:MM.", example)
    size_text = inputs.text("size", str(DEFAULT_SIZE[ctx.kind]))
    size = int(size_text) if size_text.isdigit() else 0
    if not 2 <= size <= 4:
        raise _refused("size", size_text, "must be 2, 3 or 4.", example)
    switch = inputs.text("icebreakers", "on").lower()
    if switch not in ("on", "off"):
        raise _refused("icebreakers", switch, "is on or off.", example)
    hhmm = f"{int(m[1]):02d}:{m[2]}"
    when = DAYS[day_key]
    text = f"every {when} {hhmm}" if weeks == 1 else f"every {weeks} weeks on {when} {hhmm}"
    settings = CoffeeSettings(
        size=size, weeks=weeks, day=day_key, time=hhmm, icebreakers=switch == "on"
    )
    return Draft(
        title=TITLES[ctx.kind],
        schedule_text=text,
        settings=settings,
        summary=f"Groups of {size}; the channel's members take part.",
    )


def inputs_of(settings: CoffeeSettings, schedule_text: str) -> dict[str, str]:
    every = {1: "1w", 2: "2w", 4: "4w"}.get(settings.weeks, "1w")
    return {
        "every": every,
        "day": settings.day,
        "time": settings.time,
        "size": str(settings.size),
        "icebreakers": "on" if settings.icebreakers else "off",
    }


def form(kind: Literal["coffee", "breakfast"]) -> Form[CoffeeSettings]:
    sizes = tuple((f"Groups of {n}", str(n)) for n in (2, 3, 4))
    return Form(
        title="New coffee pairings" if kind == "coffee" else "New breakfast",
        example=new_example(kind),
        settings=CoffeeSettings,
        fields=(
            Field(
                "every",
                "How often",
                kind="choice",
                choices=(("Every week", "1w"), ("Every 2 weeks", "2w"), ("Every 4 weeks", "4w")),
                default="1w",
            ),
            Field(
                "day",
                "Day",
                kind="choice",
                choices=tuple((name.capitalize(), key) for key, name in DAYS.items()),
                default="mon",
            ),
            Field("time", "Time", kind="time", default="09:00"),
            Field(
                "size", "Group size", kind="choice", choices=sizes, default=str(DEFAULT_SIZE[kind])
            ),
            Field(
                "icebreakers",
                "Icebreakers",
                kind="choice",
                choices=(("Suggest an icebreaker question", "on"), ("No icebreaker", "off")),
                default="on",
            ),
        ),
        parse=parse,
        inputs_of=inputs_of,
        schedule_field="day",
    )


def round_length(settings: CoffeeSettings) -> timedelta:
    return timedelta(weeks=max(1, settings.weeks))


def seed_for(activity_id: int, run_id: int) -> int:
    return zlib.crc32(f"coffee:{activity_id}:{run_id}".encode())


def meeting_day(now: datetime) -> date:
    """The first working day after the round starts (weekends are not suggested)."""
    day = now.astimezone(UTC).date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def is_paused(pref: CoffeePreference, now: datetime) -> bool:
    return pref.paused_until is not None and pref.paused_until > now


def eligible(
    member_ids: Sequence[str],
    profiles: Mapping[str, Profile],
    prefs: Mapping[str, CoffeePreference],
    now: datetime,
) -> list[Profile]:
    """Channel members who take part: people (not bots, not deactivated), not out or paused."""
    people: list[Profile] = []
    for user_id in dict.fromkeys(member_ids):
        profile = profiles.get(user_id)
        if profile is None or profile.is_bot or profile.deleted or user_id == SLACKBOT:
            continue
        pref = prefs.get(user_id)
        if pref is not None and (pref.opted_out or is_paused(pref, now)):
            continue
        people.append(profile)
    return people


def participant(
    profile: Profile, pref: CoffeePreference | None, channels: frozenset[str]
) -> matching.Participant:
    """What the matcher weighs for one person: team, time zone, working hours and days, the
    channels they share with others, and whom they asked not to meet."""
    tz = profile.timezone or "UTC"
    try:
        ZoneInfo(tz)
    except (KeyError, ValueError):
        tz = "UTC"
    # The same hours `/coffee settings` shows: the chosen ones, else the one default
    # (the stored columns' own defaults mean nothing until chosen).
    hours = quiet_hours.Hours()
    if pref is not None:
        hours = quiet_hours.hours_of(
            pref.work_start, pref.work_end, pref.work_days, chosen=pref.hours_chosen
        )
    return matching.Participant(
        user_id=profile.user_id,
        team=profile.title.strip().lower(),
        timezone=tz,
        channels=channels,
        working_hours=(hours.start, hours.end),
        days=hours.days,
        avoid=frozenset(pref.avoid if pref else ()),
    )


HOURS_EXAMPLE = "/coffee hours 8-16"


def parse_hours(text: str) -> tuple[int, int]:
    """`8-16` or `08:00-16:00`: local working hours (whole hours; a night shift may wrap)."""
    m = re.fullmatch(r"\s*(\d{1,2})(?::00)?\s*[-–]\s*(\d{1,2})(?::00)?\s*", text)
    if m is None:
        raise UserError(
            f"`{escape_mrkdwn(text[:20])}` isn't a range of hours. Example: `{HOURS_EXAMPLE}`"
        )
    start, end = int(m[1]), int(m[2])
    if not (0 <= start <= 23 and 1 <= end <= 24):
        raise UserError(
            f"Hours go from 0 to 24 (a start from 0 to 23, an end from 1 to 24). "
            f"Example: `{HOURS_EXAMPLE}`"
        )
    if start == end:  # 9-9 and 09-9 alike: no working time at all
        raise UserError(
            f"{start}-{end} leaves no time at all: the start and the end must differ. "
            f"Example: `{HOURS_EXAMPLE}`"
        )
    return start, end


def parse_pause(args: Sequence[str], *, now: datetime, timezone: str) -> datetime:
    """`2w`, `10 days` or `until 2027-01-10` (midnight at the end of that day, local)."""
    if not args:
        raise UserError(f"Pause for how long? Example: `{PAUSE_EXAMPLE}`")
    if args[0].lower() == "until":
        if len(args) < 2 or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", args[1]):
            raise UserError(f"Until which date? Example: `{PAUSE_EXAMPLE}`")
        try:
            day = date.fromisoformat(args[1])
        except ValueError:
            raise UserError(
                f"`{escape_mrkdwn(args[1])}` isn't a date. Example: `{PAUSE_EXAMPLE}`"
            ) from None
        zone = ZoneInfo(schedule.validate_timezone(timezone))
        until = datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
        if until <= now:
            raise UserError(f"{args[1]} is in the past. Example: `{PAUSE_EXAMPLE}`")
        return until
    try:
        return now + schedule.parse_duration(" ".join(args))
    except UserError:
        typed = escape_mrkdwn(" ".join(args)[:40])
        raise UserError(
            f"Couldn't read `{typed}` as a duration. Example: `{PAUSE_EXAMPLE}`"
        ) from None
