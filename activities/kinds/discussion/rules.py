"""Topic discussions' settings, form and pure rules: topic text, ranking, the digest line."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from activities.errors import UserError
from activities.forms import Draft, Field, Form, FormContext, Inputs
from activities.kind import KindSettings
from activities.schedule import SCHEDULE_HINT
from activities.text import check_length, escape_mrkdwn

EXAMPLE = '/community new discussion #learning --every "every other thursday 12:00"'
TOPIC_EXAMPLE = '/community topics add "How do you review a big pull request?"'
MAX_TOPIC = 300
LOW_BACKLOG = 2  # fewer open topics than this before a slot: ask the channel
ASK_AHEAD = timedelta(days=2)
DIGEST_AFTER = timedelta(days=1)


class DiscussionSettings(KindSettings):
    pass


def parse(inputs: Inputs, ctx: FormContext) -> Draft[DiscussionSettings]:
    return Draft(
        title="Topic discussions",
        schedule_text=inputs.text("every"),
        settings=DiscussionSettings(),
        summary='Members suggest and upvote topics: `/community topics add "…"`.',
    )


def inputs_of(settings: DiscussionSettings, schedule_text: str) -> dict[str, str]:
    return {"every": schedule_text}


FORM = Form(
    title="New topic discussion",
    example=EXAMPLE,
    settings=DiscussionSettings,
    fields=(
        Field(
            "every",
            "When",
            required=True,
            positional=True,
            placeholder="every other thursday 12:00",
            hint=SCHEDULE_HINT,
        ),
    ),
    parse=parse,
    inputs_of=inputs_of,
    schedule_field="every",
)


def normalise(text: str) -> str:
    """What makes two topics the same: case, spacing and end punctuation aside."""
    return re.sub(r"\s+", " ", text).strip().casefold().rstrip("?!. ")


def check_topic(text: str, *, field: str = "topic") -> str:
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        raise UserError(f"Say what the topic is. Example: `{TOPIC_EXAMPLE}`", field=field)
    return check_length(text, MAX_TOPIC, what="That topic", field=field)


def check_new(text: str, open_topics: Sequence[tuple[int, str]]) -> None:
    """Refuse a topic the backlog already holds (by its normalised text)."""
    wanted = normalise(text)
    for topic_id, existing in open_topics:
        if normalise(existing) == wanted:
            raise UserError(
                f"“{escape_mrkdwn(existing)}” is already in the backlog (topic {topic_id}): "
                f"upvote it with `/community topics vote {topic_id}`.",
                field="topic",
            )


@dataclass(frozen=True, slots=True)
class Ranked:
    topic_id: int
    votes: int
    created_at: datetime


def rank(topics: Sequence[Ranked]) -> list[Ranked]:
    """Most votes first; on a tie, the oldest suggestion first."""
    return sorted(topics, key=lambda t: (-t.votes, t.created_at, t.topic_id))


def needs_topics(open_count: int, next_slot: datetime | None, now: datetime) -> bool:
    """Ask the channel for topics: fewer than two left and the slot two days away or less."""
    return next_slot is not None and open_count < LOW_BACKLOG and now < next_slot <= now + ASK_AHEAD


def digest_line(people: int, replies: int) -> str:
    said_people = "1 person took part" if people == 1 else f"{people} people took part"
    said_replies = "1 reply" if replies == 1 else f"{replies} replies"
    return f"{said_people}, {said_replies}"
