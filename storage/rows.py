"""Adding and reading rows: the one insert and the reads every query module shares."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import ColumnElement, FromClause, func
from sqlmodel import SQLModel, select
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


async def count_rows(
    session: AsyncSession, table: type[SQLModel] | FromClause, *where: ColumnElement[bool] | bool
) -> int:
    """How many rows of `table` match every one of `where`."""
    return int((await session.exec(select(func.count()).select_from(table).where(*where))).one())
