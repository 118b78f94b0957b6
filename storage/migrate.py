"""Apply Alembic migrations from code (`python -m bot migrate`, and on start)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
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
    command.upgrade(config, "head")


def _pending(connection: Connection) -> list[str]:
    script = ScriptDirectory.from_config(alembic_config(""))
    heads = MigrationContext.configure(connection).get_current_heads()
    applied = {r.revision for head in heads for r in script.iterate_revisions(head, "base")}
    return [r.revision for r in script.walk_revisions() if r.revision not in applied]


async def pending_migrations(database: Database) -> list[str]:
    """Revisions not yet applied (empty when the schema is current). Raises if unreachable."""
    async with database.engine.connect() as connection:
        return await connection.run_sync(_pending)


def _upgrade_reporting(connection: Connection, url: str) -> list[str]:
    pending = _pending(connection)
    _upgrade(connection, url)
    return list(reversed(pending))


def describe(revisions: list[str]) -> list[str]:
    """One line per revision: its id and the first line of its docstring."""
    script = ScriptDirectory.from_config(alembic_config(""))
    lines = []
    for revision in revisions:
        found = script.get_revision(revision)
        doc = (found.doc or "").strip().splitlines()[0] if found is not None and found.doc else ""
        lines.append(f"{revision}: {doc}" if doc else revision)
    return lines


async def migrate(database: Database) -> list[str]:
    """Bring the schema to the newest revision, in the caller's event loop.

    Returns the revisions it applied, oldest first (empty when it was up to date). It uses
    its own connection without the statement time limit: altering a big table may take
    longer than any request should.
    """
    migrator = Database(database.url, statement_timeout=None)
    try:
        async with migrator.engine.begin() as connection:
            return await connection.run_sync(_upgrade_reporting, database.url)
    finally:
        await migrator.dispose()
