"""What waits for an organiser in one place: how many, and the first few to act on.

Each kind counts its own (advent tips to review, volunteered talks, proposed books,
topics in a backlog); the Home tab shows every kind's count in one section.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.rows import Pile, Row

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


@dataclass(frozen=True, slots=True)
class Backlog(Generic[Row]):
    """One kind's pile for its organisers, read from that kind's store: a cheap count
    (the Home tab's number) and the oldest few (its list to act on)."""

    pile: Pile[Row]

    async def total(self, session: AsyncSession, *, team_id: str) -> int:
        """How many wait."""
        return await self.pile.count(session, team_id=team_id)

    async def waiting(self, session: AsyncSession, *, team_id: str) -> WaitingList[Row]:
        """How many wait, and (only when some do) the oldest `SHOWN` of them."""
        total = await self.pile.count(session, team_id=team_id)
        first = await self.pile.oldest(session, team_id=team_id, limit=SHOWN) if total else []
        return WaitingList(total, first)
