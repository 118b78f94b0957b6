"""A kind's form as a modal, and a submitted modal read back into form inputs.

Block ids are the field names, so an error about a field (`UserError.field`)
shows under its input. The channel, time zone and title inputs are common to
every kind.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from activities.forms import SWITCH_ON, Field, Form
from bot.blocks.common import Block, actions, button, context, input_block, modal, plain_option

FORM_CALLBACK = "community_form"


def _text(placeholder: str, *, multiline: bool, initial: str, max_length: int) -> Block:
    element: Block = {
        "type": "plain_text_input",
        "multiline": multiline,
        "max_length": min(max_length, 3000),
    }
    if placeholder:
        element["placeholder"] = {"type": "plain_text", "text": placeholder[:150]}
    if initial:
        element["initial_value"] = initial[:3000]
    return element


def _element(spec: Field, initial: str) -> Block:
    if spec.kind == "choice":
        options = [plain_option(label, value) for label, value in spec.choices]
        element: Block = {"type": "static_select", "options": options}
        chosen = next((o for o in options if o["value"] == initial), None)
        if chosen is not None:
            element["initial_option"] = chosen
        return element
    if spec.kind == "time":
        return {"type": "timepicker", **({"initial_time": initial} if initial else {})}
    if spec.kind == "date":
        return {"type": "datepicker", **({"initial_date": initial} if initial else {})}
    if spec.kind == "switch":
        option = plain_option(spec.hint or spec.label, SWITCH_ON)
        element = {"type": "checkboxes", "options": [option]}
        if initial == SWITCH_ON:
            element["initial_options"] = [option]
        return element
    return _text(
        spec.placeholder,
        multiline=spec.kind in ("multiline", "lines"),
        initial=initial,
        max_length=spec.max_length,
    )


def _hint(spec: Field) -> str:
    if spec.kind == "switch":
        return ""  # the checkbox itself carries the hint
    if spec.kind == "lines":
        return spec.hint or "One per line"
    return spec.hint


PREVIEW_ACTION = "form_preview"
PREVIEW_BLOCK = "form_preview_dates"


def form_modal(
    form: Form[Any],
    *,
    kind: str,
    inputs: Mapping[str, str],
    channel_id: str,
    activity_id: int | None = None,
    preview: str = "Press *Preview dates* to see the next occurrences before saving.",
) -> Block:
    """The modal for `/community new <kind>` (or `edit <id>`, with the current values)."""
    channel: Block = {
        "type": "conversations_select",
        "filter": {"include": ["public", "private"], "exclude_bot_users": True},
    }
    if channel_id:
        channel["initial_conversation"] = channel_id
    else:
        channel["default_to_current_conversation"] = True
    blocks = [input_block("channel", "Channel", channel)]
    for spec in form.fields:
        initial = inputs.get(spec.name) or spec.default
        blocks.append(
            input_block(
                spec.name,
                spec.label,
                _element(spec, initial),
                optional=not spec.required,
                hint=_hint(spec),
            )
        )
    zone = _text(
        "Europe/London", multiline=False, initial=inputs.get("timezone", ""), max_length=64
    )
    blocks.append(
        input_block(
            "timezone", "Time zone", zone, optional=True, hint="An IANA name, e.g. Europe/Paris"
        )
    )
    title = _text("", multiline=False, initial=inputs.get("title", ""), max_length=150)
    blocks.append(
        input_block("title", "Title", title, optional=True, hint="Leave empty for a default title")
    )
    blocks.append(actions(button("Preview dates", PREVIEW_ACTION, "preview")))
    blocks.append(context(preview))
    blocks[-1]["block_id"] = PREVIEW_BLOCK
    heading = form.title if activity_id is None else f"Edit #{activity_id}"
    return modal(
        FORM_CALLBACK,
        heading,
        "Create" if activity_id is None else "Save",
        {"kind": kind, "activity_id": activity_id, "channel": channel_id},
        blocks,
    )


def view_inputs(view: Mapping[str, Any]) -> dict[str, str]:
    """Every input of a submitted modal (the whole `view`) as text, by block id."""
    return inputs_from_state((view.get("state") or {}).get("values") or {})


def inputs_from_state(values: Mapping[str, Any]) -> dict[str, str]:
    """Every input of a submitted modal as text, by block id."""
    found: dict[str, str] = {}
    for block_id, by_action in values.items():
        element = (by_action or {}).get(block_id) or {}
        found[block_id] = _value(element)
    return found


def _value(element: Mapping[str, Any]) -> str:
    for key in (
        "value",
        "selected_conversation",
        "selected_channel",
        "selected_user",
        "selected_time",
        "selected_date",
    ):
        if element.get(key):
            return str(element[key])
    if element.get("type") == "checkboxes":
        return ",".join(str(o.get("value")) for o in element.get("selected_options") or [])
    selected = element.get("selected_option") or {}
    return str(selected.get("value") or "")
