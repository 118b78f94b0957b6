"""Recognition's pure rules: who a win credits, the daily thanks cap, who is shouted out
in public, the monthly leaderboard's ranking and when the wins digest is due.

No database and no Slack here: the use-cases (`activities/recognition_use_cases.py`)
read and write, these decide.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from zoneinfo import ZoneInfo

from activities.errors import UserError
from activities.text import check_length, escape_mrkdwn

WIN_LIMIT = 1000  # characters as Slack counts them: a success, not an essay
REASON_LIMIT = 300
DAILY_THANKS = 5
LEADERBOARD_SIZE = 10
WIN_EXAMPLE = '/community win "We shipped the new onboarding guide with <@U012ABC>!"'
THANKS_EXAMPLE = '/community thanks @ada "for reviewing my talk" [--public]'
PUBLIC_FLAG = "--public"

_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>")


def mentioned(text: str) -> list[str]:
    """The user ids `text` @mentions, in order, each once."""
    return list(dict.fromkeys(m[1] for m in _MENTION.finditer(text)))


def credited(author_id: str, text: str) -> list[str]:
    """Whom a win credits: the people it names, or its author when it names nobody."""
    return mentioned(text) or [author_id]


def win_text(raw: str) -> str:
    """A win's text, checked: not empty, within the limit (as Slack counts it)."""
    text = raw.strip()
    if not text:
        raise UserError(
            f"A win needs a few words about what went well. Example: `{WIN_EXAMPLE}`",
            field="text",
        )
    return check_length(text, WIN_LIMIT, what="That win", field="text")


@dataclass(frozen=True, slots=True)
class ThanksNote:
    """What the giver wrote after the person: the reason, and whether they asked for the
    thanks to be shared in the wins channel too (`--public`, anywhere among the words)."""

    reason: str
    public: bool

    @classmethod
    def parse(cls, words: Sequence[str]) -> ThanksNote:
        flagged = [w.lower() == PUBLIC_FLAG for w in words]
        return cls(" ".join(w for w, f in zip(words, flagged, strict=True) if not f), any(flagged))


def reason_text(raw: str) -> str:
    """A thanks' reason: optional (a plain thank-you is still one), within the limit."""
    return check_length(raw, REASON_LIMIT, what="That reason")


def escape_keeping_mentions(text: str) -> str:
    """`text` escaped for mrkdwn, except the `<@U…>` mentions it credits, which stay live.

    Everything else (`<!channel>`, links, `<!subteam…>`) is shown as typed, never pinged.
    """
    out, last = [], 0
    for match in _MENTION.finditer(text):
        out.append(escape_mrkdwn(text[last : match.start()]))
        out.append(f"<@{match[1]}>")
        last = match.end()
    out.append(escape_mrkdwn(text[last:]))
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Day:
    """A giver's own calendar day, as a UTC window."""

    start: datetime
    end: datetime
    zone: str


def day_of(now: datetime, zone: str) -> Day:
    """The day `now` falls in, in the time zone `zone` (the giver's own)."""
    tz = ZoneInfo(zone)
    local = now.astimezone(tz).date()
    start = datetime.combine(local, time(), tz)
    end = datetime.combine(local + timedelta(days=1), time(), tz)
    return Day(start.astimezone(UTC), end.astimezone(UTC), zone)


def check_daily_cap(given_today: int, day: Day, now: datetime) -> None:
    """Refuse the thanks beyond the daily cap, saying when the giver can thank again."""
    if given_today < DAILY_THANKS:
        return
    wait = day.end - now
    hours, rest = divmod(int(wait.total_seconds()) // 60, 60)
    raise UserError(
        f"You've given {DAILY_THANKS} thanks today (your day, {day.zone}), the most a day. "
        f"You can thank again from midnight your time, in {hours} h {rest:02d} min."
    )


def check_receiver(giver_id: str, receiver_id: str, *, is_bot: bool) -> None:
    if receiver_id == giver_id:
        raise UserError(
            f"You can't thank yourself — but well done! Thank someone else: `{THANKS_EXAMPLE}`"
        )
    if is_bot:
        raise UserError("Bots don't need thanks (they can't read them). Thank a person instead.")


def shout_out(asked: bool, receiver_opted_out: bool) -> bool:
    """Public only when the giver asks (`--public`) and the receiver has not opted out."""
    return asked and not receiver_opted_out


class DmOnly(Enum):
    """Why a thanks the giver asked to be `--public` went by DM only."""

    OPTED_OUT = "opted_out"  # the receiver prefers thanks in private
    NO_CHANNEL = "no_channel"  # there is no wins channel to post in


def dm_only(asked: bool, receiver_opted_out: bool, channel: str) -> DmOnly | None:
    """Why a thanks asked to be public is not (None: it is shared, or was not asked to be)."""
    if not asked:
        return None
    if receiver_opted_out:
        return DmOnly.OPTED_OUT
    return None if channel else DmOnly.NO_CHANNEL


@dataclass(frozen=True, slots=True)
class Placing:
    rank: int
    user_id: str
    count: int


def ranking(receivers: Iterable[str], size: int = LEADERBOARD_SIZE) -> list[Placing]:
    """The month's most thanked, most first; ties share a rank (1, 1, 3) and are listed
    by user id so the order never wobbles between two looks."""
    counts = sorted(Counter(receivers).items(), key=lambda item: (-item[1], item[0]))
    placings: list[Placing] = []
    for index, (user_id, count) in enumerate(counts[:size]):
        rank = placings[-1].rank if placings and placings[-1].count == count else index + 1
        placings.append(Placing(rank, user_id, count))
    return placings


@dataclass(frozen=True, slots=True)
class Month:
    year: int
    month: int

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @classmethod
    def parse(cls, key: str) -> Month:
        year, month = key.split("-")
        return cls(int(year), int(month))

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return date(self.year, self.month, 1).strftime("%B %Y")

    def previous(self) -> Month:
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    def next(self) -> Month:
        return Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)

    def window(self) -> tuple[datetime, datetime]:
        """The month in UTC, [start, end)."""
        nxt = self.next()
        return (
            datetime(self.year, self.month, 1, tzinfo=UTC),
            datetime(nxt.year, nxt.month, 1, tzinfo=UTC),
        )


def first_working_day(month: Month) -> date:
    """The month's first Monday-to-Friday day."""
    day = date(month.year, month.month, 1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


DIGEST_GRACE = timedelta(days=7)


def digest_due(today: date) -> Month | None:
    """The month whose wins digest is due on `today` (UTC): the previous one, from the
    current month's first working day (for a week, should the bot be down that day).
    The digest's dedupe key keeps it to once a team and month."""
    month = Month.of(today)
    first = first_working_day(month)
    return month.previous() if first <= today < first + DIGEST_GRACE else None


def parse_switch(args: Sequence[str], example: str) -> bool:
    """`on` or `off` (also yes/no, true/false), or a UserError with an example."""
    word = args[0].lower() if args else ""
    if word in ("on", "yes", "true"):
        return True
    if word in ("off", "no", "false"):
        return False
    shown = f"`{escape_mrkdwn(args[0][:40])}` isn't on or off. " if args else "On or off? "
    raise UserError(f"{shown}Example: `{example}`")


def next_digest_change(now: datetime) -> datetime:
    """The next midnight (UTC) on which `digest_due`'s answer changes: a month's first
    working day, or the end of its grace week."""
    month = Month.of(now.date())
    days = [d for m in (month, month.next()) for d in _digest_window(m)]
    return min(at for at in (datetime.combine(d, time(0), tzinfo=UTC) for d in days) if at > now)


def _digest_window(month: Month) -> tuple[date, date]:
    first = first_working_day(month)
    return first, first + DIGEST_GRACE
