"""The benchmarks explain themselves: `--help` lists their options instead of running."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.mark.parametrize(
    ("script", "options"),
    [
        ("polls.py", ["--voters", "--concurrency", "--rate", "--postgres"]),
        ("startup.py", ["--runs", "--postgres"]),
        ("report.py", ["--members", "--runs", "--postgres"]),
        (
            "fanout.py",
            ["--groups", "--polls", "--every", "--after", "--close", "--scale", "--postgres"],
        ),
    ],
)
def test_help_lists_the_options_and_runs_nothing(script: str, options: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH / script), "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.startswith("usage:")
    assert all(option in done.stdout for option in options)
    assert "benchmark:" not in done.stdout  # it printed its help, not a run's figures
