"""Run the shell in-process on a script; the transcript is what the tests read."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.shell.cli import run_session
from bot.shell.engine import EngineOptions
from bot.shell.lines import ScriptLines
from bot.shell.shell import Shell

START = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # a Monday morning


@dataclass
class Transcript:
    status: int
    text: str
    shell: Shell

    def after(self, fragment: str) -> str:
        """The transcript from the last line holding `fragment` (a command's own output)."""
        at = self.text.rindex(fragment)
        return self.text[at:]


RunShell = Callable[..., Awaitable[Transcript]]


@pytest.fixture
def run_shell(tmp_path: Path, sqlite_template: Path) -> RunShell:
    """`await run_shell(lines)`: a fresh workspace and database each time.

    `lines` may be a generator reading `out` (the transcript so far), to click a number
    it has just seen printed.
    """

    numbers = itertools.count(1)

    async def run(
        lines: Iterable[str],
        *,
        out: list[str] | None = None,
        stop_on_error: bool = True,
        interactive: bool = False,
        members: int = 12,
    ) -> Transcript:
        database = tmp_path / f"shell-{next(numbers)}.db"
        shutil.copy(sqlite_template, database)  # already migrated: faster than migrating
        written = out if out is not None else []
        source = ScriptLines(lines, interactive=interactive)
        status, shell = await run_session(
            EngineOptions(database_path=database, start=START, members=members),
            source,
            written.append,
            colour=False,
            stop_on_error=stop_on_error,
        )
        assert shell is not None
        return Transcript(status, "".join(written), shell)

    return run
