"""Fill a modal at the prompt, field by field, submit it, and ask again for refused fields."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bot.sandbox.blockkit import options_of
from bot.shell.errors import ModalCancelled, ShellError
from bot.shell.lines import Line
from bot.shell.render import Renderer

JsonDict = dict[str, Any]

CANCEL = "/cancel"
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Directory(Protocol):
    def user_id(self, name: str) -> str | None: ...
    def channel_id(self, name: str) -> str | None: ...
    def user_name(self, user_id: str) -> str: ...
    def channel_name(self, channel_id: str) -> str: ...


class FieldError(ValueError):
    pass


def input_blocks(view: Mapping[str, Any]) -> list[JsonDict]:
    return [
        dict(b)
        for b in view.get("blocks") or []
        if isinstance(b, Mapping)
        and b.get("type") == "input"
        and isinstance(b.get("element"), dict)
    ]


def _option_state(kind: str, options: list[JsonDict], multi: bool) -> JsonDict:
    clean = [{k: o[k] for k in ("text", "value") if k in o} for o in options]
    if multi:
        return {"type": kind, "selected_options": clean}
    return {"type": kind, "selected_option": clean[0] if clean else None}


class Field:
    """One input block: how to ask for it and how to turn an answer into Slack's state."""

    def __init__(
        self, block: Mapping[str, Any], render: Renderer, names: Directory, here: str | None
    ) -> None:
        self.block_id = str(block.get("block_id"))
        self.element: JsonDict = dict(block["element"])
        self.action_id = str(self.element.get("action_id"))
        self.kind = str(self.element.get("type"))
        self.label = render.text(block.get("label"))
        self.hint = render.text(block.get("hint")) if block.get("hint") else ""
        self.optional = bool(block.get("optional"))
        self.render = render
        self.names = names
        self.here = here
        self.options = options_of(self.element)

    # ------------------------------------------------------------ what is shown

    def choice_text(self, option: Mapping[str, Any]) -> str:
        return self.render.text(option.get("text"))

    def initial(self) -> str:
        """The initial value as it would be typed (empty when there is none)."""
        e = self.element
        if self.kind in ("static_select", "radio_buttons", "external_select"):
            opt = e.get("initial_option")
            return self.choice_text(opt) if isinstance(opt, Mapping) else ""
        if self.kind in ("multi_static_select", "checkboxes", "multi_external_select"):
            return ", ".join(self.choice_text(o) for o in e.get("initial_options") or [])
        if self.kind in ("conversations_select", "channels_select"):
            cid = e.get("initial_conversation") or e.get("initial_channel")
            if not cid and e.get("default_to_current_conversation") and self.here:
                cid = self.here
            return "#" + self.names.channel_name(str(cid)) if cid else ""
        if self.kind in ("multi_conversations_select", "multi_channels_select"):
            ids = e.get("initial_conversations") or e.get("initial_channels") or []
            return ", ".join("#" + self.names.channel_name(str(c)) for c in ids)
        if self.kind == "users_select":
            uid = e.get("initial_user")
            return "@" + self.names.user_name(str(uid)) if uid else ""
        if self.kind == "multi_users_select":
            return ", ".join(
                "@" + self.names.user_name(str(u)) for u in e.get("initial_users") or []
            )
        for key in ("initial_value", "initial_time", "initial_date"):
            if e.get(key) not in (None, ""):
                return str(e[key])
        if self.kind == "datetimepicker" and e.get("initial_date_time"):
            when = datetime.fromtimestamp(int(e["initial_date_time"]), ZoneInfo("UTC"))
            return f"{when:%Y-%m-%d %H:%M}"
        return ""

    def expects(self) -> str:
        if self.options:
            many = self.kind in ("multi_static_select", "checkboxes", "multi_external_select")
            return "numbers or names, comma-separated" if many else "a number or a name"
        return {
            "conversations_select": "a #channel",
            "channels_select": "a #channel",
            "multi_conversations_select": "#channels, comma-separated",
            "multi_channels_select": "#channels, comma-separated",
            "users_select": "an @member",
            "multi_users_select": "@members, comma-separated",
            "timepicker": "a time, HH:MM",
            "datepicker": "a date, YYYY-MM-DD",
            "datetimepicker": "YYYY-MM-DD HH:MM (UTC)",
            "number_input": "a number",
            "plain_text_input": "text"
            + (r" (\n for a new line)" if self.element.get("multiline") else ""),
        }.get(self.kind, "text")

    def describe(self) -> list[str]:
        """The lines shown before the prompt: label, hint, choices."""
        head = self.label + (" (optional)" if self.optional else "")
        lines = [f"  {head} — {self.expects()}"]
        if self.hint:
            lines.append(f"    {self.hint}")
        if self.options:
            lines.append(
                "    "
                + "   ".join(f"{i}) {self.choice_text(o)}" for i, o in enumerate(self.options, 1))
            )
        return lines

    def prompt(self) -> str:
        initial = self.initial()
        return f"  {self.label}" + (f" [{initial}]" if initial else "") + ": "

    # ------------------------------------------------------------ what is sent

    def _choose(self, token: str) -> JsonDict:
        token = token.strip()
        if token.isdigit() and 1 <= int(token) <= len(self.options):
            return self.options[int(token) - 1]
        for option in self.options:
            if token.lower() in (
                self.choice_text(option).lower(),
                str(option.get("value")).lower(),
            ):
                return option
        raise FieldError(f"no choice {token!r}: type 1–{len(self.options)} or a choice's name")

    def _channel(self, token: str) -> str:
        return _named(token, "#", self.names.channel_id, "channel", "channels")

    def _user(self, token: str) -> str:
        return _named(token, "@", self.names.user_id, "member", "users")

    def state(self, answer: str) -> JsonDict:
        """Slack's `view.state.values` entry for this answer (raises FieldError)."""
        kind = self.kind
        parts = [p for p in (s.strip() for s in answer.split(",")) if p]
        if kind in ("static_select", "radio_buttons", "external_select"):
            return _option_state(kind, [self._choose(answer)], multi=False)
        if kind in ("multi_static_select", "checkboxes", "multi_external_select"):
            chosen = [] if answer.strip() in ("-", "none") else [self._choose(p) for p in parts]
            return _option_state(kind, chosen, multi=True)
        if kind == "conversations_select":
            return {"type": kind, "selected_conversation": self._channel(answer)}
        if kind == "channels_select":
            return {"type": kind, "selected_channel": self._channel(answer)}
        if kind == "multi_conversations_select":
            return {"type": kind, "selected_conversations": [self._channel(p) for p in parts]}
        if kind == "multi_channels_select":
            return {"type": kind, "selected_channels": [self._channel(p) for p in parts]}
        if kind == "users_select":
            return {"type": kind, "selected_user": self._user(answer)}
        if kind == "multi_users_select":
            return {"type": kind, "selected_users": [self._user(p) for p in parts]}
        if kind == "timepicker":
            if not _TIME.match(answer.strip()):
                raise FieldError(f"{answer!r} is not a time: type HH:MM, e.g. 09:30")
            hours, minutes = answer.strip().split(":")
            return {"type": kind, "selected_time": f"{int(hours):02d}:{minutes}"}
        if kind == "datepicker":
            try:
                datetime.strptime(answer.strip(), "%Y-%m-%d")
            except ValueError:
                raise FieldError(f"{answer!r} is not a date: type YYYY-MM-DD") from None
            return {"type": kind, "selected_date": answer.strip()}
        if kind == "datetimepicker":
            try:
                when = datetime.strptime(answer.strip(), "%Y-%m-%d %H:%M")
            except ValueError:
                raise FieldError(f"{answer!r}: type YYYY-MM-DD HH:MM") from None
            return {
                "type": kind,
                "selected_date_time": int(when.replace(tzinfo=ZoneInfo("UTC")).timestamp()),
            }
        if kind == "number_input":
            try:
                float(answer)
            except ValueError:
                raise FieldError(f"{answer!r} is not a number") from None
            return {"type": kind, "value": answer.strip()}
        value = answer.replace("\\n", "\n") if self.element.get("multiline") else answer
        return {"type": kind, "value": value}


Ask = Callable[[str], Awaitable[Line | None]]
Say = Callable[[str], None]


async def ask_field(field: Field, ask: Ask, say: Say) -> JsonDict | None:
    """Ask until the answer is usable; None leaves an optional field empty."""
    for text in field.describe():
        say(text)
    while True:
        line = await ask(field.prompt())
        if line is None:
            raise ShellError(f"the input ended while the modal asked for “{field.label}”")
        answer = line.text.strip()
        if answer == CANCEL:
            raise ModalCancelled()
        if not answer:
            answer = field.initial()
            if not answer:
                if field.optional:
                    return None
                say(f"  ! “{field.label}” is required: type {field.expects()} ({CANCEL} to close)")
                continue
        try:
            return field.state(answer)
        except FieldError as exc:
            say(f"  ! {exc}")


def _named(
    token: str, sigil: str, lookup: Callable[[str], str | None], what: str, listing: str
) -> str:
    """The id of the channel or member typed (`#name`, `@name` or the bare name)."""
    name = token.strip().lstrip(sigil)
    found = lookup(name)
    if found is None:
        raise FieldError(f"no {what} {sigil}{name}: type `{listing}` to see them")
    return found
