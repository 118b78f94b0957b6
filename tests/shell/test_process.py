"""`python -m bot shell` as a newcomer runs it: no .env, no credentials, no network.

One real process runs the tour; the other entry-point cases call `main` in this process
(the same code path without a second interpreter start-up).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.__main__ import main

ROOT = Path(__file__).resolve().parents[2]
TOUR = ROOT / "examples" / "tour.txt"


def clean_env() -> dict[str, str]:
    """Nothing from the caller's Slack settings, and the project importable."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_"))}
    env["PYTHONPATH"] = str(ROOT)
    return env


@pytest.mark.slow
def test_the_tour_runs_from_start_to_end(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "shell", "--script", str(TOUR)],
        cwd=tmp_path,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    out = done.stdout
    assert "Traceback" not in out + done.stderr and "\x1b[" not in out  # no colour in a pipe
    for seen in [
        "✅ @alice is an organiser until",  # a role assignment
        "You voted for Coffee roulette.",  # three votes…
        "  @alice @bob\n",
        "3 voters",
        "Winner: Coffee roulette",  # …and the close, with its results
        "Coffee round started: 13 people",  # coffee, with its group DMs
        "group DM with @alice",
        "Thanks! Noted: met",  # a check-in click
        "⏸️ Paused until",  # /coffee controls
        "✗ When: Couldn't read",  # a modal with an error corrected
        "Convene → #community\n  Stand-up notes are in the doc 📌",  # fired during clock +7d
        "Coffee pairings: round starts in #community",  # /community calendar
        "🙋 Volunteers wanted: Advent editor",  # a named role's call for volunteers
        "#1 @carol — I edited last year's advent run.",  # volunteers on the admin's Home
        "🗳️ The poll for Advent editor has closed: Carol Diaz 2 · Dan Kowalski 1.",
        "✅ Appointed @carol until",  # appointed from the result's button
        "🎉 Welcome, you're now Advent editor.",  # the welcome DM
        "👏 Credit: @carol · shared by @bob",  # a win, in the wins channel
        "🙏 @bob thanks @carol for pairing on the bot",  # a public thanks
    ]:
        assert seen in out, seen
    assert not list(tmp_path.iterdir())  # nothing left behind: a temporary database


def test_lines_on_stdin_and_a_failed_step_names_its_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO('/poll "Tea?" "Yes" "No"\n/pol\n/poll help\n'))
    assert main(["shell"]) == 1
    out, err = capsys.readouterr()
    assert "📊 Tea?" in out
    assert "convene shell: line 2: the bot has no command /pol" in err
    assert "> /poll help" not in out


def test_a_kept_database_remembers_between_sessions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "keep.db"
    script = tmp_path / "script.txt"
    script.write_text('/poll "Tea?" "Yes" "No"\nclock +2d\n')
    start = ["shell", "--db", str(db), "--script", str(script), "--members", "4"]
    assert main([*start, "--start", "2026-11-30 08:00"]) == 0
    assert "Poll #1" in capsys.readouterr().out
    script.write_text('clock\nhistory 1\nclick Yes\n/poll "Cake?" "Yes" "No"\n')
    assert main(start) == 0
    out = capsys.readouterr().out
    assert "It is Wednesday 2 December 2026, 08:00" in out  # the virtual time goes on
    assert "#community\n  (1) Convene:\n    📊 Tea?" in out  # so do the conversations
    assert "You voted for Yes." in out  # and the poll, in the database, takes the vote
    assert "Poll #2" in out


def test_without_credentials_the_bot_names_the_shell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_CLIENT_ID"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(SystemExit) as exit_:
        main([])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "missing" in err and "python -m bot shell" in err
