"""Shared fixtures: a clean, migrated database per test, on SQLite and (when named) PostgreSQL."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from sqlalchemy import make_url, text

from storage.db import Database
from storage.migrate import migrate


def _own_database(url: str) -> str:
    """Under pytest-xdist each worker gets its own PostgreSQL database (`test_gw0`, …),
    created on first use, so parallel workers never truncate each other's tables.
    Subprocesses the tests start inherit it through the environment."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not url or not worker:
        return url
    base = make_url(url)
    name = f"{base.database}_{worker}"

    async def create() -> None:
        conn = await asyncpg.connect(
            host=base.host,
            port=base.port,
            user=base.username,
            password=base.password,
            database=base.database,
        )
        try:
            exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
            if not exists:
                # Another run's worker of the same name may create it at the same moment.
                with contextlib.suppress(asyncpg.DuplicateDatabaseError):
                    await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    asyncio.run(create())
    own = base.set(database=name).render_as_string(hide_password=False)
    os.environ["TEST_DATABASE_URL"] = own
    return own


PG_URL = _own_database(os.environ.get("TEST_DATABASE_URL", ""))

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

BACKENDS = ["sqlite", "postgresql"]
_PG_DESELECTED = pytest.StashKey[int]()
PG_SUMMARY = "PostgreSQL tests not run: set TEST_DATABASE_URL to run them (CI does)"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "postgresql: needs the PostgreSQL named by TEST_DATABASE_URL"
    )
    config.addinivalue_line(
        "markers", "slow: takes tens of seconds; run first so parallel workers finish together"
    )


def _needs_pg(item: pytest.Item) -> bool:
    callspec = getattr(item, "callspec", None)
    if callspec is not None and callspec.params.get("db_url") == "postgresql":
        return True
    return item.get_closest_marker("postgresql") is not None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On a laptop without PostgreSQL its tests are left out with one line, not a skip each.

    CI sets TEST_DATABASE_URL; there a missing one fails loudly (see `_skip_or_fail_without_pg`).
    """
    # Stable: the slow tests first, everything else in its usual order. Under pytest-xdist
    # a slow test handed out last would leave one worker busy while the other idles.
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
    if PG_URL or IN_CI:
        return
    left_out = [item for item in items if _needs_pg(item)]
    if left_out:
        items[:] = [item for item in items if not _needs_pg(item)]
        config.hook.pytest_deselected(items=left_out)
        config.stash[_PG_DESELECTED] = len(left_out)
        worker_output = getattr(config, "workeroutput", None)
        if worker_output is not None:
            worker_output["pg_left_out"] = len(left_out)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """Under pytest-xdist the workers collect: the controller prints their count once."""
    left_out = getattr(node, "workeroutput", {}).get("pg_left_out", 0)
    config = node.config
    config.stash[_PG_DESELECTED] = max(config.stash.get(_PG_DESELECTED, 0), left_out)


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    left_out = config.stash.get(_PG_DESELECTED, 0)
    if left_out:
        terminalreporter.write_line(f"{left_out} {PG_SUMMARY}")


def _skip_or_fail_without_pg() -> None:
    if PG_URL:
        return
    if IN_CI:
        pytest.fail("CI must set TEST_DATABASE_URL: the PostgreSQL suites may not be skipped there")
    pytest.skip("PostgreSQL suite: set TEST_DATABASE_URL to run it (CI does)")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrate once; each test gets a copy (much faster than migrating per test)."""
    path = tmp_path_factory.mktemp("template") / "template.db"

    async def build() -> None:
        db = Database(f"sqlite+aiosqlite:///{path}")
        await migrate(db)
        await db.dispose()

    asyncio.run(build())
    return path


@pytest.fixture(scope="session")
def pg_migrated() -> Iterator[str]:
    """Migrate the named PostgreSQL database once per test run."""
    if not PG_URL:
        yield ""
        return

    async def build() -> None:
        db = Database(PG_URL)
        async with db.engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
        await migrate(db)
        await db.dispose()

    asyncio.run(build())
    yield PG_URL


async def _truncate_all(url: str) -> None:
    db = Database(url)
    async with db.engine.begin() as conn:
        rows = await conn.execute(
            text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'alembic_version'"
            )
        )
        tables = ", ".join(f'"{r[0]}"' for r in rows)
        if tables:
            await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    await db.dispose()


@pytest.fixture(params=BACKENDS)
async def db_url(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path, pg_migrated: str
) -> AsyncIterator[str]:
    """The URL of an empty, migrated database (SQLite file, or the PostgreSQL test database)."""
    if request.param == "sqlite":
        path = tmp_path / "convene.db"
        shutil.copy(sqlite_template, path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    _skip_or_fail_without_pg()
    await _truncate_all(pg_migrated)
    yield pg_migrated


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[Database]:
    database = Database(db_url)
    yield database
    await database.dispose()
