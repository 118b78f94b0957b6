"""Slack mrkdwn as terminal text: mentions as @names, dates in the reader's zone, emphasis."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.shell.style import Style

_ANGLE = re.compile(r"<([^<>]+)>")
_DATE_TOKEN = re.compile(r"\{(\w+)\}")
_EMPHASIS = (
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"), "bold"),
    (re.compile(r"(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])"), "italic"),
    (re.compile(r"(?<![\w~])~(?=\S)([^~\n]+?)(?<=\S)~(?![\w~])"), "strike"),
)
_CODE = re.compile(r"`([^`\n]+)`")
_EMOJI_CODE = re.compile(r":([a-z0-9_+\-]+):")
# The shortcodes Slack shows as pictures that the bot and people use most; others stay
# as typed, which is how Slack shows an unknown one too.
EMOJI = {
    "bar_chart": "📊",
    "tada": "🎉",
    "coffee": "☕",
    "white_check_mark": "✅",
    "x": "❌",
    "wave": "👋",
    "calendar": "📅",
    "spiral_calendar_pad": "🗓️",
    "clock3": "🕒",
    "speech_balloon": "💬",
    "croissant": "🥐",
    "pushpin": "📌",
    "mega": "📣",
    "loudspeaker": "📢",
    "bell": "🔔",
    "warning": "⚠️",
    "information_source": "ℹ️",
    "thumbsup": "👍",
    "+1": "👍",
    "heart": "❤️",
    "eyes": "👀",
    "rocket": "🚀",
    "sparkles": "✨",
    "books": "📚",
    "star": "⭐",
    "trophy": "🏆",
    "lock": "🔒",
    "hourglass": "⌛",
    "wastebasket": "🗑️",
    "hourglass_flowing_sand": "⏳",
    "pause_button": "⏸️",
    "arrow_forward": "▶️",
}


def emoji(text: str) -> str:
    return _EMOJI_CODE.sub(lambda m: EMOJI.get(m.group(1), m.group(0)), text)


class Names:
    """How ids read: users as @name, channels as #name (the workspace answers)."""

    def __init__(
        self,
        user: Callable[[str], str],
        channel: Callable[[str], str],
        tz: Callable[[], str],
        now: Callable[[], datetime],
    ) -> None:
        self.user = user
        self.channel = channel
        self.tz = tz
        self.now = now


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _pretty(day: date, today: date, fallback: str) -> str:
    delta = (day - today).days
    return {0: "today", 1: "tomorrow", -1: "yesterday"}.get(delta, fallback)


def format_date(epoch: int, template: str, names: Names) -> str:
    """Slack's `<!date^epoch^template|fallback>` tokens, in the reader's time zone."""
    zone = ZoneInfo(names.tz())
    when = datetime.fromtimestamp(epoch, UTC).astimezone(zone)
    today = names.now().astimezone(zone).date()
    day = when.date()
    long_ = f"{when:%A}, {when:%B} {_ordinal(when.day)}, {when.year}"
    plain = f"{when:%B} {_ordinal(when.day)}, {when.year}"
    short = f"{when:%b} {when.day}, {when.year}"
    hour = when.hour % 12 or 12
    ampm = "AM" if when.hour < 12 else "PM"
    tokens = {
        "date_num": f"{when:%Y-%m-%d}",
        "date": plain,
        "date_short": short,
        "date_long": long_,
        "date_pretty": _pretty(day, today, plain),
        "date_short_pretty": _pretty(day, today, short),
        "date_long_pretty": _pretty(day, today, long_),
        "time": f"{hour}:{when:%M} {ampm}",
        "time_secs": f"{hour}:{when:%M:%S} {ampm}",
        "day_divider_pretty": _pretty(day, today, long_),
    }

    def token(match: re.Match[str]) -> str:
        return tokens.get(match.group(1), match.group(0))

    return _DATE_TOKEN.sub(token, template)


def _angle(inner: str, names: Names) -> str:
    head, _, label = inner.partition("|")
    if head.startswith("@"):
        return "@" + (label or names.user(head[1:]))
    if head.startswith("#"):
        return "#" + (label or names.channel(head[1:]))
    if head.startswith("!date^"):
        parts = head.split("^")
        try:
            return format_date(int(parts[1]), parts[2] if len(parts) > 2 else "{date}", names)
        except (ValueError, IndexError):
            return label or head
    if head.startswith("!subteam^"):
        return "@" + (label or head.split("^", 1)[1])
    if head.startswith("!"):
        return "@" + head[1:]
    if label:
        return f"{label} ({head})"
    return head


def render_mrkdwn(text: str, names: Names, style: Style, *, markup: bool = True) -> str:
    """`markup=False` for plain_text: only entities are decoded."""
    if not markup:
        return emoji(html.unescape(text))
    out = _ANGLE.sub(lambda m: _angle(m.group(1), names), text)
    out = out.replace("```", "")  # a preformatted block reads fine as its lines
    out = _CODE.sub(lambda m: style(m.group(1), "cyan") if style.colour else m.group(0), out)
    for pattern, name in _EMPHASIS:
        out = pattern.sub(lambda m, n=name: style(m.group(1), n), out)  # type: ignore[misc]
    out = re.sub(r"^&gt; ?", "│ ", out, flags=re.MULTILINE)
    return emoji(html.unescape(out))
