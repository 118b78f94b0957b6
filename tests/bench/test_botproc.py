"""The benchmarks' bot process: stopping it."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

import pytest

# The benchmarks are scripts that import their shared module from their own folder
# (appended, so it shadows nothing).
sys.path.append(str(Path(__file__).resolve().parents[2] / "bench"))
from botproc import stop_bot

# A process that ignores SIGTERM, and says so once it does.
STUBBORN = (
    "import signal, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN);"
    " print('ready', flush=True); time.sleep(60)"
)


async def test_a_bot_that_ignores_sigterm_is_killed_and_the_case_fails() -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", STUBBORN, stdout=asyncio.subprocess.PIPE
    )
    assert proc.stdout is not None
    assert await proc.stdout.readline() == b"ready\n"
    with pytest.raises(RuntimeError, match="did not stop"):
        await stop_bot(proc, seconds=0.2)
    assert proc.returncode == -signal.SIGKILL


async def test_a_bot_that_stops_on_sigterm_just_stops() -> None:
    proc = await asyncio.create_subprocess_exec(sys.executable, "-c", "import time; time.sleep(60)")
    await stop_bot(proc, seconds=10)
    assert proc.returncode == -signal.SIGTERM
