"""Talks rules, pure: settings and form, a volunteered talk, slots, when each step is due,
and when the channel needs a call for speakers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from activities.errors import UserError
from activities.forms import Draft, Field, Form, FormContext, Inputs
from activities.kind import KindSettings
from activities.moments import Refusals, Step, future_moment, steps_due, usual_time
from activities.schedule import SCHEDULE_HINT
from activities.text import check_length, escape_mrkdwn, sent_length, truncate

NEW_EXAMPLE = (
    '/community new talks #talks "every month on the first wednesday 13:00" --booked-ahead 2'
)
SCHEDULE_EXAMPLE = "/community talks schedule 4 2027-01-06"
DECLINE_EXAMPLE = '/community talks decline 4 "Thanks! It fits the spring series better."'
MAX_TITLE = 150
MAX_ABSTRACT = 1000
MAX_MONTHS = 100
DEFAULT_TIME = time(13, 0)

ANNOUNCE_AHEAD = timedelta(days=7)
CHECKIN_BEFORE = timedelta(days=2)
DAY_BEFORE = timedelta(days=1)
SOON_BEFORE = timedelta(minutes=15)
TALK_LENGTH = timedelta(hours=1)
CALL_EVERY = timedelta(days=14)
SUMMARY_LIMIT = 20  # questions linked in the speaker's summary
CHECKIN_ANSWERS = {"confirm": "Confirmed", "move": "Needs to move"}
STEPS = (
    "announced_at",
    "checkin_at",
    "day_reminded_at",
    "soon_reminded_at",
    "started_at",
    "finished_at",
)


class TalksSettings(KindSettings):
    booked_ahead: int = 2
    call_link: str = ""


def parse(inputs: Inputs, ctx: FormContext) -> Draft[TalksSettings]:
    raw = inputs.text("booked_ahead", "2")
    if not raw.isdigit() or not 1 <= int(raw) <= 12:
        raise UserError(
            f"`--booked-ahead {escape_mrkdwn(truncate(raw, 10))}`: how many talks to keep "
            f"booked, 1 to 12. Example: `{NEW_EXAMPLE}`",
            field="booked_ahead",
        )
    link = inputs.text("call_link")
    if link and not re.match(r"^https?://\S+$", link):
        raise UserError("The call link starts with https://.", field="call_link")
    return Draft(
        title=inputs.text("title", "Talks"),
        schedule_text=inputs.text("schedule"),
        settings=TalksSettings(booked_ahead=int(raw), call_link=link),
        summary="Members volunteer with `/community talks volunteer` or the button.",
    )


def inputs_of(settings: TalksSettings, schedule_text: str) -> dict[str, str]:
    return {
        "schedule": schedule_text,
        "booked_ahead": str(settings.booked_ahead),
        "call_link": settings.call_link,
    }


FORM = Form(
    title="New talk series",
    example=NEW_EXAMPLE,
    settings=TalksSettings,
    fields=(
        Field(
            "schedule",
            "Usual slot",
            required=True,
            positional=True,
            placeholder="every month on the first wednesday 13:00",
            hint=SCHEDULE_HINT,
        ),
        Field("booked_ahead", "Talks booked ahead", default="2", max_length=2),
        Field("call_link", "Call link", placeholder="https://meet.example.org/talks"),
    ),
    parse=parse,
    inputs_of=inputs_of,
)


@dataclass(frozen=True, slots=True)
class TalkInput:
    title: str
    abstract: str
    months: str = ""
    recordable: bool = False


def check_talk(title: str, abstract: str, months: str, recordable: bool) -> TalkInput:
    title = " ".join(title.split())
    if not title:
        raise UserError("A talk needs a title.", field="title")
    title = check_length(title, MAX_TITLE, what="That title", field="title")
    abstract = abstract.strip()
    if sent_length(abstract) > MAX_ABSTRACT:
        raise UserError(
            f"That abstract is {sent_length(abstract)} characters; the limit is 1,000. "
            "Trim it and submit again.",
            field="abstract",
        )
    months = check_length(months, MAX_MONTHS, what="Preferred months", field="months")
    return TalkInput(title, abstract, months, recordable)


def title_key(title: str) -> str:
    return " ".join(title.split()).casefold()[:200]


def slot_time_of(schedule_rule: str) -> time:
    return usual_time(schedule_rule, DEFAULT_TIME)


_UNREADABLE_SLOT = (
    f"I couldn't read the date `{{cut}}`: write it as 2027-01-06. Example: `{SCHEDULE_EXAMPLE}`"
)
SLOT_REFUSALS = Refusals(
    field="date",
    unreadable=_UNREADABLE_SLOT,
    unreal=_UNREADABLE_SLOT,
    past="That date ({day}) is in the past: pick a later slot.",
)


def parse_slot(text: str, *, at: time, timezone: str, now: datetime) -> datetime:
    """`2027-01-06` (at the series' usual time) or `2027-01-06 17:00`, in its zone."""
    return future_moment(text, at=at, timezone=timezone, now=now, say=SLOT_REFUSALS)


def due_steps(*, slot_at: datetime, now: datetime, done: frozenset[str]) -> list[str]:
    """A scheduled talk's steps due now, in order: announced a week ahead, the speaker's
    check-in two days before, reminders a day and 15 minutes before, the Q&A at the
    start and the thank-you after."""
    return steps_due(slot_at, now=now, done=done, steps=TALK_STEPS)


TALK_STEPS: tuple[Step, ...] = (
    ("announced_at", -ANNOUNCE_AHEAD, None),
    ("checkin_at", -CHECKIN_BEFORE, -DAY_BEFORE),
    ("day_reminded_at", -DAY_BEFORE, -SOON_BEFORE),
    ("soon_reminded_at", -SOON_BEFORE, timedelta(0)),
    ("started_at", timedelta(0), None),
    ("finished_at", TALK_LENGTH, None),
)


def needs_call(*, booked: int, wanted: int, last_call_at: datetime | None, now: datetime) -> bool:
    """Fewer talks booked for the next two slots than wanted, and no call in a fortnight."""
    if booked >= min(wanted, 2):
        return False
    return last_call_at is None or now - last_call_at >= CALL_EVERY


def event_key(talk_id: int) -> str:
    return f"talk:{talk_id}"


def order_questions(replies: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    """Questions (user, ts or link, reactions), the most-reacted first, then as asked."""
    ranked = sorted(enumerate(replies), key=lambda p: (-p[1][2], p[0]))
    return [reply for _, reply in ranked]
