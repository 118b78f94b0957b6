"""Pure helpers for slash-command text: tokenising, mentions, flags and mrkdwn escaping."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Generic, TypeVar

from activities.errors import UserError
from activities.text import escape_mrkdwn, truncate, unescape_slack

__all__ = [
    "ChannelRef",
    "CommandSyntaxError",
    "UserRef",
    "escape_mrkdwn",
    "parse_channel",
    "parse_user",
    "split_flags",
    "tokenize",
    "truncate",
    "unescape_slack",
]


class CommandSyntaxError(UserError):
    """Slash-command text we can't make sense of.

    The message is user-facing mrkdwn; any user text it echoes is already escaped,
    so post it as is.
    """


@dataclass(frozen=True)
class ChannelRef:
    """A channel named in a command: by id (escaped mention), by name, or both."""

    id: str | None
    name: str | None


@dataclass(frozen=True)
class UserRef:
    """A user named in a command: by id (escaped mention), by name, or both."""

    id: str | None
    name: str | None


# Smart-quote keyboards (macOS, iOS, Slack's own composer) turn " into “ ” and
# sometimes produce a mismatched pair, so any of these opens and any closes.
_DOUBLE_QUOTES = frozenset('"“”„‟«»')
# Single quotes double as apostrophes ("don't", "Ada’s"), so they only quote
# at token boundaries; see tokenize().
_SINGLE_QUOTES = frozenset("'‘’‚‛")
_SLACK_ENTITY = re.compile(r"<(?:[#@!]|https?:|mailto:)[^<>]*>")


MAX_ID = 2**31 - 1  # the database's integer; a larger number names no row


def row_id(token: str) -> int | None:
    """A row's id or number as people type it (`3` or `#3`), or None if it is not one."""
    raw = token.lstrip("#")
    return int(raw) if raw.isdigit() and int(raw) <= MAX_ID else None


def given_id(token: str | bool | None, example: str, what: str) -> int | None:
    """The id an argument or flag gives, None when none is given; refused, naming `what`
    and showing `example`, when it is not one."""
    if token is None or token is True:
        return None
    found = row_id(str(token))
    if found is None:
        raise UserError(f"`{escape_mrkdwn(str(token)[:40])}` isn't a {what}. Example: `{example}`")
    return found


def tokenize(text: str) -> list[str]:
    """Split on whitespace, keeping "quoted phrases" (straight or curly quotes) together.

    Double quotes may open anywhere and must be closed. Single quotes only open at
    the start of a token and only close before whitespace or the end; an unclosed
    one is treated as a literal apostrophe ("the '90s" stays as typed).
    """
    tokens: list[str] = []
    current: list[str] = []
    in_token = False  # distinguishes an empty quoted token "" from no token
    i, n = 0, len(text)
    # Found up front so many stray apostrophes can't make this quadratic.
    closers = [j for j in range(n) if _closes_single(text, j)]
    while i < n:
        char = text[i]
        if char.isspace():
            if in_token:
                tokens.append("".join(current))
                current, in_token = [], False
            i += 1
        elif char == "<" and (entity := _SLACK_ENTITY.match(text, i)):
            # Keep Slack's <#C…|name>, <@U…>, <!here>, <https://…|label> whole.
            current.append(entity[0])
            in_token, i = True, entity.end()
        elif char in _DOUBLE_QUOTES:
            end = next((j for j in range(i + 1, n) if text[j] in _DOUBLE_QUOTES), None)
            if end is None:
                raise CommandSyntaxError(
                    f"There's an unclosed quote in {_snippet(text[i:])}. "
                    'Close it, e.g. /poll "Which event next?" "Book club" Coffee'
                )
            current.append(text[i + 1 : end])
            in_token, i = True, end + 1
        elif char in _SINGLE_QUOTES and not in_token:
            k = bisect_right(closers, i)
            end = closers[k] if k < len(closers) else None
            if end is None:  # an apostrophe, not a quote
                current.append(char)
                in_token, i = True, i + 1
            else:
                current.append(text[i + 1 : end])
                in_token, i = True, end + 1
        else:
            current.append(char)
            in_token, i = True, i + 1
    if in_token:
        tokens.append("".join(current))
    return tokens


def _closes_single(text: str, j: int) -> bool:
    """A single quote closes only before whitespace or the end ("don't" stays whole)."""
    return text[j] in _SINGLE_QUOTES and (j + 1 == len(text) or text[j + 1].isspace())


def _snippet(text: str, limit: int = 40) -> str:
    """User text quoted for an error message: shortened, then escaped so it can't ping."""
    return f"`{escape_mrkdwn(truncate(' '.join(text.split()), limit))}`"


# --------------------------------------------------------------------------- mentions

# Slack ids are upper-case alphanumerics after a type letter; names come after "|".
# An empty name ("<#C0123ABCD|>") is sent for some channels.
_CHANNEL_MENTION = re.compile(r"<#(?P<id>[CG][A-Z0-9]{2,})(?:\|(?P<name>[^>]*))?>")
_USER_MENTION = re.compile(r"<@(?P<id>[UW][A-Z0-9]{2,})(?:\|(?P<name>[^>]*))?>")
_CHANNEL_ID = re.compile(r"[CG][A-Z0-9]{6,}")
_USER_ID = re.compile(r"[UW][A-Z0-9]{6,}")
_PLAIN_NAME = re.compile(r"[^\s<>|#@]+")


_Ref = TypeVar("_Ref", ChannelRef, UserRef)


@dataclass(frozen=True)
class _Mention(Generic[_Ref]):
    """How a channel or a person is named: Slack's escaped mention, a sigil and a plain
    name, or the bare id; and what is said when a word is none of them."""

    ref: type[_Ref]
    escaped: re.Pattern[str]
    sigil: str
    bare_id: re.Pattern[str]
    refusal: str

    def parse(self, token: str) -> _Ref:
        token = token.strip()
        if m := self.escaped.fullmatch(token):
            return self.ref(id=m["id"], name=m["name"] or None)
        if token.startswith(self.sigil) and _PLAIN_NAME.fullmatch(token[1:]):
            return self.ref(id=None, name=token[1:])
        if self.bare_id.fullmatch(token):
            return self.ref(id=token, name=None)
        raise CommandSyntaxError(f"{_snippet(token)} {self.refusal}")


_CHANNEL = _Mention(
    ChannelRef,
    _CHANNEL_MENTION,
    "#",
    _CHANNEL_ID,
    "isn't a channel. Mention one with #, e.g. #book-club",
)
_USER = _Mention(
    UserRef, _USER_MENTION, "@", _USER_ID, "isn't a person. Mention one with @, e.g. @ada"
)


def parse_channel(token: str) -> ChannelRef:
    """Read ``<#C…|name>``, ``<#C…>``, ``#name`` or a bare channel id."""
    return _CHANNEL.parse(token)


def parse_user(token: str) -> UserRef:
    """Read ``<@U…|name>``, ``<@U…>``, ``@name`` or a bare user id."""
    return _USER.parse(token)


# --------------------------------------------------------------------------- flags

# macOS/iOS "smart dashes" turn "--" into an em dash (—) or en dash (–).
_FLAG = re.compile(r"(?:--|[—–])[-—–]*(?P<name>[A-Za-z][\w-]*)(?:=(?P<value>.*))?", re.DOTALL)


def split_flags(
    tokens: list[str], *, flags_with_values: set[str], boolean_flags: set[str]
) -> tuple[list[str], dict[str, str | bool]]:
    """Separate positional tokens from ``--flag value``, ``--flag=value`` and ``--flag``.

    Flag names are given without dashes and matched case-insensitively; the
    result is keyed by those names. A lone ``--`` ends flag parsing.
    """
    valued = {f.lstrip("-").lower() for f in flags_with_values}
    boolean = {f.lstrip("-").lower() for f in boolean_flags}
    positional: list[str] = []
    flags: dict[str, str | bool] = {}
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if token == "--":
            positional.extend(tokens[i:])
            break
        m = _FLAG.fullmatch(token)
        if m is None:
            positional.append(token)
            continue
        name, value = m["name"].lower(), m["value"]
        if name in flags:
            raise CommandSyntaxError(f"`--{name}` is given twice; keep one.")
        if name in boolean:
            if value is not None:
                raise CommandSyntaxError(f"`--{name}` doesn't take a value; write just `--{name}`.")
            flags[name] = True
        elif name in valued:
            if value is None:
                if i == len(tokens) or _FLAG.fullmatch(tokens[i]):
                    raise CommandSyntaxError(
                        f"`--{name}` needs a value, e.g. `--{name} something`."
                    )
                value = tokens[i]
                i += 1
            flags[name] = value
        else:
            known = ", ".join(f"`--{f}`" for f in sorted(valued | boolean))
            hint = f"Known options: {known}." if known else "This command takes no options."
            raise CommandSyntaxError(f"Unknown option `--{name}`. {hint}")
    return positional, flags
