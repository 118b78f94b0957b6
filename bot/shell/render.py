"""Block Kit as terminal text, generic over block and element types; clickables numbered."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.sandbox.blockkit import options_of
from bot.shell.mrkdwn import Names, render_mrkdwn
from bot.shell.numbering import Numbering, Surface, Target
from bot.shell.style import Style

JsonDict = dict[str, Any]

DIVIDER = "─" * 40
_OPTION_LISTS = frozenset(
    {"overflow", "static_select", "external_select", "radio_buttons", "checkboxes"}
)
_MULTI = frozenset({"multi_static_select", "multi_external_select"})
_PICKERS = {
    "users_select": "a member (@name)",
    "multi_users_select": "a member (@name)",
    "conversations_select": "a channel (#name)",
    "multi_conversations_select": "a channel (#name)",
    "channels_select": "a channel (#name)",
    "multi_channels_select": "a channel (#name)",
    "datepicker": "a date (YYYY-MM-DD)",
    "timepicker": "a time (HH:MM)",
    "datetimepicker": "a date and time (YYYY-MM-DD HH:MM)",
    "plain_text_input": "some text",
    "number_input": "a number",
    "email_text_input": "an email address",
    "url_text_input": "a URL",
}


class Renderer:
    def __init__(self, names: Names, style: Style, numbering: Numbering) -> None:
        self.names = names
        self.style = style
        self.numbering = numbering
        self._context = ""

    # ---------------------------------------------------------------- text objects

    def text(self, obj: Any) -> str:
        if isinstance(obj, str):
            return render_mrkdwn(obj, self.names, self.style)
        if not isinstance(obj, Mapping):
            return ""
        raw = str(obj.get("text", ""))
        return render_mrkdwn(raw, self.names, self.style, markup=obj.get("type") == "mrkdwn")

    def mrkdwn(self, raw: str) -> str:
        return render_mrkdwn(raw, self.names, self.style)

    # ---------------------------------------------------------------- blocks

    def blocks(self, blocks: Sequence[Any], surface: Surface) -> list[str]:
        lines: list[str] = []
        for block in blocks:
            if isinstance(block, Mapping):
                lines.extend(self.block(block, surface))
        return lines

    def block(self, block: Mapping[str, Any], surface: Surface) -> list[str]:
        kind = block.get("type")
        if kind == "divider":
            return [self.style(DIVIDER, "dim")]
        if kind == "header":
            return [self.style(self.text(block.get("text")), "bold", "underline")]
        if kind == "section":
            lines = self.text(block.get("text")).splitlines() if block.get("text") else []
            for f in block.get("fields") or []:
                lines.extend("  " + line for line in self.text(f).splitlines())
            accessory = block.get("accessory")
            if isinstance(accessory, Mapping):
                context = "\n".join(lines)
                lines.extend("  " + line for line in self.element(accessory, surface, context))
            return lines
        if kind == "context":
            parts = [self._context_part(e) for e in block.get("elements") or []]
            return [
                self.style(line, "dim") for line in " · ".join(p for p in parts if p).split("\n")
            ]
        if kind == "actions":
            out: list[str] = []
            for element in block.get("elements") or []:
                if isinstance(element, Mapping):
                    out.extend(self.element(element, surface))
            return self._join(out)
        if kind == "image":
            return [f"[image: {block.get('alt_text', '')}]"]
        if kind == "input":
            label = self.text(block.get("label"))
            element = block.get("element")
            lines = [self.style(label, "bold")]
            if isinstance(element, Mapping):
                lines.extend("  " + line for line in self.element(element, surface))
            return lines
        if kind == "rich_text":
            return self._rich_text(block.get("elements") or []).splitlines()
        return [self.style(f"[{kind} block]", "dim")]

    def _join(self, parts: list[str]) -> list[str]:
        """A row of buttons on one line when it fits, one per line otherwise."""
        joined = "  ".join(parts)
        return [joined] if len(joined) <= 100 else parts

    def _context_part(self, element: Any) -> str:
        if not isinstance(element, Mapping):
            return ""
        if element.get("type") == "image":
            return f"[{element.get('alt_text', 'image')}]"
        return self.text(element)

    def _rich_text(self, elements: Sequence[Any]) -> str:
        out: list[str] = []
        for element in elements:
            if not isinstance(element, Mapping):
                continue
            if element.get("type") == "text":
                out.append(str(element.get("text", "")))
            elif element.get("type") == "user":
                out.append("@" + self.names.user(str(element.get("user_id"))))
            elif element.get("type") == "channel":
                out.append("#" + self.names.channel(str(element.get("channel_id"))))
            elif element.get("type") == "link":
                out.append(str(element.get("text") or element.get("url")))
            elif element.get("type") == "emoji":
                out.append(f":{element.get('name')}:")
            elif "elements" in element:
                out.append(self._rich_text(element["elements"]))
                if element.get("type") in ("rich_text_section", "rich_text_preformatted"):
                    out.append("\n")
        return "".join(out).rstrip("\n")

    # ---------------------------------------------------------------- elements

    def _number(self, surface: Surface, element: Mapping[str, Any], label: str, **kw: Any) -> str:
        n = self.numbering.target(
            Target(
                surface=surface,
                action_id=str(element.get("action_id", "")),
                kind=str(element.get("type")),
                label=label,
                context=self._context,
                **kw,
            )
        )
        return self.style(f"[{n}]", "bold", "cyan")

    def element(self, element: Mapping[str, Any], surface: Surface, context: str = "") -> list[str]:
        self._context = context
        kind = str(element.get("type"))
        if kind == "button":
            label = self.text(element.get("text"))
            tag = self._number(surface, element, label, value=element.get("value"))
            style = {"primary": "green", "danger": "red"}.get(str(element.get("style")), "")
            shown = self.style(label, style) if style else label
            url = f" (opens {element['url']})" if element.get("url") else ""
            return [f"{tag} {shown}{url}"]
        if kind == "image":
            return [f"[image: {element.get('alt_text', '')}]"]
        if kind in _OPTION_LISTS or kind in _MULTI:
            return self._option_list(element, surface)
        if kind in _PICKERS:
            what = self.text(element.get("placeholder")) or _PICKERS[kind]
            tag = self._number(surface, element, what, needs_value=True)
            return [f"{tag} ▾ {what}  (click N <{_PICKERS[kind]}>)"]
        return [self.style(f"[{kind}]", "dim")]

    def _option_list(self, element: Mapping[str, Any], surface: Surface) -> list[str]:
        kind = str(element.get("type"))
        chosen = {
            str(o.get("value"))
            for o in [element.get("initial_option"), *(element.get("initial_options") or [])]
            if isinstance(o, Mapping)
        }
        mark = {"overflow": "⋯", "radio_buttons": "( )", "checkboxes": "[ ]"}.get(kind, "▾")
        on = {"radio_buttons": "(•)", "checkboxes": "[x]"}.get(kind, mark)
        parts: list[str] = []
        placeholder = self.text(element.get("placeholder"))
        if placeholder:
            parts.append(self.style(placeholder + ":", "dim"))
        for option in options_of(element):
            label = self.text(option.get("text"))
            value = str(option.get("value"))
            tag = self._number(surface, element, label, value=value)
            parts.append(f"{tag} {on if value in chosen else mark} {label}")
        if kind == "overflow":
            return ["  ".join(parts)]
        return parts

    # ---------------------------------------------------------------- attachments

    def attachments(self, attachments: Sequence[Any], surface: Surface) -> list[str]:
        lines: list[str] = []
        for att in attachments:
            if not isinstance(att, Mapping):
                continue
            body: list[str] = []
            for key in ("pretext", "title", "text"):
                if att.get(key):
                    body.extend(self.mrkdwn(str(att[key])).splitlines())
            for f in att.get("fields") or []:
                if isinstance(f, Mapping):
                    body.append(f"{f.get('title', '')}: {self.mrkdwn(str(f.get('value', '')))}")
            body.extend(self.blocks(att.get("blocks") or [], surface))
            lines.extend("▌ " + line for line in body)
        return lines
