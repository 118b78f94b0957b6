"""Text rules shared by every kind: escaping what people typed, clipping to a limit."""

from __future__ import annotations

from activities.errors import UserError


def escape_mrkdwn(text: str) -> str:
    """Escape ``& < >`` so user text can't form links or pings such as ``<!channel>``."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape_slack(text: str) -> str:
    """Undo Slack's ``&amp; &lt; &gt;`` escaping of characters a person typed."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def truncate(text: str, limit: int) -> str:
    """Cut ``text`` to at most ``limit`` characters, ending in "…" when cut.

    Truncate before escaping, so an entity like ``&amp;`` is never split.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def sent_length(text: str) -> int:
    """How long `text` is once escaped for Slack (& < > grow)."""
    return len(text) + 4 * text.count("&") + 3 * (text.count("<") + text.count(">"))


def check_length(text: str, limit: int, *, what: str, field: str | None = None) -> str:
    """`text` stripped, or a UserError saying the limit when it is longer as sent."""
    text = text.strip()
    length = sent_length(text)
    if length > limit:
        raise UserError(
            f"{what} is {length} characters as Slack counts them; the limit is {limit}.",
            field=field,
        )
    return text
