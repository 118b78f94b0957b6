"""Alembic environment: async engine, batch mode so SQLite can alter tables."""

from __future__ import annotations

import asyncio
from typing import Any

from alembic import context
from sqlalchemy.engine import Connection

from storage.db import Database
from storage.tables import METADATA

config = context.config
target_metadata = METADATA


def _configure(connection: Connection | None = None, **kwargs: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        **kwargs,
    )


def run_offline() -> None:
    _configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def _run_sync(connection: Connection) -> None:
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()


async def run_online() -> None:
    database = Database(config.get_main_option("sqlalchemy.url") or "")
    try:
        async with database.engine.connect() as connection:
            await connection.run_sync(_run_sync)
            await connection.commit()
    finally:
        await database.dispose()


if context.is_offline_mode():
    run_offline()
else:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_sync(connection)
    else:
        asyncio.run(run_online())
