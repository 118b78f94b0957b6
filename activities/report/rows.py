"""The plain rows the report is computed from, as storage reads them (one month key each).

Who took part is read as `Touch`es (a person, a month, where); groups and wins carry
their members, because whether those count depends on a rule (`took_part`). Counts
are aggregates the database sums per month. No row carries any text anyone wrote.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

# Where people take part, in the order the report lists them.
COFFEE = "coffee"
BREAKFAST = "breakfast"
POLLS = "polls"
EVENTS = "events"
BOOKCLUB = "bookclub"
TALKS = "talks"
ADVENT = "advent"
DISCUSSION = "discussion"
POSTS = "posts"  # reactions and replies on the bot's other posts
WINS = "wins"
THANKS = "thanks"
SOURCES = (
    COFFEE,
    BREAKFAST,
    POLLS,
    EVENTS,
    BOOKCLUB,
    TALKS,
    ADVENT,
    DISCUSSION,
    POSTS,
    WINS,
    THANKS,
)
LABELS = {
    COFFEE: "Coffee pairings",
    BREAKFAST: "Breakfast switch-ups",
    POLLS: "Polls",
    EVENTS: "Events (RSVPs)",
    BOOKCLUB: "Book clubs",
    TALKS: "Talks",
    ADVENT: "Advent of learning",
    DISCUSSION: "Topic discussions",
    POSTS: "Other posts",
    WINS: "Wins",
    THANKS: "Thanks",
}


class Metric(StrEnum):
    """The counts the database sums per month ("<source>.<what>", as storage names them)."""

    POLLS_RUN = "polls.run"
    POLL_RESPONSES = "polls.responses"
    EVENTS_HELD = "events.held"
    EVENTS_GOING = "events.going"
    EVENTS_MAYBE = "events.maybe"
    BOOK_FINISHERS = "bookclub.finishers"
    TALKS_GIVEN = "talks.given"
    WINS_SHARED = "wins.shared"
    THANKS_GIVEN = "thanks.given"

    @staticmethod
    def reactions(source: str) -> str:
        return f"{source}.reactions"

    @staticmethod
    def replies(source: str) -> str:
        return f"{source}.replies"


class Touch(NamedTuple):
    """`user_id` did something in `source` during `month` (`2026-11`)."""

    source: str
    user_id: str
    month: str


@dataclass(frozen=True, slots=True)
class GroupRow:
    """A coffee or breakfast group made in `month`: its members, who answered the
    check-in, and whether anyone answered that they met."""

    source: str
    month: str
    members: tuple[str, ...]
    answered: tuple[str, ...] = ()
    met: bool = False


class WinRow(NamedTuple):
    month: str
    author_id: str
    credited: tuple[str, ...] = ()


class Count(NamedTuple):
    metric: str
    month: str
    value: int


class Rows(NamedTuple):
    """Everything one report reads."""

    touches: Sequence[Touch] = ()
    groups: Sequence[GroupRow] = ()
    wins: Sequence[WinRow] = ()
    counts: Sequence[Count] = ()
