"""INSERT in the session's own dialect, for ON CONFLICT upserts (SQLite and PostgreSQL)."""

from __future__ import annotations

import importlib
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession


def insert(session: AsyncSession, table: Any) -> Any:
    """`insert(table)` from sqlalchemy.dialects.<the dialect in use>.

    Only that dialect is imported: PostgreSQL's alone is ~2 MB and ~20 ms of a SQLite
    bot's start.
    """
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    return importlib.import_module(f"sqlalchemy.dialects.{dialect}").insert(table)
