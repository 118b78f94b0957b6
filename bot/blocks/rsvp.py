"""The Going / Maybe / Can't buttons any dated event's message carries, with live counts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from activities.rsvp import ANSWERS, LABELS, Answer
from activities.rsvp_answers import EventState
from activities.text import escape_mrkdwn
from bot.blocks.common import Block, actions, button, context, section, slack_date
from storage.models import RsvpEvent

ACTION_PREFIX = "rsvp_"
ACTION_IDS: dict[str, Answer] = {f"{ACTION_PREFIX}{answer}": answer for answer in ANSWERS}


def buttons(event_key: str, counts: Mapping[str, int]) -> Block:
    """One actions block: each button names its answer and how many gave it."""
    elements = []
    for answer in ANSWERS:
        count = counts.get(answer, 0)
        label = f"{LABELS[answer]} ({count})" if count else LABELS[answer]
        style = "primary" if answer == "going" else None
        elements.append(button(label, f"{ACTION_PREFIX}{answer}", event_key, style=style))
    return actions(*elements, block_id=f"rsvp:{event_key}"[:255])


def invitation(body: str, event: EventState, note: str) -> list[Block]:
    """An event's message: what and when (`body`), the answers with their counts, and how
    many are going (then `note`)."""
    return [
        section(body),
        buttons(event.event_key, event.counts),
        context(f"{event.going} going · {note}"),
    ]


def cancelled(text: str, what: str) -> tuple[str, list[Block]]:
    """An event's message once it is cancelled: struck through, with no buttons."""
    return text, [section(f"~{escape_mrkdwn(text)}~ This {what} was cancelled.")]


def home_section(items: Sequence[tuple[RsvpEvent, str]]) -> list[Block]:
    """A person's RSVPs to coming events, for their Home tab."""
    if not items:
        return []
    lines = []
    for event, answer in items:
        label = LABELS.get(answer, answer)  # type: ignore[call-overload]
        where = f" in <#{event.channel_id}>" if event.channel_id else ""
        lines.append(
            f"• *{escape_mrkdwn(event.title[:150])}*{where} · {slack_date(event.starts_at)}"
            f" · {label}"
        )
    return [section("*Your RSVPs*\n" + "\n".join(lines))]
