from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import DEFAULT_DATABASE_URL, SettingsError, load_settings


def test_defaults_and_lists() -> None:
    s = load_settings(
        {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "ADMIN_USER_IDS": "U1, U2"},
        env_file=None,
    )
    assert s.database_url == DEFAULT_DATABASE_URL and s.port == 3000
    assert s.admin_user_ids == {"U1", "U2"} and not s.socket_mode
    assert "xoxb-1" not in repr(s)


def test_env_file_is_read_and_environment_wins(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("SLACK_BOT_TOKEN=xoxb-file\nSLACK_SIGNING_SECRET=s\nPORT=4000\n")
    s = load_settings({"PORT": "5000"}, env_file=env_file)
    assert (s.slack_bot_token, s.port) == ("xoxb-file", 5000)


def test_every_problem_is_named_at_once() -> None:
    with pytest.raises(SettingsError) as info:
        load_settings({"PORT": "abc", "DEFAULT_TIMEZONE": "Mars/Base"}, env_file=None)
    message = str(info.value)
    for part in ("SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "PORT", "Mars/Base"):
        assert part in message


def test_python_m_bot_exits_2_naming_missing_settings_without_traceback(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "SLACK_BOT_TOKEN": "xoxb-secret-value"}
    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(Path.cwd())},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "SLACK_SIGNING_SECRET" in result.stderr and "README" in result.stderr
    assert "Traceback" not in result.stderr and "xoxb-secret-value" not in result.stderr


@pytest.mark.slow
def test_check_and_migrate_need_only_a_database_and_check_says_run_would_refuse(
    tmp_path: Path,
) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(Path.cwd()),
        "DATABASE_URL": "sqlite:///./c.db",
    }

    def bot(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bot", *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    before = bot("check")
    # No Slack settings: `run` would refuse, so `check` must not pass.
    assert before.returncode == 1, before.stdout
    assert "migration(s) to apply" in before.stdout
    assert "SLACK_BOT_TOKEN" in before.stdout and "would refuse" in before.stdout
    migrated = bot("migrate")
    assert migrated.returncode == 0
    versions = Path(__file__).resolve().parents[2] / "storage" / "migrations" / "versions"
    count = len(list(versions.glob("0*.py")))
    assert f"applied {count} migration(s)" in migrated.stdout, migrated.stdout
    assert "0005_harden: " in migrated.stdout
    again = bot("migrate")
    assert "already up to date; nothing applied" in again.stdout
    after = bot("check")
    assert after.returncode == 1 and "schema up to date" in after.stdout
    env["DATABASE_URL"] = "postgresql://nobody@127.0.0.1:9/none"
    broken = bot("migrate")
    assert broken.returncode == 1 and "database is not usable" in broken.stderr
    assert "Traceback" not in broken.stderr
