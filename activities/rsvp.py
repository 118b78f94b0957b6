"""RSVPs to any dated event (a book-club meeting, a talk…): the pure rules.

One model serves every kind and the calendar: an answer is going, maybe or can't,
changeable until the event starts; after the start, or once the event is cancelled,
a click is refused with a message that says which.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, get_args

from activities.errors import UserError

Answer = Literal["going", "maybe", "cant"]
ANSWERS: tuple[Answer, ...] = get_args(Answer)
LABELS: dict[Answer, str] = {"going": "Going", "maybe": "Maybe", "cant": "Can't"}

CANCELLED = "This event was cancelled."
ENDED = "This event has ended."


def parse_answer(text: str) -> Answer:
    """A stored or clicked answer; anything else is a forged value."""
    for answer in ANSWERS:
        if answer == text:
            return answer
    raise ValueError(f"not an RSVP answer: {text!r}")


def check_open(*, starts_at: datetime, cancelled: bool, now: datetime) -> None:
    """Refuse an RSVP to a cancelled event, or one that has started."""
    if cancelled:
        raise UserError(CANCELLED)
    if now >= starts_at:
        raise UserError(ENDED)


def confirmation(answer: Answer, title: str) -> str:
    if answer == "going":
        return f"✅ You're going to *{title}*. I'll remind you a day and 15 minutes before."
    if answer == "maybe":
        return f"🤔 Noted: maybe for *{title}*."
    return f"👋 Noted: you can't make *{title}*."
