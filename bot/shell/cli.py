"""`python -m bot shell [--script FILE] [--db PATH] [--members N] [--start WHEN]`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
import tempfile
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.logs import setup_logging
from bot.shell.engine import Engine, EngineOptions
from bot.shell.lines import ScriptLines, TerminalLines
from bot.shell.shell import LineSource, Shell


def _when(text: str) -> datetime:
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"cannot read {text!r}: try 2026-11-30 08:00 (UTC)")


def _members(text: str) -> int:
    n = int(text)
    if not 2 <= n <= 500:
        raise argparse.ArgumentTypeError("between 2 and 500 members")
    return n


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="convene shell",
        description="Try Convene in a local Slack workspace, in this terminal: "
        "no Slack, no credentials, no network.",
    )
    p.add_argument("--script", type=Path, help="run the lines of FILE, print the transcript")
    p.add_argument(
        "--db",
        type=Path,
        help="keep the bot's SQLite database here (and the workspace next to it) between sessions",
    )
    p.add_argument("--members", type=_members, default=12, help="members to seed (default 12)")
    p.add_argument("--start", type=_when, help="the virtual time to start at, UTC (default now)")
    return p


def _session_file(db: Path) -> Path:
    """Next to a kept database: the virtual time and the workspace's conversations."""
    return db.with_name(db.name + ".shell.json")


def _kept_session(args: argparse.Namespace) -> dict[str, Any]:
    if args.db is None or not _session_file(args.db).exists():
        return {}
    kept = json.loads(_session_file(args.db).read_text(encoding="utf-8"))
    return kept if isinstance(kept, dict) else {}


def _start_time(args: argparse.Namespace, kept: dict[str, Any]) -> datetime:
    if args.start is not None:
        return args.start  # type: ignore[no-any-return]
    if kept.get("now"):
        # The kept database's schedules are ahead of the real time: go on from there.
        return datetime.fromisoformat(str(kept["now"]))
    return datetime.now(UTC).replace(second=0, microsecond=0)


def _keep_session(db: Path, shell: Shell) -> None:
    kept = {"now": shell.engine.clock.now().isoformat(), "workspace": shell.slack.snapshot()}
    _session_file(db).write_text(json.dumps(kept), encoding="utf-8")


async def run_session(
    options: EngineOptions,
    source: LineSource,
    write: Callable[[str], None],
    *,
    colour: bool,
    stop_on_error: bool,
) -> tuple[int, Shell | None]:
    engine = Engine(options)
    await engine.start()
    try:
        shell = Shell(engine, source, write, colour=colour, stop_on_error=stop_on_error)
        status = await shell.run()
        return status, shell
    finally:
        await engine.stop()


def quiet_logging() -> None:
    """The bot's warnings and tracebacks, as it logs them, on stderr; not its chatter."""
    setup_logging("WARNING")


def _write(text: str) -> None:
    sys.stdout.write(text)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    quiet_logging()
    lines: Iterable[str]
    source: LineSource
    if args.script is not None:
        try:
            lines = args.script.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            sys.stderr.write(f"convene shell: cannot read {args.script}: {exc.strerror}\n")
            return 2
        source = ScriptLines(lines)
    elif not sys.stdin.isatty():
        source = ScriptLines(sys.stdin)
    else:
        source = TerminalLines()
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401  (line editing and history for input())
    with tempfile.TemporaryDirectory(prefix="convene-shell-") as tmp:
        database = args.db if args.db is not None else Path(tmp) / "convene.db"
        kept = _kept_session(args)
        options = EngineOptions(
            database_path=database.resolve(),
            start=_start_time(args, kept),
            members=args.members,
            workspace=kept.get("workspace"),
        )
        try:
            status, shell = asyncio.run(
                run_session(
                    options,
                    source,
                    _write,
                    colour=sys.stdout.isatty(),
                    stop_on_error=not source.interactive,
                )
            )
        except KeyboardInterrupt:
            sys.stdout.write("\n")
            return 130
        if args.db is not None and shell is not None:
            _keep_session(args.db, shell)
    if shell is not None and shell.failed_line is not None:
        sys.stderr.write(f"convene shell: line {shell.failed_line}: {shell.failed_message}\n")
    sys.stdout.flush()
    return status
