"""Modals for creating activities."""

from __future__ import annotations

import json
from typing import Any

from bot.blocks.common import Block, plain_option

ANNOUNCEMENT_CALLBACK = "new_announcement"
SCHEDULE_HINT = '"every monday 09:00", "every 2 weeks on tuesday 10:30", "weekdays 08:45" or cron'


def _input(
    block_id: str, label: str, element: Block, *, optional: bool = False, hint: str = ""
) -> Block:
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": {"type": "plain_text", "text": label},
        "element": {**element, "action_id": block_id},
        "optional": optional,
    }
    if hint:
        block["hint"] = {"type": "plain_text", "text": hint}
    return block


def text_input(placeholder: str = "", *, multiline: bool = False, initial: str = "") -> Block:
    element: Block = {"type": "plain_text_input", "multiline": multiline}
    if placeholder:
        element["placeholder"] = {"type": "plain_text", "text": placeholder}
    if initial:
        element["initial_value"] = initial
    return element


def channel_select() -> Block:
    return {
        "type": "conversations_select",
        "default_to_current_conversation": True,
        "filter": {"include": ["public", "private"], "exclude_bot_users": True},
    }


def modal(
    title: str,
    callback_id: str,
    blocks: list[Block],
    *,
    metadata: dict[str, Any] | None = None,
    submit: str = "Create",
) -> Block:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": {"type": "plain_text", "text": title[:24]},
        "submit": {"type": "plain_text", "text": submit[:24]},
        "close": {"type": "plain_text", "text": "Cancel"},
        "private_metadata": json.dumps(metadata or {}),
        "blocks": blocks,
    }


def announcement_modal(*, channel_id: str) -> Block:
    return modal(
        "New announcement",
        ANNOUNCEMENT_CALLBACK,
        [
            _input("channel", "Channel", channel_select()),
            _input(
                "schedule",
                "When",
                text_input("every monday 09:00"),
                hint=SCHEDULE_HINT,
            ),
            _input(
                "timezone",
                "Time zone",
                text_input("Europe/London"),
                optional=True,
                hint="Leave empty to use yours",
            ),
            _input("text", "Text", text_input("What should be posted?", multiline=True)),
        ],
        metadata={"channel": channel_id},
    )


def state_value(values: dict[str, Any], block_id: str) -> str:
    """The value of a text input, select or conversations_select, by block id."""
    element = (values.get(block_id) or {}).get(block_id) or {}
    for key in (
        "value",
        "selected_conversation",
        "selected_channel",
        "selected_user",
        "selected_time",
    ):
        if element.get(key):
            return str(element[key])
    selected = element.get("selected_option") or {}
    return str(selected.get("value") or "")


COFFEE_CALLBACK = "new_coffee"
COFFEE_TITLES = {"coffee": "New coffee pairings", "breakfast": "New breakfast"}
_FREQUENCIES = [("Every week", "1w"), ("Every 2 weeks", "2w"), ("Every 4 weeks", "4w")]
_DAYS = [
    ("Monday", "mon"),
    ("Tuesday", "tue"),
    ("Wednesday", "wed"),
    ("Thursday", "thu"),
    ("Friday", "fri"),
]


def _select(options: list[tuple[str, str]], initial: str) -> Block:
    choices = [plain_option(label, value) for label, value in options]
    chosen = next(c for c in choices if c["value"] == initial)
    return {"type": "static_select", "options": choices, "initial_option": chosen}


def coffee_modal(*, kind: str, timezone: str, size: int) -> Block:
    """`/community new coffee|breakfast` with no arguments: the same choices as the flags."""
    sizes = [(f"Groups of {n}", str(n)) for n in (2, 3, 4)]
    return modal(
        COFFEE_TITLES[kind],
        COFFEE_CALLBACK,
        [
            _input("channel", "Channel (its members take part)", channel_select()),
            _input("every", "How often", _select(_FREQUENCIES, "1w")),
            _input("day", "Day", _select(_DAYS, "mon")),
            _input("time", "Time", {"type": "timepicker", "initial_time": "09:00"}),
            _input("timezone", "Time zone", text_input("Europe/London", initial=timezone)),
            _input("size", "Group size", _select(sizes, str(size))),
            _input(
                "icebreakers",
                "Icebreakers",
                {
                    "type": "checkboxes",
                    "options": [plain_option("Suggest an icebreaker question", "on")],
                    "initial_options": [plain_option("Suggest an icebreaker question", "on")],
                },
                optional=True,
            ),
        ],
        metadata={"kind": kind},
    )


def checked(values: dict[str, Any], block_id: str) -> list[str]:
    """The values of the ticked checkboxes in a block."""
    element = (values.get(block_id) or {}).get(block_id) or {}
    return [str(o.get("value")) for o in element.get("selected_options") or []]
