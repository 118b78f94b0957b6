"""The report's figures from plain rows: participation, per activity, against the period
before. Pure: the same rows always give the same report.

Privacy: a `Report` holds numbers and labels only — never a user id — so nothing built
from it (blocks, chart, CSV) can name anyone, least of all someone who did not take part.
Anonymous polls reach it as counts of responses only: their voters are never people here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from activities.report import rows as r
from activities.report.periods import Period, shift

SERIES_MONTHS = 12


def took_part(rows: r.Rows) -> Iterator[r.Touch]:
    """Who took part in what, when: THE definition of participation.

    A member took part in a month when they, that month:
    - voted in a named poll (anonymous polls never identify anyone: they count only as
      responses),
    - answered going or maybe to an event's RSVP (talks, book-club meetings…),
    - answered a coffee or breakfast check-in, or were in a group that met (anyone in
      it answered "met"), for groups made that month,
    - reacted to or replied in the thread of one of the bot's posts (advent days,
      discussion prompts, any other post),
    - marked progress in a book club, gave a talk,
    - gave or received thanks, shared a win or were credited in one.
    """
    yield from rows.touches
    for group in rows.groups:
        people = set(group.answered)
        if group.met:
            people.update(group.members)
        for user in sorted(people):
            yield r.Touch(group.source, user, group.month)
    for win in rows.wins:
        for user in sorted({win.author_id, *win.credited}):
            yield r.Touch(r.WINS, user, win.month)


@dataclass(frozen=True, slots=True)
class Figure:
    """One number for the period and the one before (None: not known / nothing to divide)."""

    label: str
    current: float | None
    previous: float | None
    rate: bool = False

    def shown(self, value: float | None) -> str:
        if value is None:
            return "–"
        return f"{value:.0%}" if self.rate else f"{value:g}"

    @property
    def change(self) -> str:
        if self.current is None or self.previous is None:
            return ""
        delta = self.current - self.previous
        if self.rate:
            points = round(delta * 100)
            return f"{points:+d} pts" if points else "="
        return f"{delta:+g}" if delta else "="


@dataclass(frozen=True, slots=True)
class Section:
    source: str
    label: str
    figures: tuple[Figure, ...]


@dataclass(frozen=True, slots=True)
class Report:
    period: str  # `2026-11`, `2026-Q4`
    label: str  # "November 2026"
    previous_label: str
    participation: tuple[Figure, ...]
    sections: tuple[Section, ...]
    # Distinct participants per month, the last 12 months up to the period's end.
    series: tuple[tuple[str, int], ...]
    # Per activity: distinct participants in the period and the one before.
    by_activity: tuple[tuple[str, int, int], ...]
    channel_members: int | None = None

    @property
    def has_data(self) -> bool:
        participants = self.participation[0].current if self.participation else None
        return bool(participants) or any(
            f.current for s in self.sections for f in s.figures if not f.rate
        )


class _Index:
    """Touches and counts arranged by month, for sums over a period."""

    def __init__(self, rows: r.Rows) -> None:
        self.people: dict[str, set[str]] = defaultdict(set)
        self.by_source: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.first_month: dict[str, str] = {}
        for touch in took_part(rows):
            self.people[touch.month].add(touch.user_id)
            self.by_source[(touch.source, touch.month)].add(touch.user_id)
            seen = self.first_month.get(touch.user_id)
            if seen is None or touch.month < seen:
                self.first_month[touch.user_id] = touch.month
        self.counts: dict[tuple[str, str], int] = defaultdict(int)
        for count in rows.counts:
            self.counts[(count.metric, count.month)] += count.value
        self.groups = rows.groups

    def participants(self, period: Period, source: str | None = None) -> set[str]:
        found: set[str] = set()
        for month in period.months:
            found |= self.people[month] if source is None else self.by_source[(source, month)]
        return found

    def total(self, metric: str, period: Period) -> int:
        return sum(self.counts[(metric, month)] for month in period.months)


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _participation(
    index: _Index, period: Period, members: Collection[str] | None
) -> list[float | None]:
    """Participants, new, returning, kept from the period before, share of the channel."""
    people = index.participants(period)
    new = {u for u in people if index.first_month[u] >= period.first}
    before = index.participants(period.previous())
    share = _ratio(len(people & set(members)), len(members)) if members else None
    return [
        len(people),
        len(new),
        len(people) - len(new),
        _ratio(len(before & people), len(before)),
        share,
    ]


PARTICIPATION = (
    ("Members who took part", False),
    ("New (first time)", False),
    ("Returning", False),
    ("Retention (took part in the period before too)", True),
    ("Share of the channel's members", True),
)


def _groups(index: _Index, source: str, period: Period) -> list[float | None]:
    months = set(period.months)
    made = [g for g in index.groups if g.source == source and g.month in months]
    answered = [g for g in made if g.answered]
    met = [g for g in answered if g.met]
    return [len(made), len(answered), _ratio(len(met), len(answered))]


def _activity(
    index: _Index, source: str, period: Period, audience: int | None
) -> list[tuple[str, float | None, bool]]:
    """The figures of one activity for one period: (label, value, is a rate)."""
    total = index.total
    if source in (r.COFFEE, r.BREAKFAST):
        made, answered, rate = _groups(index, source, period)
        return [
            ("Groups made", made, False),
            ("Groups that answered the check-in", answered, False),
            ("Met rate (of groups that answered)", rate, True),
        ]
    if source == r.POLLS:
        run, responses = total(r.Metric.POLLS_RUN, period), total(r.Metric.POLL_RESPONSES, period)
        return [
            ("Polls run", run, False),
            ("Responses", responses, False),
            (
                "Response rate (responses per poll, of the channel's members)",
                _ratio(responses, run * audience) if audience else None,
                True,
            ),
        ]
    if source == r.EVENTS:
        return [
            ("Events held", total(r.Metric.EVENTS_HELD, period), False),
            ("RSVPs going", total(r.Metric.EVENTS_GOING, period), False),
            ("RSVPs maybe", total(r.Metric.EVENTS_MAYBE, period), False),
            ("Attendance (not recorded)", None, False),
        ]
    if source == r.BOOKCLUB:
        return [("Book-club finishers", total(r.Metric.BOOK_FINISHERS, period), False)]
    if source == r.TALKS:
        return [("Talks given", total(r.Metric.TALKS_GIVEN, period), False)]
    if source in (r.ADVENT, r.DISCUSSION, r.POSTS):
        return [
            ("Reactions", total(r.Metric.reactions(source), period), False),
            ("Replies", total(r.Metric.replies(source), period), False),
        ]
    if source == r.WINS:
        return [("Wins shared", total(r.Metric.WINS_SHARED, period), False)]
    return [("Thanks given", total(r.Metric.THANKS_GIVEN, period), False)]


def _section(index: _Index, source: str, period: Period, audience: int | None) -> Section:
    now = _activity(index, source, period, audience)
    before = _activity(index, source, period.previous(), audience)
    people = (
        "Members taking part",
        len(index.participants(period, source)),
        len(index.participants(period.previous(), source)),
    )
    figures = [Figure(people[0], people[1], people[2])]
    figures += [
        Figure(label, value, old, rate)
        for (label, value, rate), (_, old, _) in zip(now, before, strict=True)
    ]
    return Section(source, r.LABELS[source], tuple(figures))


def _any(section: Section) -> bool:
    return any((f.current or f.previous) and not f.rate for f in section.figures)


def build(rows: r.Rows, *, period: Period, members: Collection[str] | None = None) -> Report:
    """The report for `period` from `rows`, against the period before. `members` are the
    channel's members (for the share and the poll response rate), when known."""
    index = _Index(rows)
    now = _participation(index, period, members)
    before = _participation(index, period.previous(), members)
    participation = tuple(
        Figure(label, value, old, rate)
        for (label, rate), value, old in zip(PARTICIPATION, now, before, strict=True)
    )
    audience = len(members) if members else None
    sections = tuple(
        s for s in (_section(index, src, period, audience) for src in r.SOURCES) if _any(s)
    )
    series = tuple(
        (month, len(index.people[month]))
        for month in (shift(period.last, -i) for i in reversed(range(SERIES_MONTHS)))
    )
    by_activity = tuple(
        (s.label, int(s.figures[0].current or 0), int(s.figures[0].previous or 0)) for s in sections
    )
    return Report(
        period=period.key,
        label=period.label,
        previous_label=period.previous().label,
        participation=participation,
        sections=sections,
        series=series,
        by_activity=by_activity,
        channel_members=audience,
    )


def window_start(period: Period) -> str:
    """The first month whose counts the report reads (the chart's twelve months, and the
    previous period)."""
    return min(shift(period.last, -(SERIES_MONTHS - 1)), period.previous().first)
