"""Start-up: how long `python -m bot` takes to answer /healthz, and its memory when idle.

Run `python bench/startup.py` from the project root (SQLite in a temporary directory), or
`python bench/startup.py --postgres postgresql+asyncpg://…/db` (that database is emptied);
`--help` lists the options.

Each start is a fresh process, as a deploy starts one, against a database whose schema
is current (migrated beforehand; the cold case, migrations still to run, is shown for
information) and the local fake Slack. The baseline, measured in the same run, is the
interpreter alone: `python -c pass` to exit, and an idle `python` for memory; and the
floor of this stack, a process that imports only the libraries the bot loads at start.
Medians of `--runs` starts.

Bytecode is cached, as in a deploy (installing a package compiles it): the processes
write and read theirs under a temporary PYTHONPYCACHEPREFIX, whatever the calling shell
says about PYTHONDONTWRITEBYTECODE, and the cold start fills it. One start that compiles
every module from source (an empty cache that is not written) is shown for information:
the most a missing cache can cost.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from asyncio.subprocess import PIPE
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from botproc import add_postgres_option, fresh_database  # noqa: E402

from bot.sandbox import FakeSlack  # noqa: E402

TARGET_SECONDS = 0.5
TARGET_MB = 80.0
IDLE_SECONDS = 2.0


def python_env(pycache: Path, *, write: bool = True) -> dict[str, str]:
    """The environment of every process measured: bytecode read from (and written to)
    `pycache` only; with `write=False` and an empty `pycache`, every module is compiled
    from source at each start."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")
    }
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    if not write:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def bot_env(base: dict[str, str], api_url: str, database_url: str, port: int) -> dict[str, str]:
    return {
        **base,
        "VOTE_SECRET": "startup-bench-votes",
        "SLACK_BOT_TOKEN": "xoxb-startup-bench",
        "SLACK_SIGNING_SECRET": "startup-bench-secret",
        "SLACK_API_URL": api_url,
        "DATABASE_URL": database_url,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "LOG_LEVEL": "WARNING",
    }


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used so far (waiting for a core excluded)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def interpreter_baseline(env: dict[str, str]) -> tuple[float, float, float]:
    """(seconds for `python -c pass`, its CPU seconds, MB of an idle interpreter)."""
    before = os.times()
    began = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(sys.executable, "-c", "pass", env=env)
    await proc.wait()
    seconds = time.perf_counter() - began
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    idle = await asyncio.create_subprocess_exec(
        sys.executable, "-c", "import time; time.sleep(30)", env=env
    )
    await asyncio.sleep(0.5)
    mb = rss_mb(idle.pid)
    idle.terminate()
    await idle.wait()
    return seconds, cpu, mb


# What `python -m bot` loads from its dependencies at start (bot/app.py and what it
# imports): the floor any code on this stack starts from.
LIBRARIES = (
    "asyncio",
    "aiohttp.web",
    "sqlalchemy.orm",
    "sqlalchemy.ext.asyncio",
    "sqlmodel.ext.asyncio.session",
    "slack_bolt.async_app",
    "slack_bolt.adapter.aiohttp",
    "slack_sdk.web.async_client",
    "apscheduler.schedulers.asyncio",
    "dotenv",
)
DRIVERS = {
    "SQLite": "sqlalchemy.dialects.sqlite.aiosqlite",
    "PostgreSQL": "sqlalchemy.dialects.postgresql.asyncpg, asyncpg",
}


async def library_floor(env: dict[str, str], driver: str) -> tuple[float, float, float]:
    """(seconds until a process has imported LIBRARIES and the driver, its CPU seconds,
    MB once idle): the bot's dependencies alone, without the bot."""
    imports = ", ".join((*LIBRARIES, driver))
    code = f"import {imports}; print('ready', flush=True); import time; time.sleep(30)"
    began = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(sys.executable, "-c", code, env=env, stdout=PIPE)
    try:
        assert proc.stdout is not None
        if not await proc.stdout.readline():
            raise RuntimeError("the library imports failed")
        seconds = time.perf_counter() - began
        cpu = cpu_seconds(proc.pid)
        await asyncio.sleep(0.5)
        return seconds, cpu, rss_mb(proc.pid)
    finally:
        proc.terminate()
        await proc.wait()


async def start_once(env: dict[str, str], port: int) -> tuple[float, float, float]:
    """(seconds from spawn to the first 200 from /healthz, CPU seconds the bot used by
    then, MB after idling)."""
    url = f"http://127.0.0.1:{port}/healthz"
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=1)) as http:
        began = time.perf_counter()
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=str(ROOT), env=env
        )
        try:
            while True:
                if proc.returncode is not None:
                    raise RuntimeError(f"the bot exited with {proc.returncode}")
                try:
                    async with http.get(url) as response:
                        if response.status == 200:
                            break
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.002)
            seconds = time.perf_counter() - began
            cpu = cpu_seconds(proc.pid)
            await asyncio.sleep(IDLE_SECONDS)
            return seconds, cpu, rss_mb(proc.pid)
        finally:
            proc.terminate()
            await proc.wait()


async def main(args: argparse.Namespace) -> None:
    backend = "PostgreSQL" if args.postgres else "SQLite"
    load = os.getloadavg()  # a shared machine stretches wall-clock times: shown with them
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        cached = python_env(tmp / "pycache")
        async with FakeSlack() as slack:
            # Cold: the schema is created by the start itself, and the bytecode cache
            # filled (information only).
            database_url = await fresh_database(tmp, "startup", args.postgres)
            env = bot_env(cached, slack.api_url, database_url, free_port())
            cold, _, _ = await start_once(env, int(env["PORT"]))
            base = [await interpreter_baseline(cached) for _ in range(args.runs)]
            floor = [await library_floor(cached, DRIVERS[backend]) for _ in range(args.runs)]
            warm = [await start_once(env, int(env["PORT"])) for _ in range(args.runs)]
            no_cache = python_env(tmp / "no-pycache", write=False)
            uncached = bot_env(no_cache, slack.api_url, database_url, int(env["PORT"]))
            compiling, _, _ = await start_once(uncached, int(env["PORT"]))
            check = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "check", cwd=ROOT, env=env, stdout=PIPE, stderr=PIPE
            )
            checked, _ = await check.communicate()
    base_s, base_cpu, base_mb = (statistics.median(x[i] for x in base) for i in range(3))
    warm_s, warm_cpu, warm_mb = (statistics.median(x[i] for x in warm) for i in range(3))
    floor_s, floor_cpu, floor_mb = (statistics.median(x[i] for x in floor) for i in range(3))
    print(
        f"Start-up benchmark: `python -m bot`, {backend}, medians of {args.runs} starts; "
        f"load average {load[0]:.1f} before, {os.getloadavg()[0]:.1f} after, "
        f"on {os.cpu_count()} cores"
    )
    print(f"{'':<46}{'seconds':>9}{'CPU s':>8}{'MB idle':>9}")
    print(
        f"{'baseline: python -c pass / idle python':<46}{base_s:>9.3f}{base_cpu:>8.3f}"
        f"{base_mb:>9.1f}"
    )
    print(
        f"{'floor: the libraries alone, imported':<46}{floor_s:>9.3f}{floor_cpu:>8.3f}"
        f"{floor_mb:>9.1f}"
    )
    print(
        f"{'bot to /healthz, schema current':<46}{warm_s:>9.3f}{warm_cpu:>8.3f}{warm_mb:>9.1f}"
        f"   ({warm_s / base_s:.1f}x the interpreter's start; "
        f"range {min(x[0] for x in warm):.3f}-{max(x[0] for x in warm):.3f} s)"
    )
    print(
        f"{'':<46}{'':>9}{warm_cpu / floor_cpu:>7.2f}x{warm_mb - floor_mb:>+9.1f}"
        "   (the bot against the floor: CPU ratio, MB more)"
    )
    print(f"{'bot to /healthz, migrations to run (once)':<46}{cold:>9.3f}")
    print(f"{'bot to /healthz, compiling every module (once)':<46}{compiling:>9.3f}")
    print(f"`python -m bot check` after the runs: {checked.decode().strip().splitlines()[-1]}")
    print("Targets:")
    for label, ok, detail in (
        (f"/healthz under {TARGET_SECONDS} s, schema current", warm_s < TARGET_SECONDS, warm_s),
        (f"under {TARGET_MB:.0f} MB idle", warm_mb < TARGET_MB, warm_mb),
    ):  # CPU s is shown because a shared machine stretches the wall-clock time
        print(f"  {label:<40} {'met' if ok else 'NOT MET':<8} {detail:.3f}")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Time from `python -m bot` to /healthz and idle memory, against the bare "
        "interpreter measured in the same run."
    )
    parser.add_argument("--runs", type=int, default=5, help="starts to take the median of (5)")
    add_postgres_option(parser)
    return parser.parse_args(argv)


if __name__ == "__main__":
    asyncio.run(main(parse_args(sys.argv[1:])))
