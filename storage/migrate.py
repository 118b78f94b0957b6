"""Apply Alembic migrations from code (`python -m bot migrate`, and on start)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection

from storage.db import Database

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _upgrade(connection: Connection, url: str) -> None:
    config = alembic_config(url)
    config.attributes["connection"] = connection
    command.upgrade(config, "heads")


async def migrate(database: Database) -> None:
    """Bring the schema to the newest revision, in the caller's event loop."""
    async with database.engine.begin() as connection:
        await connection.run_sync(_upgrade, database.url)
