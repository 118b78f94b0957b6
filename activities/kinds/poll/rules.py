"""Pure poll logic: validation, vote rules, tallies, summaries and CSV export.

Nothing here touches Slack, the network or the database; callers pass plain data in
and get plain data (or text) back.
"""

from __future__ import annotations

import csv
import io
import re
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, get_args

from activities.errors import UserError
from activities.forms import SWITCH_ON, Draft, Field, Form, FormContext, Inputs
from activities.kind import KindSettings
from activities.schedule import SCHEDULE_HINT, parse_duration

PollKind = Literal["choice", "rating", "adjustment"]
VoteAction = Literal["add", "remove", "move", "refuse"]
PollField = Literal["question", "options", "scale", "choices", "closes_at"]

POLL_KINDS: tuple[PollKind, ...] = get_args(PollKind)
_KINDS: dict[str, PollKind] = {kind: kind for kind in POLL_KINDS}
MIN_OPTIONS = 2
MAX_OPTIONS = 10
MAX_QUESTION_CHARS = 300
MAX_OPTION_CHARS = 75  # Slack's button-text limit.
DEFAULT_SCALE = (1, 10)
MAX_SCALE_VALUE = 10
ADJUSTMENT_OPTIONS: tuple[str, ...] = (
    "No adjustment",
    "Low adjustment",
    "Medium adjustment",
    "High adjustment",
)

EXAMPLE_CHOICE = '/poll "Which event next?" "Book club" "Coffee roulette"'
EXAMPLE_RATING = '/poll "How useful was the talk?" --scale 1-10'
EXAMPLE_ADJUSTMENT = '/poll "How much should we change the format?" --scale adjustment'

_SCALE_RE = re.compile(r"^\s*(\d{1,2})\s*(?:-|–|—|\.\.|to)\s*(\d{1,2})\s*$")


class PollError(UserError):
    """A user-facing validation error; the message includes a correct example.

    ``field`` names the offending input (question, options, scale, choices, closes_at)
    so a modal can attach the message to the right block.
    """

    def __init__(self, message: str, *, field: PollField | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


def _refused(said: str, field: PollField, example: str = EXAMPLE_CHOICE) -> PollError:
    """A refusal of the `/poll` form, ending with a poll that works (`example`)."""
    return PollError(f"{said} Example: {example}", field=field)


@dataclass(frozen=True)
class PollSpec:
    """A validated poll, ready to be stored and posted."""

    question: str
    options: tuple[str, ...]
    kind: PollKind
    max_choices: int
    anonymous: bool
    hide_results: bool
    closes_at: datetime | None

    def columns(self) -> dict[str, Any]:
        """The poll's own columns, named as the stored poll names them."""
        return {f.name: getattr(self, f.name) for f in fields(self)} | {
            "options": list(self.options)
        }

    @property
    def scale_values(self) -> tuple[int, ...] | None:
        """The numeric scale for rating polls, else None."""
        if self.kind != "rating":
            return None
        return tuple(int(option) for option in self.options)


# --------------------------------------------------------------------------- validation


def parse_scale(scale: str | None) -> tuple[int, int]:
    """Parse ``"a-b"`` (0 <= a < b <= 10) into ``(a, b)``; None gives the 1-10 default."""
    if scale is None or not scale.strip():
        return DEFAULT_SCALE
    match = _SCALE_RE.match(scale)
    if match is None:
        said = (
            f"I couldn't read the scale {scale.strip()!r}. Use --scale 1-10 or --scale adjustment."
        )
        raise _refused(said, "scale", EXAMPLE_RATING)
    low, high = int(match.group(1)), int(match.group(2))
    if not 0 <= low < high <= MAX_SCALE_VALUE:
        said = (
            f"A rating scale runs from a lower to a higher number between 0 and "
            f"{MAX_SCALE_VALUE}, e.g. --scale 1-5 or --scale 0-10 (got {low}-{high})."
        )
        raise _refused(said, "scale", EXAMPLE_RATING)
    return low, high


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _kind_and_scale(kind: str, scale: str | None) -> tuple[PollKind, str | None]:
    resolved = _KINDS.get(kind)
    if resolved is None:
        raise _refused(
            f"Unknown poll type {kind!r}; choose one of {', '.join(POLL_KINDS)}.", "scale"
        )
    scale = scale.strip() if scale is not None and scale.strip() else None
    if scale is not None and scale.casefold() == "adjustment":
        if kind == "rating":
            said = "A rating poll needs a numeric scale such as --scale 1-10."
            raise _refused(said, "scale", EXAMPLE_RATING)
        return "adjustment", None
    if kind == "adjustment" and scale is not None:
        said = f"Adjustment polls use a fixed scale; drop --scale {scale}."
        raise _refused(said, "scale", EXAMPLE_ADJUSTMENT)
    if resolved == "choice" and scale is not None:
        return "rating", scale
    return resolved, scale


def _check_question(question: str) -> str:
    question = question.strip()
    if not question:
        raise _refused("A poll needs a question.", "question")
    if len(question) > MAX_QUESTION_CHARS:
        raise _refused(
            f"The question is {len(question)} characters; keep it to {MAX_QUESTION_CHARS}.",
            "question",
        )
    return question


def _check_choice_options(options: Sequence[str]) -> tuple[str, ...]:
    cleaned = tuple(option.strip() for option in options)
    if not MIN_OPTIONS <= len(cleaned) <= MAX_OPTIONS:
        raise _refused(
            f"A poll needs {MIN_OPTIONS} to {MAX_OPTIONS} options (got {len(cleaned)}).", "options"
        )
    seen: dict[str, str] = {}
    for number, option in enumerate(cleaned, start=1):
        if not option:
            raise _refused(f"Option {number} is empty.", "options")
        if len(option) > MAX_OPTION_CHARS:
            raise _refused(
                f"Option {number} is {len(option)} characters; Slack buttons allow at most "
                f"{MAX_OPTION_CHARS}.",
                "options",
            )
        key = _norm(option)
        if key in seen:
            raise _refused(f'"{option}" is listed twice; each option must be different.', "options")
        seen[key] = option
    return cleaned


def _fixed_options(kind: PollKind, scale: str | None, given: Sequence[str]) -> tuple[str, ...]:
    if kind == "adjustment":
        fixed, example = ADJUSTMENT_OPTIONS, EXAMPLE_ADJUSTMENT
    else:
        low, high = parse_scale(scale)
        fixed, example = tuple(str(v) for v in range(low, high + 1)), EXAMPLE_RATING
    cleaned = tuple(option.strip() for option in given if option.strip())
    if cleaned and cleaned != fixed:
        name = "Rating" if kind == "rating" else "Adjustment"
        said = f"{name} polls supply their own options; leave the options out."
        raise _refused(said, "options", example)
    return fixed


def _max_choices(kind: PollKind, option_count: int, *, multi: bool, choices: int | None) -> int:
    if kind != "choice":
        if multi or (choices is not None and choices != 1):
            said = (
                "Rating and adjustment polls take one answer per person; drop --multi and "
                "--choices."
            )
            raise _refused(said, "choices", EXAMPLE_RATING)
        return 1
    if choices is not None:
        if multi and choices == 1:
            said = (
                "--multi lets people pick several options but --choices 1 allows only one; "
                "keep one of them."
            )
            raise _refused(said, "choices", f"{EXAMPLE_CHOICE} --multi --choices 2")
        if not 1 <= choices <= option_count:
            said = (
                f"--choices must be between 1 and the number of options ({option_count}); "
                f"got {choices}."
            )
            raise _refused(said, "choices", f"{EXAMPLE_CHOICE} --choices 2")
        return choices
    return option_count if multi else 1


def _check_deadline(closes_at: datetime | None, now: datetime) -> datetime | None:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if closes_at is None:
        return None
    if closes_at.tzinfo is None:
        raise ValueError("closes_at must be timezone-aware")
    closes_at = closes_at.astimezone(UTC)
    if closes_at <= now:
        said = "The closing time must be in the future."
        raise _refused(said, "closes_at", f"{EXAMPLE_CHOICE} --closes friday 17:00")
    return closes_at


def build_poll_spec(
    question: str,
    options: Sequence[str],
    *,
    kind: PollKind = "choice",
    scale: str | None = None,
    multi: bool = False,
    choices: int | None = None,
    anonymous: bool = False,
    hide_results: bool = False,
    closes_at: datetime | None = None,
    now: datetime,
) -> PollSpec:
    """Validate raw poll input and return a ``PollSpec`` or raise ``PollError``.

    A ``scale`` on a choice poll turns it into a rating poll (``--scale adjustment``
    into an adjustment poll); rating and adjustment polls generate their options.
    ``--choices N`` caps a ``--multi`` poll; ``--multi --choices 1`` contradicts itself
    and is refused.
    """
    resolved_kind, resolved_scale = _kind_and_scale(kind, scale)
    text = _check_question(question)
    if resolved_kind == "choice":
        cleaned = _check_choice_options(options)
    else:
        cleaned = _fixed_options(resolved_kind, resolved_scale, options)
    return PollSpec(
        question=text,
        options=cleaned,
        kind=resolved_kind,
        max_choices=_max_choices(resolved_kind, len(cleaned), multi=multi, choices=choices),
        anonymous=anonymous,
        hide_results=hide_results,
        closes_at=_check_deadline(closes_at, now),
    )


# --------------------------------------------------------------------------- voting


@dataclass(frozen=True)
class VoteDecision:
    """What a click does: add, remove, move (remove then add) or refuse with a reason."""

    action: VoteAction
    add_index: int | None = None
    remove_indices: frozenset[int] = field(default_factory=frozenset)
    reason: str | None = None

    @property
    def accepted(self) -> bool:
        """True unless the vote was refused."""
        return self.action != "refuse"


def decide_vote(
    *, max_choices: int, current: frozenset[int], clicked: int, option_count: int
) -> VoteDecision:
    """Decide what clicking option ``clicked`` does given the voter's ``current`` picks.

    Clicking a chosen option removes it. In single-choice polls clicking another option
    moves the vote. In multi-choice polls a click beyond ``max_choices`` is refused.
    """
    if max_choices < 1:
        raise ValueError("max_choices must be at least 1")
    if not 0 <= clicked < option_count:
        return VoteDecision("refuse", reason="That option isn't part of this poll.")
    if clicked in current:
        return VoteDecision("remove", remove_indices=frozenset({clicked}))
    if max_choices == 1:
        if current:
            return VoteDecision("move", add_index=clicked, remove_indices=frozenset(current))
        return VoteDecision("add", add_index=clicked)
    if len(current) >= max_choices:
        return VoteDecision(
            "refuse",
            reason=(
                f"You've already chosen {len(current)} options; remove one first "
                "by clicking it again."
            ),
        )
    return VoteDecision("add", add_index=clicked)


# --------------------------------------------------------------------------- tallies


def _pct(part: int, whole: int) -> int:
    """Whole-number percentage rounded half up (0 when ``whole`` is 0)."""
    if whole <= 0:
        return 0
    return (200 * part + whole) // (2 * whole)


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


@dataclass(frozen=True)
class Tally:
    """Vote counts per option plus distinct voters and total votes.

    Percentages are shares of distinct voters, so in multi-choice polls they can add up
    to more than 100%.
    """

    counts: tuple[int, ...]
    voters: int
    votes: int

    def percent(self, index: int) -> float:
        """Share of distinct voters (0-100) who chose option ``index``."""
        if self.voters == 0:
            return 0.0
        return 100.0 * self.counts[index] / self.voters

    def rounded_percent(self, index: int) -> int:
        """``percent`` rounded half up to a whole number."""
        return _pct(self.counts[index], self.voters)

    def leaders(self) -> tuple[int, ...]:
        """Indices of the option(s) with the most votes; empty if nobody voted."""
        top = max(self.counts, default=0)
        if top == 0:
            return ()
        return tuple(i for i, count in enumerate(self.counts) if count == top)


def tally(option_count: int, votes: Iterable[tuple[int, str]]) -> Tally:
    """Count ``(option index, voter key)`` pairs; duplicates and unknown indices are ignored."""
    counts = [0] * option_count
    voters: set[str] = set()
    seen: set[tuple[int, str]] = set()
    for index, voter in votes:
        if not 0 <= index < option_count or (index, voter) in seen:
            continue
        seen.add((index, voter))
        counts[index] += 1
        voters.add(voter)
    return Tally(counts=tuple(counts), voters=len(voters), votes=len(seen))


# --------------------------------------------------------------------------- ratings


def rating_threshold(low: int, high: int) -> int:
    """The "X or lower" cut-off: the value just above the midpoint (1-10 -> 6, 1-5 -> 3)."""
    return max(low, min((low + high + 1) // 2, high - 1))


def _fmt_number(value: float) -> str:
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


@dataclass(frozen=True)
class RatingSummary:
    """Distribution and statistics of a rating poll."""

    distribution: tuple[tuple[int, int], ...]
    responses: int
    mean: float | None
    median: float | None
    threshold: int
    at_or_below_percent: int

    @property
    def sentence(self) -> str:
        """E.g. "64% rated 6 or lower" (or "No responses yet")."""
        if self.responses == 0:
            return "No responses yet"
        return f"{self.at_or_below_percent}% rated {self.threshold} or lower"

    @property
    def responses_text(self) -> str:
        """E.g. "25 responses"."""
        return _plural(self.responses, "response")

    @property
    def stats_text(self) -> str:
        """E.g. "25 responses · mean 5.8 · median 6"."""
        if self.mean is None or self.median is None:
            return self.responses_text
        return (
            f"{self.responses_text} · mean {_fmt_number(self.mean)} · "
            f"median {_fmt_number(self.median)}"
        )


def rating_summary(scale_values: Sequence[int], counts: Sequence[int]) -> RatingSummary:
    """Summarise a rating poll from its scale values and the count for each value."""
    if len(scale_values) != len(counts) or not scale_values:
        raise ValueError("scale_values and counts must be non-empty and the same length")
    low, high = min(scale_values), max(scale_values)
    threshold = rating_threshold(low, high)
    responses = sum(counts)
    distribution = tuple(zip(scale_values, counts, strict=True))
    if responses == 0:
        return RatingSummary(distribution, 0, None, None, threshold, 0)
    expanded = sorted(v for v, c in distribution for _ in range(c))
    mean = sum(v * c for v, c in distribution) / responses
    median = float(statistics.median(expanded))
    at_or_below = sum(c for v, c in distribution if v <= threshold)
    return RatingSummary(
        distribution=distribution,
        responses=responses,
        mean=mean,
        median=median,
        threshold=threshold,
        at_or_below_percent=_pct(at_or_below, responses),
    )


# --------------------------------------------------------------------------- reports


def results_summary(*, question: str, options: Sequence[str], kind: PollKind, tally: Tally) -> str:
    """Plain-text results (no Slack markup) for the creator's DM when a poll closes."""
    lines = [f"Poll closed: {question}"]
    if kind == "rating":
        summary = rating_summary([int(o) for o in options], tally.counts)
        lines.append(summary.stats_text)
        if summary.responses:
            lines.append(f"{summary.sentence}.")
        lines.append("")
        lines.append("Distribution:")
        lines.extend(
            f"- {value}: {count} ({_pct(count, summary.responses)}%)"
            for value, count in summary.distribution
        )
        return "\n".join(lines)

    leaders = tally.leaders()
    if not leaders:
        lines.append("No votes were cast.")
    elif len(leaders) == 1:
        i = leaders[0]
        lines.append(
            f"Winner: {options[i]} with {_plural(tally.counts[i], 'vote')} "
            f"({tally.rounded_percent(i)}% of voters)"
        )
    else:
        names = [options[i] for i in leaders]
        joined = ", ".join(names[:-1]) + f" and {names[-1]}"
        i = leaders[0]
        lines.append(
            f"Tie between {joined} with {_plural(tally.counts[i], 'vote')} each "
            f"({tally.rounded_percent(i)}% of voters)"
        )
    lines.append("")
    lines.append("Results:")
    lines.extend(
        f"- {option}: {_plural(tally.counts[i], 'vote')} ({tally.rounded_percent(i)}%)"
        for i, option in enumerate(options)
    )
    lines.append("")
    lines.append(f"{_plural(tally.voters, 'voter')}, {_plural(tally.votes, 'vote')} in total.")
    if tally.votes > tally.voters:
        lines.append("Percentages are shares of voters, so they can add up to more than 100%.")
    return "\n".join(lines)


_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(cell: str) -> str:
    """Neutralise spreadsheet formula injection by prefixing risky cells with a quote."""
    return "'" + cell if cell.startswith(_FORMULA_PREFIXES) else cell


def results_csv(
    question: str,
    options: Sequence[str],
    tally: Tally,
    voters_by_option: Mapping[int, Sequence[str]] | None,
) -> str:
    """CSV of results: question, option, votes, percent (+ voters unless anonymous).

    Pass ``voters_by_option=None`` for anonymous polls: no voter column is written.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    header = ["question", "option", "votes", "percent"]
    if voters_by_option is not None:
        header.append("voters")
    writer.writerow(header)
    for i, option in enumerate(options):
        row = [
            csv_safe(question),
            csv_safe(option),
            str(tally.counts[i]),
            f"{tally.percent(i):.1f}",
        ]
        if voters_by_option is not None:
            row.append(csv_safe("; ".join(voters_by_option.get(i, ()))))
        writer.writerow(row)
    return buffer.getvalue()


NEXT_EVENT_QUESTION = "Which event should we run next?"


def next_event_template(
    running: Sequence[str], event_labels: Mapping[str, str]
) -> tuple[str, tuple[str, ...]]:
    """Question and options for a "what next?" poll.

    `event_labels` are the event kinds this bot runs (name -> label, from the kind
    catalogue); the options are those the community runs, or every one of them when
    it runs fewer than two.
    """
    labels: list[str] = []
    for kind in running:
        label = event_labels.get(kind.strip().casefold())
        if label is not None and label not in labels:
            labels.append(label)
    if len(labels) < MIN_OPTIONS:
        labels = list(dict.fromkeys(event_labels.values()))
    return NEXT_EVENT_QUESTION, tuple(labels)


# --------------------------------------------------------------------------- the kind

DEFAULT_CLOSES_AFTER = timedelta(days=1)
NEW_POLL_EXAMPLE = (
    '/community new poll #general "every friday 16:00" "How was your week?" '
    '"Great" "Fine" "Tough" --closes-after 2d'
)


class PollSettings(KindSettings):
    """A recurring poll: each slot posts a new poll that closes after a while."""

    question: str
    options: list[str]
    scale: str | None = None
    multi: bool = False
    choices: int | None = None
    anonymous: bool = False
    hide_results: bool = False
    closes_after_seconds: int = int(DEFAULT_CLOSES_AFTER.total_seconds())


def parse_choices(raw: str) -> int | None:
    if not raw:
        return None
    if not raw.isdigit():
        raise PollError(
            f"--choices takes a number, e.g. `{EXAMPLE_CHOICE} --choices 2`.", field="choices"
        )
    return int(raw)


def parse_recurring(inputs: Inputs, ctx: FormContext) -> Draft[PollSettings]:
    """Validate a recurring poll's settings now (each slot builds its poll from them)."""
    question = inputs.text("question")
    scale = inputs.text("scale") or None
    options = inputs.lines("options")
    multi, anonymous = inputs.switch("multi"), inputs.switch("anonymous")
    hide_results, choices = inputs.switch("hide_results"), parse_choices(inputs.text("choices"))
    spec = build_poll_spec(
        question,
        options,
        scale=scale,
        multi=multi,
        choices=choices,
        anonymous=anonymous,
        hide_results=hide_results,
        now=ctx.now,
    )
    closes = inputs.text("closes_after")
    after = parse_duration(closes) if closes else DEFAULT_CLOSES_AFTER
    settings = PollSettings(
        question=spec.question,
        options=list(options),
        scale=scale,
        multi=multi,
        choices=choices,
        anonymous=anonymous,
        hide_results=hide_results,
        closes_after_seconds=int(after.total_seconds()),
    )
    return Draft(title=question[:60], schedule_text=inputs.text("schedule"), settings=settings)


def recurring_inputs(settings: PollSettings, schedule_text: str) -> dict[str, str]:
    on = {True: SWITCH_ON, False: ""}
    return {
        "schedule": schedule_text,
        "question": settings.question,
        "options": "\n".join(settings.options),
        "scale": settings.scale or "",
        "choices": str(settings.choices or ""),
        "multi": on[settings.multi],
        "anonymous": on[settings.anonymous],
        "hide_results": on[settings.hide_results],
        "closes_after": f"{settings.closes_after_seconds // 60}m",
    }


FORM = Form(
    title="New recurring poll",
    example=NEW_POLL_EXAMPLE,
    settings=PollSettings,
    fields=(
        Field("schedule", "When", required=True, positional=True, hint=SCHEDULE_HINT),
        Field(
            "question", "Question", required=True, positional=True, max_length=MAX_QUESTION_CHARS
        ),
        Field("options", "Options", kind="lines", positional=True, hint="One per line"),
        Field("scale", "Rating scale", hint="1-10, 1-5 or adjustment; empty for choices"),
        Field("choices", "Choices per person", hint="With multiple choice: at most this many"),
        Field("closes_after", "Closes after", default="1d", hint="2d, 3h…"),
        Field("multi", "Multiple choice", kind="switch", hint="People may pick several"),
        Field("anonymous", "Anonymous", kind="switch", hint="Nobody sees who voted"),
        Field("hide_results", "Hide results", kind="switch", hint="Until the poll closes"),
    ),
    parse=parse_recurring,
    inputs_of=recurring_inputs,
)
