"""Adding a row: the one insert the query modules and use-cases share."""

from __future__ import annotations

from typing import TypeVar

from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

Row = TypeVar("Row", bound=SQLModel)


async def add(session: AsyncSession, row: Row) -> Row:
    """Insert `row` in the caller's transaction; it comes back with its id."""
    session.add(row)
    await session.flush()
    return row
