"""What waits for an organiser in one place: how many, and the first few to act on.

Each kind counts its own (advent tips to review, volunteered talks, proposed books,
topics in a backlog); the Home tab shows every kind's count in one section.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")

# Items a Home tab lists to act on, per kind (each takes a block or two).
SHOWN = 10


@dataclass(frozen=True, slots=True)
class WaitingList(Generic[T]):
    total: int
    first: list[T] = field(default_factory=list)

    @property
    def more(self) -> int:
        """How many are waiting beyond those in `first`."""
        return max(self.total - len(self.first), 0)


async def waiting_list(
    count: Callable[[], Awaitable[int]], first: Callable[[int], Awaitable[list[T]]]
) -> WaitingList[T]:
    """How many wait, and (only when some do) the first `SHOWN` of them."""
    total = await count()
    return WaitingList(total, await first(SHOWN) if total else [])
