"""The generic form: command words and modal values become the same inputs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from activities.errors import UserError
from activities.forms import FormContext, Inputs
from activities.kinds.poll.rules import FORM as POLL_FORM
from bot.blocks.forms import form_modal, inputs_from_state
from bot.listeners.forms import inputs_from_args
from bot.sandbox import check_view
from tests.kinds import CATALOG

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_positional_fields_then_flags_and_switches() -> None:
    words = ["<#C0AAAAAAA|general>", "every friday 16:00", "How was it?", "Great", "Fine"]
    inputs = inputs_from_args(
        POLL_FORM,
        [*words, "--closes-after", "2d", "--multi", "--tz", "Asia/Tokyo"],
        with_channel=True,
    )
    assert inputs == {
        "channel": "<#C0AAAAAAA|general>",
        "schedule": "every friday 16:00",
        "question": "How was it?",
        "options": "Great\nFine",
        "closes_after": "2d",
        "multi": "on",
        "timezone": "Asia/Tokyo",
    }


def test_extra_words_are_refused_with_the_kinds_example() -> None:
    form = CATALOG["announcement"].form
    with pytest.raises(UserError, match="quote text that has spaces") as raised:
        inputs_from_args(form, ["#c", "every monday 09:00", "Hello", "world"], with_channel=True)
    assert form.example in str(raised.value)


def test_a_missing_required_field_names_it() -> None:
    form = CATALOG["announcement"].form
    with pytest.raises(UserError, match="Text is missing") as raised:
        form.check(Inputs({"schedule": "every monday 09:00"}))
    assert raised.value.field == "text"


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_every_kinds_modal_is_valid_and_reads_back_what_it_shows(name: str) -> None:
    """The edit modal starts from a kind's current values; submitted unchanged, it parses
    back to the same settings."""
    kind = CATALOG[name]
    samples = {
        "announcement": {"schedule": "every monday 09:00", "text": "Hi"},
        "poll": {"schedule": "every friday 16:00", "question": "Q?", "options": "A\nB"},
    }
    ctx = FormContext(kind=name, timezone="Europe/Paris", now=NOW)
    draft = kind.form.parse(Inputs(samples.get(name, {})), ctx)
    shown = kind.form.inputs_of(draft.settings, draft.schedule_text)
    view = form_modal(kind.form, kind=name, inputs=shown, channel_id="C0AAAAAAA", activity_id=7)
    assert check_view(view) == []
    state: dict[str, Any] = {}
    for block in view["blocks"]:
        element = block["element"]
        value = (
            element.get("initial_value")
            or element.get("initial_time")
            or element.get("initial_date")
            or (element.get("initial_option") or {}).get("value")
            or ",".join(o["value"] for o in element.get("initial_options", []))
            or element.get("initial_conversation")
        )
        key = {
            "plain_text_input": "value",
            "timepicker": "selected_time",
            "datepicker": "selected_date",
            "conversations_select": "selected_conversation",
        }.get(element["type"])
        if element["type"] == "static_select":
            state[block["block_id"]] = {
                block["block_id"]: {"type": "static_select", "selected_option": {"value": value}}
            }
        elif element["type"] == "checkboxes":
            chosen = [{"value": v} for v in (value or "").split(",") if v]
            state[block["block_id"]] = {
                block["block_id"]: {"type": "checkboxes", "selected_options": chosen}
            }
        else:
            assert key is not None, element["type"]
            state[block["block_id"]] = {block["block_id"]: {"type": element["type"], key: value}}
    back = inputs_from_state(state)
    assert back["channel"] == "C0AAAAAAA"
    again = kind.form.parse(Inputs(back), ctx)
    assert again.settings == draft.settings and again.schedule_text == draft.schedule_text
