"""What the benchmarks that drive the bot over HTTP share: a fresh database, the bot in
its own process, a fake Slack that times the replies to response URLs, percentiles."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import sys
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Iterable
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs

from aiohttp import web
from sqlalchemy import text

from bot.sandbox import FakeSlack
from storage.db import Database


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


class TimedSlack(FakeSlack):
    """The fake Slack, noting when (on `clock`) each response URL was answered, and what."""

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        super().__init__()
        self.clock = clock
        self.replied: dict[str, tuple[float, str]] = {}
        self.reply_came = asyncio.Event()

    async def _handle_response_url(self, request: web.Request) -> web.Response:
        response = await super()._handle_response_url(request)
        text_said = str(self.calls[-1].args.get("text", "")) if self.calls else ""
        self.replied[request.match_info["rid"]] = (self.clock(), text_said)
        self.reply_came.set()
        return response

    async def wait_replies(self, rids: list[str]) -> None:
        """Until every one of ``rids`` was answered."""
        while not all(r in self.replied for r in rids):
            self.reply_came.clear()
            await self.reply_came.wait()


def print_targets(checks: Iterable[tuple[str, bool, str]], width: int) -> None:
    """The benchmark's verdict: each target (label padded to `width`), met or not, and why."""
    print("Targets:")
    for label, ok, detail in checks:
        print(f"  {label:<{width}} {'met' if ok else 'NOT MET':<8} {detail}")


def response_rid(body: str) -> str:
    """The id of the response URL in a click's form body (the key of `replied`)."""
    payload = json.loads(parse_qs(body)["payload"][0])
    return str(payload["response_url"]).rsplit("/", 1)[1]


async def fresh_database(tmp: Path, name: str, postgres_url: str | None) -> str:
    """A SQLite file in `tmp`, or the named PostgreSQL database emptied for this run."""
    if postgres_url is None:
        path = tmp / f"{name}.db"
        path.unlink(missing_ok=True)
        return f"sqlite+aiosqlite:///{path}"
    db = Database(postgres_url)
    async with db.engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await db.dispose()
    return postgres_url


def add_postgres_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--postgres",
        metavar="URL",
        default=None,
        help="PostgreSQL instead of SQLite, e.g. postgresql+asyncpg://user@host/db "
        "(that database is emptied)",
    )


def add_bot_options(parser: argparse.ArgumentParser) -> None:
    """--postgres, and the hidden --serve PORT_FILE under which the script is the bot's
    own process (`bot_process` starts it so)."""
    add_postgres_option(parser)
    parser.add_argument("--serve", metavar="PORT_FILE", help=argparse.SUPPRESS)


Script = Callable[[argparse.Namespace], Coroutine[Any, Any, None]]


def serve_or_run(args: argparse.Namespace, *, serve: Script, run: Script) -> None:
    """A script that drives the bot: the bot's process under --serve, else the benchmark."""
    asyncio.run(serve(args) if args.serve else run(args))


def bot_env(
    token: str, secret: str, api_url: str, database_url: str, **more: str
) -> dict[str, str]:
    """The bot process's environment: the fake Slack at `api_url`, UTC, errors-only logs."""
    return {
        "SLACK_BOT_TOKEN": token,
        "SLACK_SIGNING_SECRET": secret,
        "SLACK_API_URL": api_url,
        "DATABASE_URL": database_url,
        "DEFAULT_TIMEZONE": "UTC",
        "HOST": "127.0.0.1",
        "PORT": "3000",  # unused: the bot listens on a free port
        "LOG_LEVEL": "ERROR",
        **more,
    }


class Served(Protocol):
    """The bot's `Runtime`, as `serving` uses it."""

    port: int | None

    async def start(self, *, host: str | None = None, port: int | None = None) -> None: ...

    async def stop(self) -> None: ...


@contextlib.asynccontextmanager
async def serving(runtime: Served, port_file: str) -> AsyncIterator[asyncio.Event]:
    """`runtime` on a free loopback port, written to `port_file` for `start_bot`; SIGTERM
    sets the event it yields, and the runtime stops on leaving."""
    await runtime.start(host="127.0.0.1", port=0)
    await asyncio.to_thread(Path(port_file).write_text, str(runtime.port))
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    try:
        yield stop
    finally:
        await runtime.stop()


def _written_port(port_file: Path) -> int | None:
    """The port the bot wrote, once it has (a few bytes, read between two short sleeps)."""
    written = port_file.read_text() if port_file.exists() else ""
    return int(written) if written else None


async def start_bot(
    script: Path, port_file: Path, serve_args: list[str], env: dict[str, str]
) -> tuple[Any, int]:
    """`script --serve port_file …` in its own process; returns it and the port it wrote."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(script),
        "--serve",
        str(port_file),
        *serve_args,
        env={**os.environ, **env},
    )
    for _ in range(600):
        if proc.returncode is not None:
            break
        port = _written_port(port_file)
        if port is not None:
            return proc, port
        await asyncio.sleep(0.05)
    if proc.returncode is None:
        proc.terminate()
    raise RuntimeError("the bot did not start")


@contextlib.asynccontextmanager
async def bot_process(
    script: Path, port_file: Path, serve_args: list[str], env: dict[str, str]
) -> AsyncIterator[tuple[Any, int]]:
    """The bot started by `start_bot` (its process and port), stopped on leaving: SIGTERM,
    and up to `STOP_SECONDS` for it to end (it writes its profile then). One still running
    after that is killed and the case fails, so the next case is not measured against it."""
    proc, port = await start_bot(script, port_file, serve_args, env)
    try:
        yield proc, port
    finally:
        await stop_bot(proc)


STOP_SECONDS = 30.0


async def stop_bot(proc: Any, seconds: float = STOP_SECONDS) -> None:
    """SIGTERM, then wait `seconds` for the bot to end; kill it and raise if it did not."""
    if proc.returncode is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        await asyncio.wait_for(proc.wait(), seconds)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise RuntimeError(f"the bot did not stop {seconds:g} s after SIGTERM; killed it") from None
