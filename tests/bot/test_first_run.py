"""Deploy and first run, as a new user meets them: URLs, `check`, `--help`, quiet logs."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.app import Runtime
from bot.sandbox import FakeSlack
from bot.settings import SETTINGS_HELP, load_settings
from storage.db import Database
from storage.migrate import migrate, pending_migrations
from tests.conftest import PG_URL
from tests.e2e.harness import eventually

ROOT = Path(__file__).resolve().parents[2]


async def _bot(cwd: Path, env: dict[str, str], *args: str) -> tuple[int, str, str]:
    """`python -m bot …` without blocking the loop (the local Slack answers from it)."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=cwd,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT), **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


@pytest.mark.postgresql
@pytest.mark.parametrize("query", ["sslmode=prefer", "sslmode=disable", "ssl=prefer", "ssl=false"])
async def test_platform_style_ssl_parameters_are_translated_for_asyncpg(query: str) -> None:
    """The local server has ssl=off: `prefer` falls back to plain TCP there, as libpq does."""
    db = Database(f"{PG_URL}?{query}")
    try:
        await migrate(db)
        assert await pending_migrations(db) == []
        assert await db.ping()
    finally:
        await db.dispose()


@pytest.mark.postgresql
async def test_sslmode_require_reaches_the_server_and_fails_in_one_line_without_ssl(
    tmp_path: Path,
) -> None:
    """`require` is passed on to asyncpg as such: against a server without SSL that is a
    clean one-line refusal, not a TypeError about an unknown `sslmode` keyword."""
    url = PG_URL.replace("postgresql+asyncpg://", "postgres://") + "?sslmode=require"
    code, out, err = await _bot(tmp_path, {"DATABASE_URL": url}, "migrate")
    assert code == 1, (out, err)
    assert "the database is not usable" in err and "SSL" in err.upper()
    assert "Traceback" not in err and "sslmode" not in err.lower().replace("sslmode=", "")


async def test_check_fails_without_a_token_and_says_run_would_refuse(tmp_path: Path) -> None:
    code, out, _ = await _bot(tmp_path, {"DATABASE_URL": "sqlite:///./c.db"}, "check")
    assert code != 0
    assert "SLACK_BOT_TOKEN" in out and "would refuse" in out


async def test_check_calls_auth_test_and_says_when_slack_cannot_be_reached(
    tmp_path: Path,
) -> None:
    env = {
        "DATABASE_URL": "sqlite:///./c.db",
        "SLACK_BOT_TOKEN": "xoxb-check",
        "SLACK_SIGNING_SECRET": "check-secret",
    }
    async with FakeSlack() as slack:
        code, out, err = await _bot(tmp_path, {**env, "SLACK_API_URL": slack.api_url}, "check")
        assert len(slack.calls_to("auth.test")) == 1
    assert code == 0, (out, err)
    assert "auth.test ok: workspace Convene Test (T0001)" in out
    code, out, _ = await _bot(
        tmp_path, {**env, "SLACK_API_URL": "http://127.0.0.1:9/api/"}, "check"
    )
    assert code == 1
    assert "cannot reach Slack at http://127.0.0.1:9/api/" in out
    assert "xoxb-check" not in out and "check-secret" not in out


async def test_help_lists_every_command_and_setting_with_a_line_each(tmp_path: Path) -> None:
    code, out, _ = await _bot(tmp_path, {}, "--help")
    assert code == 0
    for command in ("run", "migrate", "check"):
        assert any(line.strip().startswith(f"{command} ") for line in out.splitlines()), out
    for name, text in SETTINGS_HELP:
        assert any(name in line and text in line for line in out.splitlines()), name


async def test_sql_is_logged_only_when_asked_for(tmp_path: Path) -> None:
    env = {"DATABASE_URL": "sqlite:///./c.db", "LOG_LEVEL": "DEBUG"}
    _, out, err = await _bot(tmp_path, env, "migrate")
    assert "CREATE TABLE" not in err and "SELECT" not in err, err[:2000]
    assert "applied" in out
    _, _, err = await _bot(tmp_path, {**env, "LOG_SQL": "1"}, "migrate")
    assert "SELECT" in err


def _settings(tmp_path: Path) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": "xoxb-x",
        "SLACK_SIGNING_SECRET": "s",
        "DATABASE_URL": f"sqlite:///{tmp_path}/first.db",
        "HOST": "127.0.0.1",
        "SCHEDULER_TICK_SECONDS": "0.1",
        "SLACK_API_URL": "http://127.0.0.1:9/api/",
    }


async def test_start_up_has_no_warning_nobody_can_act_on_and_ticks_stay_at_debug(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = _settings(tmp_path)
    # A real environment variable, as on every platform: Bolt reads it itself.
    monkeypatch.setenv("SLACK_BOT_TOKEN", env["SLACK_BOT_TOKEN"])
    caplog.set_level(logging.INFO)
    runtime = Runtime(load_settings({**env, "VOTE_SECRET": "v"}, env_file=None), freeze_gc=False)
    await runtime.start(port=0)
    try:
        await asyncio.sleep(0.6)  # several ticks
        # A stop while a tick is under way waits for it (it used to be cancelled
        # mid-transaction, and its CancelledError logged): the tick queues for the
        # database (SQLite: one turn) behind the turn held here, as the stop begins.
        async with runtime.db.turn():
            await eventually(lambda: runtime.ticking)
            stopping = asyncio.ensure_future(runtime.stop())
            await asyncio.sleep(0.3)
            assert not stopping.done()
            assert runtime.ticking
        await stopping
    finally:
        await runtime.stop()
    messages = [r.getMessage() for r in caplog.records]
    assert not [m for m in messages if "will be unused" in m]
    # "Running job…" and "…executed successfully", twice a tick, are routine: not at INFO,
    # nor the skipped tick when one outlasts the interval (this machine may be loaded).
    routine = [r for r in caplog.records if r.name.startswith("apscheduler")]
    assert not [r for r in routine if r.levelno >= logging.INFO], messages
    assert not [r for r in caplog.records if r.name.startswith("slack_bolt")], messages
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], messages


def test_a_laptop_without_postgresql_gets_one_line_instead_of_a_skip_per_test(
    tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("TEST_DATABASE_URL", "CI")}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-ra",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/storage/test_outbox.py",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-2000:]
    assert "SKIPPED" not in result.stdout and "skipped" not in result.stdout, result.stdout
    assert result.stdout.count("TEST_DATABASE_URL") == 1, result.stdout
