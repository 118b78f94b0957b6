"""Adding and reading rows: the one insert and the two reads every query module shares."""

from __future__ import annotations

from typing import TypeVar

from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

Row = TypeVar("Row", bound=SQLModel)
T = TypeVar("T")


async def add_row(session: AsyncSession, row: Row) -> Row:
    """Insert `row` in the caller's transaction; it comes back with its id."""
    session.add(row)
    await session.flush()
    return row


async def fetch_one(session: AsyncSession, statement: SelectOfScalar[T]) -> T | None:
    """The first row `statement` selects, or None."""
    return (await session.exec(statement)).first()


async def fetch_all(session: AsyncSession, statement: SelectOfScalar[T]) -> list[T]:
    """Every row `statement` selects, in its order."""
    return list((await session.exec(statement)).all())
