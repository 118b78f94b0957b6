"""Pure rules of a poll among a role's volunteers: its options and who leads it."""

from __future__ import annotations

from collections.abc import Sequence

from activities.kinds.poll.rules import MAX_OPTION_CHARS, MAX_OPTIONS, MIN_OPTIONS

# The longest name kept in an option; the rest of the button is "Appoint " and a suffix.
MAX_NAME = MAX_OPTION_CHARS - 12


def option_labels(names: Sequence[str]) -> list[str]:
    """One distinct label a volunteer (at most MAX_OPTIONS of them), in their order.

    A blank name falls back to "Volunteer n"; two people of one name are told apart by
    their position ("Sam (2)"), since a poll refuses two equal options.
    """
    labels: list[str] = []
    seen: set[str] = set()
    for number, name in enumerate(names[:MAX_OPTIONS], start=1):
        label = " ".join(name.split())[:MAX_NAME] or f"Volunteer {number}"
        if label.casefold() in seen:
            label = f"{label} ({number})"
        seen.add(label.casefold())
        labels.append(label)
    return labels


def enough_volunteers(count: int) -> bool:
    return count >= MIN_OPTIONS


def leaders(counts: Sequence[int]) -> list[int]:
    """The options with the most votes (several on a tie); every option when nobody voted."""
    top = max(counts, default=0)
    if top == 0:
        return list(range(len(counts)))
    return [i for i, count in enumerate(counts) if count == top]
