"""Small Block Kit builders shared by every surface."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

Block = dict[str, Any]

SECTION_LIMIT = 3000


_ENTITY_TAIL = re.compile(r"&[a-z]{0,4}$|<[^>]*$")


def clip(text: str, limit: int = SECTION_LIMIT) -> str:
    """Fit Slack's limit without cutting through an entity (`&amp;`) or a `<@U…>` link."""
    if len(text) <= limit:
        return text
    cut = _ENTITY_TAIL.sub("", text[: limit - 1])
    return cut + "…"


def section(text: str, *, accessory: Block | None = None, block_id: str | None = None) -> Block:
    block: Block = {"type": "section", "text": {"type": "mrkdwn", "text": clip(text)}}
    if accessory is not None:
        block["accessory"] = accessory
    if block_id is not None:
        block["block_id"] = block_id
    return block


def sections(text: str, limit: int = SECTION_LIMIT) -> list[Block]:
    """Long text as several sections, split between lines, so none is clipped."""
    blocks: list[Block] = []
    chunk = ""
    for line in text.split("\n"):
        if chunk and len(chunk) + 1 + len(line) > limit:
            blocks.append(section(chunk))
            chunk = line
        else:
            chunk = f"{chunk}\n{line}" if chunk else line
    return [*blocks, section(chunk)]


def header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": clip(text, 150)}}


def context(*texts: str) -> Block:
    return {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": clip(t)} for t in texts[:10]],
    }


def divider() -> Block:
    return {"type": "divider"}


def button(text: str, action_id: str, value: str = "", *, style: str | None = None) -> Block:
    element: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": clip(text, 75), "emoji": True},
        "action_id": action_id,
    }
    if value:
        element["value"] = value
    if style in ("primary", "danger"):
        element["style"] = style
    return element


def actions(*elements: Block, block_id: str | None = None) -> Block:
    block: Block = {"type": "actions", "elements": list(elements[:25])}
    if block_id is not None:
        block["block_id"] = block_id
    return block


def slack_date(when: datetime, token: str = "{date_short_pretty} at {time}") -> str:
    """Slack renders this in each reader's own time zone; the fallback is UTC."""
    unix = int(when.timestamp())
    fallback = when.strftime("%a %d %b %Y %H:%M UTC")
    return f"<!date^{unix}^{token}|{fallback}>"


def plain_option(text: str, value: str) -> Block:
    return {"text": {"type": "plain_text", "text": clip(text, 75)}, "value": value}


def message_link(channel_id: str, ts: str) -> str:
    """A link to a message, built from its channel and ts (Slack resolves the workspace)."""
    return f"https://slack.com/archives/{channel_id}/p{ts.replace('.', '')}"


def modal(
    callback_id: str, title: str, submit: str, metadata: Mapping[str, object], blocks: list[Block]
) -> Block:
    """A modal with a submit button and Cancel; `metadata` comes back with its submission."""
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": {"type": "plain_text", "text": title[:24]},  # Slack's limit for a title
        "submit": {"type": "plain_text", "text": submit},
        "close": {"type": "plain_text", "text": "Cancel"},
        "private_metadata": json.dumps(metadata),
        "blocks": blocks,
    }


def input_block(
    block_id: str, label: str, element: Block, *, optional: bool = False, hint: str = ""
) -> Block:
    """A modal input; its element's action id is the block id, so values read back by name."""
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": {"type": "plain_text", "text": label[:2000]},
        "element": {**element, "action_id": block_id},
        "optional": optional,
    }
    if hint:
        block["hint"] = {"type": "plain_text", "text": hint[:2000]}
    return block


def text_field(
    block_id: str,
    label: str,
    *,
    optional: bool = False,
    multiline: bool = False,
    max_length: int | None = None,
    placeholder: str = "",
    hint: str = "",
    initial: str = "",
) -> Block:
    """A modal input for typed text (see `input_block`), holding `initial` to begin with."""
    element: Block = {"type": "plain_text_input", "multiline": multiline}
    if max_length is not None:
        element["max_length"] = max_length
    if initial:
        element["initial_value"] = initial
    if placeholder:
        element["placeholder"] = {"type": "plain_text", "text": placeholder}
    return input_block(block_id, label, element, optional=optional, hint=hint)
