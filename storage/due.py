"""The earliest future value of a dated column: how periodic work says when it next acts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession


async def earliest_after(
    session: AsyncSession, *, column: Any, where: Iterable[Any] = (), after: datetime
) -> datetime | None:
    """min(column) over the rows matching `where` whose value is later than `after`."""
    found = await session.exec(select(func.min(col(column))).where(col(column) > after, *where))
    value: datetime | None = found.one()
    return value
