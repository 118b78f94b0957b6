"""Apply Alembic migrations from code (`python -m bot migrate`, and on start).

Alembic (with Mako, Pygments and tomllib behind it) is imported only when a migration
must run: a start against a current schema compares the alembic_version row with the
head revisions read from the migration files themselves, which saves ~90 ms and several
MB at every start. tests/storage/test_migrate.py keeps that reading honest against
Alembic's own.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from storage.db import Database

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
_REVISION = re.compile(r"^revision\b[^=\n]*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision\b[^=\n]*=(.*)$", re.MULTILINE)
_QUOTED = re.compile(r"['\"]([^'\"]+)['\"]")


def head_revisions() -> frozenset[str]:
    """The head revision ids, from the `revision =` and `down_revision =` lines of the
    files in migrations/versions: every revision that no other one revises."""
    revisions: set[str] = set()
    revised: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        revision = _REVISION.search(source)
        if revision is None:
            continue
        revisions.add(revision.group(1))
        down = _DOWN_REVISION.search(source)
        if down is not None:
            revised.update(_QUOTED.findall(down.group(1)))
    return frozenset(revisions - revised)


async def applied_revisions(database: Database) -> frozenset[str]:
    """The revisions in alembic_version (empty when there is no such table yet)."""
    async with database.engine.connect() as connection:
        try:
            result = await connection.execute(text("SELECT version_num FROM alembic_version"))
        except DBAPIError:
            # No table yet (or no database): the full path below finds out which.
            return frozenset()
        return frozenset(str(row[0]) for row in result)


def alembic_config(url: str) -> Config:
    from alembic.config import Config  # only when a migration must run (see above)

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _upgrade(connection: Connection, url: str) -> None:
    from alembic import command

    config = alembic_config(url)
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def _pending(connection: Connection) -> list[str]:
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(""))
    heads = MigrationContext.configure(connection).get_current_heads()
    applied = {r.revision for head in heads for r in script.iterate_revisions(head, "base")}
    return [r.revision for r in script.walk_revisions() if r.revision not in applied]


async def pending_migrations(database: Database) -> list[str]:
    """Revisions not yet applied (empty when the schema is current). Raises if unreachable."""
    if await applied_revisions(database) == head_revisions():
        return []
    async with database.engine.connect() as connection:
        return await connection.run_sync(_pending)


def _upgrade_reporting(connection: Connection, url: str) -> list[str]:
    pending = _pending(connection)
    _upgrade(connection, url)
    return list(reversed(pending))


def describe(revisions: list[str]) -> list[str]:
    """One line per revision: its id and the first line of its docstring."""
    from alembic.script import ScriptDirectory  # only when a migration ran (see above)

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
    if await applied_revisions(database) == head_revisions():
        return []
    migrator = Database(database.url, statement_timeout=None)
    try:
        async with migrator.engine.begin() as connection:
            return await connection.run_sync(_upgrade_reporting, database.url)
    finally:
        await migrator.dispose()
