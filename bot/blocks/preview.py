"""A message's blocks shown in a preview: every word as sent, but nothing to click.

The buttons of a message not sent yet would carry ids of things that don't exist
yet (or, once rolled back, never will), so a preview lists their labels instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.blocks.common import Block, context


def _label(element: dict[str, Any]) -> str:
    text = element.get("text")
    if isinstance(text, dict):
        return str(text.get("text", ""))
    placeholder = element.get("placeholder")
    return str(placeholder.get("text", "")) if isinstance(placeholder, dict) else ""


def inert(blocks: Sequence[Block]) -> list[Block]:
    shown: list[Block] = []
    for block in blocks:
        if block.get("type") == "actions":
            labels = [_label(e) for e in block.get("elements", [])]
            shown.append(context("Buttons: " + " · ".join(f"[{label}]" for label in labels)))
            continue
        copy = {k: v for k, v in block.items() if k not in ("block_id",)}
        accessory = copy.get("accessory")
        if isinstance(accessory, dict) and accessory.get("type") != "image":
            del copy["accessory"]
        shown.append(copy)
    return shown
