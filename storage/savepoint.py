"""Let the database enforce uniqueness without spoiling the caller's transaction."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession


async def add_unique(session: AsyncSession, row: SQLModel) -> bool:
    """Insert `row` inside a savepoint; False (and nothing written) if it breaks a unique rule."""
    try:
        async with session.begin_nested():
            session.add(row)
            await session.flush()
    except IntegrityError:
        return False
    return True
