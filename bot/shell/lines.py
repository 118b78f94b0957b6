"""What is typed: `#channel`/`@member` as Slack sends them, clock arguments, line sources."""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

# A name ends with a letter or digit: "thanks @bob." mentions bob.
_MENTION = re.compile(r"(?<![\w<|/])([#@])([A-Za-z0-9](?:[\w.\-]*\w)?)")
_DURATION = re.compile(r"(\d+)\s*([wdhm])")
_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes"}
_NEXT = re.compile(r"next\s+(?:(mon|tue|wed|thu|fri|sat|sun)\w*\s+)?(\d{1,2}):(\d{2})", re.I)
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def slack_text(
    text: str,
    *,
    user_id: Callable[[str], str | None],
    channel_id: Callable[[str], str | None],
) -> str:
    """`#community` → `<#C…|community>`, `@bob` → `<@U…|bob>`; unknown names stay as typed."""

    def swap(match: re.Match[str]) -> str:
        sigil, name = match.group(1), match.group(2)
        if sigil == "@":
            if name in ("channel", "here", "everyone"):
                return f"<!{name}>"
            found = user_id(name)
            return f"<@{found}|{name}>" if found else match.group(0)
        found = channel_id(name)
        return f"<#{found}|{name}>" if found else match.group(0)

    return _MENTION.sub(swap, text)


class ClockError(ValueError):
    pass


def parse_clock(arg: str, *, now: datetime, tz: str) -> datetime:
    """`+3d`, `+2h`, `+1w2d`, `+30m`, `2026-12-24 09:00`, `next 09:00` or `next monday
    09:00` (the first such moment after now), in the reader's time zone."""
    arg = arg.strip()
    found = _NEXT.fullmatch(arg)
    if found is not None:
        return _next_local(found, now=now, tz=ZoneInfo(tz))
    if arg.startswith("+"):
        parts = _DURATION.findall(arg[1:].replace(" ", ""))
        rest = _DURATION.sub("", arg[1:].replace(" ", ""))
        if not parts or rest:
            raise ClockError(f"cannot read {arg!r}: try +30m, +2h, +3d or +1w")
        delta = timedelta()
        for amount, unit in parts:
            delta += timedelta(**{_UNITS[unit]: int(amount)})
        return now + delta
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d"):
        try:
            local = datetime.strptime(arg, fmt)
        except ValueError:
            continue
        return local.replace(tzinfo=ZoneInfo(tz))
    raise ClockError(f"cannot read {arg!r}: try +3d, +2h, next monday 09:00 or 2026-12-24 09:00")


def _next_local(found: re.Match[str], *, now: datetime, tz: ZoneInfo) -> datetime:
    day, hour, minute = found.group(1), int(found.group(2)), int(found.group(3))
    if hour > 23 or minute > 59:
        raise ClockError(f"no such time {found.group(2)}:{found.group(3)}: try next 09:00")
    local = now.astimezone(tz)
    for ahead in range(8):
        moment = (local + timedelta(days=ahead)).replace(
            hour=hour, minute=minute, second=0, microsecond=0
        )
        if moment > local and (day is None or _WEEKDAYS[moment.weekday()] == day.lower()):
            return moment
    raise AssertionError("a weekday recurs within eight days")


@dataclass
class Line:
    number: int
    text: str


@dataclass
class ScriptLines:
    """Lines of a script (or of stdin when it is not a terminal), numbered from 1."""

    lines: Iterable[str]
    interactive: bool = False
    _it: Iterator[tuple[int, str]] = field(init=False)

    def __post_init__(self) -> None:
        self._it = enumerate(self.lines, start=1)

    async def read(self, prompt: str) -> Line | None:
        for number, raw in self._it:
            return Line(number, raw.rstrip("\r\n"))
        return None


@dataclass
class TerminalLines:
    """Lines typed at a terminal (read in a thread, so the bot keeps running)."""

    interactive: bool = True
    number: int = 0

    async def read(self, prompt: str) -> Line | None:
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[str | None] = loop.create_future()

        def settle(text: str | None) -> None:
            if not answer.done():
                answer.set_result(text)

        def wait_for_input() -> None:
            try:
                text: str | None = input(prompt)
            except (EOFError, KeyboardInterrupt):
                text = None
            loop.call_soon_threadsafe(settle, text)

        # A daemon thread: Ctrl-C or quit must not wait for a line nobody will type.
        threading.Thread(target=wait_for_input, name="shell-input", daemon=True).start()
        text = await answer
        if text is None:
            return None
        self.number += 1
        return Line(self.number, text)
