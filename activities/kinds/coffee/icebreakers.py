"""Built-in icebreakers for coffee and breakfast intros; organisers can add their own."""

from __future__ import annotations

ICEBREAKERS: tuple[str, ...] = (
    "What's something you learned recently that surprised you?",
    "What did you want to be when you were ten?",
    "What's the best thing you've eaten this month?",
    "Which tool or habit makes your work week better?",
    "What's a small thing that made you smile this week?",
    "If you could swap jobs with anyone here for a day, who would it be?",
    "What's a book, podcast or show you'd recommend right now?",
    "What's the most unusual place you've worked from?",
    "What's a skill you'd like to pick up this year?",
    "What does a perfect Saturday morning look like for you?",
    "What was your first job, and what did it teach you?",
    "Which project are you proudest of, at work or outside it?",
)


def pick(seed: int, extra: list[str] | None = None) -> str:
    """A stable choice for a group: the same seed always gives the same question."""
    pool = [*ICEBREAKERS, *(e.strip() for e in (extra or []) if e and e.strip())]
    return pool[seed % len(pool)]
