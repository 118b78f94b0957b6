"""Migrations on start: the cheap "is the schema current?" check and when Alembic loads."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory

from storage.db import Database
from storage.migrate import alembic_config, applied_revisions, head_revisions, pending_migrations

ROOT = Path(__file__).resolve().parents[2]

# Migrate the database named on the command line; print whether Alembic was imported.
MIGRATE_AND_REPORT = """
import asyncio, sys
from storage.db import Database
from storage.migrate import migrate

async def main() -> None:
    db = Database(sys.argv[1])
    await migrate(db)
    await db.dispose()

asyncio.run(main())
print("alembic loaded" if "alembic" in sys.modules else "alembic not loaded")
"""


def test_the_heads_read_from_the_files_are_alembics() -> None:
    script = ScriptDirectory.from_config(alembic_config(""))
    assert head_revisions() == frozenset(script.get_heads())


async def test_a_migrated_database_is_at_the_heads(db: Database) -> None:
    assert await applied_revisions(db) == head_revisions()
    assert await pending_migrations(db) == []


def _migrate_in_a_fresh_process(url: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", MIGRATE_AND_REPORT, url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


async def test_alembic_loads_only_when_a_migration_must_run(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
    db = Database(url)
    try:
        assert await applied_revisions(db) == frozenset()
        assert _migrate_in_a_fresh_process(url) == "alembic loaded"
        assert await applied_revisions(db) == head_revisions()
        assert _migrate_in_a_fresh_process(url) == "alembic not loaded"
    finally:
        await db.dispose()
