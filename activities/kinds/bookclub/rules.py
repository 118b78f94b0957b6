"""Book-club rules, pure: settings and form, proposals, the vote's options and winner,
the reading plan spread over the weeks, and when each step of a meeting is due."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from activities.errors import UserError
from activities.forms import Draft, Field, Form, FormContext, Inputs
from activities.kind import KindSettings
from activities.moments import Refusals, Step, future_moment, steps_due, usual_time
from activities.schedule import SCHEDULE_HINT
from activities.text import check_length, escape_mrkdwn, truncate

NEW_EXAMPLE = '/community new bookclub #books "every 4 weeks on thursday 12:30" --tz Europe/London'
PROPOSE_EXAMPLE = (
    '/community bookclub propose "Piranesi" by Susanna Clarke https://example.org/piranesi'
)
VOTE_EXAMPLE = "/community bookclub vote 3 --closes 3d"
PLAN_EXAMPLE = '/community bookclub plan 3 --meeting 2027-01-14 --sections "Ch 1-3; Ch 4-6; Ch 7-9"'

MAX_TITLE = 200
MAX_AUTHOR = 120
MAX_LINK = 500
MAX_WHY = 500
MAX_VOTE_OPTIONS = 10  # the poll code's own limit
MIN_VOTE_OPTIONS = 2
OPTION_CHARS = 75  # a poll option is a button label
DEFAULT_VOTE_FOR = timedelta(days=3)
DEFAULT_MEETING_TIME = time(18, 0)

RSVP_AHEAD = timedelta(days=7)
DAY_BEFORE = timedelta(days=1)
SOON_BEFORE = timedelta(minutes=15)
MEETING_LENGTH = timedelta(hours=1)

PROGRESS = {"on_track": "I'm on track", "finished": "Finished"}


class BookClubSettings(KindSettings):
    call_link: str = ""
    prompts: tuple[str, ...] = ()


# --------------------------------------------------------------------------- form


def parse(inputs: Inputs, ctx: FormContext) -> Draft[BookClubSettings]:
    link = inputs.text("call_link")
    if link:
        check_link(link, field="call_link")
    prompts = tuple(
        check_length(p, 300, what="A prompt", field="prompts") for p in inputs.lines("prompts")
    )
    return Draft(
        title=inputs.text("title", "Book club"),
        schedule_text=inputs.text("schedule"),
        settings=BookClubSettings(call_link=link, prompts=prompts),
        summary="Members propose books with `/community bookclub propose` or the button.",
    )


def inputs_of(settings: BookClubSettings, schedule_text: str) -> dict[str, str]:
    return {
        "schedule": schedule_text,
        "call_link": settings.call_link,
        "prompts": "\n".join(settings.prompts),
    }


FORM = Form(
    title="New book club",
    example=NEW_EXAMPLE,
    settings=BookClubSettings,
    fields=(
        Field(
            "schedule",
            "Meeting cadence",
            required=True,
            positional=True,
            placeholder="every 4 weeks on thursday 12:30",
            hint=SCHEDULE_HINT,
        ),
        Field(
            "call_link",
            "Call link",
            placeholder="https://meet.example.org/books",
            max_length=MAX_LINK,
        ),
        Field(
            "prompts",
            "Discussion prompts",
            kind="lines",
            hint="One per line; posted in the meeting's thread",
            max_length=2000,
        ),
    ),
    parse=parse,
    inputs_of=inputs_of,
)


# --------------------------------------------------------------------------- proposals


@dataclass(frozen=True, slots=True)
class ProposalInput:
    title: str
    author: str = ""
    link: str = ""
    why: str = ""


_LINK = re.compile(r"^https?://\S+$", re.IGNORECASE)


def check_link(link: str, *, field: str = "link") -> str:
    link = link.strip().strip("<>").split("|")[0]
    if len(link) > MAX_LINK or not _LINK.match(link):
        raise UserError(
            f"`{escape_mrkdwn(truncate(link, 60))}` isn't a link I can use: start it with https://.",
            field=field,
        )
    return link


def check_proposal(title: str, author: str, link: str, why: str) -> ProposalInput:
    """A proposal's texts, trimmed and within their limits; the title is required."""
    title = " ".join(title.split())
    if not title:
        raise UserError(f"A proposal needs a title. Example: `{PROPOSE_EXAMPLE}`", field="title")
    title = check_length(title, MAX_TITLE, what="That title", field="title")
    author = check_length(" ".join(author.split()), MAX_AUTHOR, what="That author", field="author")
    why = check_length(why, MAX_WHY, what="Your reason", field="why")
    return ProposalInput(title, author, check_link(link) if link.strip() else "", why)


def parse_proposal(words: Sequence[str]) -> ProposalInput:
    """`"Title" by Author Name [link]` as typed after `propose` (flags already removed)."""
    words = [w for w in words if w.strip()]
    if not words:
        return check_proposal("", "", "", "")
    title, rest = words[0], list(words[1:])
    link = ""
    if rest and _LINK.match(rest[-1].strip("<>").split("|")[0]):
        link = rest.pop()
    if rest and rest[0].lower() == "by":
        rest = rest[1:]
    elif rest:
        raise UserError(
            f"Put the title in quotes, then `by` and the author. Example: `{PROPOSE_EXAMPLE}`",
            field="title",
        )
    return check_proposal(title, " ".join(rest), link, "")


def match_key(title: str, author: str) -> str:
    """Same title and author in any case or spacing: one proposal."""

    def norm(text: str) -> str:
        return " ".join(text.split()).casefold()

    return f"{norm(title)}|{norm(author)}"[:400]


def book_label(title: str, author: str) -> str:
    return f"{title} by {author}" if author else title


# --------------------------------------------------------------------------- vote


def vote_options(ranked: Sequence[tuple[int, str, str]]) -> list[tuple[int, str]]:
    """The top proposals (id, title, author), as (id, poll option), at most ten.

    Each option fits a button and no two read the same (the poll refuses duplicates).
    """
    if len(ranked) < MIN_VOTE_OPTIONS:
        raise UserError(
            f"A vote needs at least {MIN_VOTE_OPTIONS} proposed books; this club has "
            f"{len(ranked)}. Ask members to propose more with `{PROPOSE_EXAMPLE}`."
        )
    options: list[tuple[int, str]] = []
    seen: set[str] = set()
    for proposal_id, title, author in ranked[:MAX_VOTE_OPTIONS]:
        label = truncate(book_label(title, author), OPTION_CHARS)
        if label.casefold() in seen:
            label = truncate(f"#{proposal_id} {title}", OPTION_CHARS)
        seen.add(label.casefold())
        options.append((proposal_id, label))
    return options


def winner_index(votes: Sequence[int], upvotes: Sequence[int]) -> int:
    """Most votes; a tie goes to the most +1s, then to the first offered (the higher ranked)."""
    return max(range(len(votes)), key=lambda i: (votes[i], upvotes[i], -i))


# --------------------------------------------------------------------------- plan


def meeting_time_of(schedule_rule: str) -> time:
    """The club's usual meeting time: the time in its cadence (e.g. 12:30)."""
    return usual_time(schedule_rule, DEFAULT_MEETING_TIME)


MEETING_REFUSALS = Refusals(
    field="meeting",
    unreadable="I couldn't read the meeting date `{text}`: write it as 2027-01-14. "
    f"Example: `{PLAN_EXAMPLE}`",
    unreal=f"`{{text}}` isn't a real date and time. Example: `{PLAN_EXAMPLE}`",
    past=f"That meeting date ({{day}}) is in the past: pick a later one. Example: `{PLAN_EXAMPLE}`",
)


def parse_meeting(text: str, *, at: time, timezone: str, now: datetime) -> datetime:
    """`2027-01-14` (at the club's usual time) or `2027-01-14 19:00`, in the club's zone."""
    return future_moment(text, at=at, timezone=timezone, now=now, say=MEETING_REFUSALS)


def parse_sections(text: str) -> list[str]:
    """Sections separated by `;` or new lines: chapters, or "pages 1–80"."""
    sections = [" ".join(s.split()) for s in re.split(r"[;\n]", text) if s.strip()]
    if not sections:
        raise UserError(
            f"Which sections? Separate them with `;`. Example: `{PLAN_EXAMPLE}`", field="sections"
        )
    for section in sections:
        check_length(section, 150, what="A section", field="sections")
    return sections


def spread(sections: Sequence[str], *, meeting_at: datetime, now: datetime) -> list[datetime]:
    """When each section's milestone is posted: weekly, the last at least a week before
    the meeting, so each section gets its week. More sections than weeks is refused."""
    weeks = (meeting_at - now) // timedelta(weeks=1)
    if len(sections) > weeks:
        raise UserError(
            f"That plan has {len(sections)} sections but only {weeks} "
            f"week{'s' if weeks != 1 else ''} until the meeting, and each section needs a week. "
            f"Merge sections to at most {max(weeks, 1)}, or read one section per meeting "
            f"(plan each meeting with one section). Example: `{PLAN_EXAMPLE}`",
            field="sections",
        )
    return [
        meeting_at - timedelta(weeks=weeks - (i * weeks) // len(sections))
        for i in range(len(sections))
    ]


# --------------------------------------------------------------------------- meeting


def due_steps(
    *,
    meeting_at: datetime,
    now: datetime,
    done: frozenset[str],
) -> list[str]:
    """The meeting's steps due now and not done yet, in order: the RSVP message a week
    ahead, a reminder a day and 15 minutes before (not once it has started), the
    discussion at the start, and the history entry after it."""
    return steps_due(meeting_at, now=now, done=done, steps=MEETING_STEPS)


MEETING_STEPS: tuple[Step, ...] = (
    ("rsvp_posted_at", -RSVP_AHEAD, None),
    ("day_reminded_at", -DAY_BEFORE, -SOON_BEFORE),
    ("soon_reminded_at", -SOON_BEFORE, timedelta(0)),
    ("started_at", timedelta(0), None),
    ("finished_at", MEETING_LENGTH, None),
)


def event_key(activity_id: int, meeting_at: datetime, timezone: str) -> str:
    local = meeting_at.astimezone(ZoneInfo(timezone)).date()
    return f"bookclub:{activity_id}:meeting:{local.isoformat()}"
