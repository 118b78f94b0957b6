"""The fast body parser reads every body exactly as Bolt's own parser does."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, quote_plus, urlencode

from hypothesis import given, settings
from hypothesis import strategies as st
from slack_bolt.request.internals import parse_body as bolt_parse_body

from bot.slack_request import bolt_request, parse_body, parse_form, unquote_form

FORM = "application/x-www-form-urlencoded"
# Raw form text, encoded or not: stray %, +, backslashes, & and = and non-ASCII included.
raw_form = st.text(alphabet=st.sampled_from("ab%+=&\\xé/09AFfz;\x00 "), max_size=40)


@settings(max_examples=400, deadline=None)
@given(raw_form)
def test_any_form_text_decodes_as_the_standard_library_does(text: str) -> None:
    assert parse_form(text) == dict(parse_qsl(text, keep_blank_values=True))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_encoded_text_round_trips(value: str) -> None:
    assert unquote_form(quote_plus(value)) == value


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
        max_leaves=20,
    )
)
def test_a_payload_reads_as_bolt_reads_it(value: object) -> None:
    body = urlencode({"payload": json.dumps({"type": "block_actions", "value": value})})
    assert parse_body(body, FORM) == bolt_parse_body(body, FORM)


def test_commands_json_and_empty_bodies_read_as_bolt_reads_them() -> None:
    command = urlencode({"command": "/poll", "text": '"Lunch?" "Pizza" "Soup" 100%'})
    for body, content_type in (
        (command, FORM),
        ('{"type": "event_callback", "event": {"type": "app_home_opened"}}', "application/json"),
        ("", FORM),
    ):
        assert parse_body(body, content_type) == bolt_parse_body(body, content_type)


def test_the_bolt_request_carries_the_raw_body_and_the_context() -> None:
    payload = {
        "type": "block_actions",
        "team": {"id": "T1"},
        "user": {"id": "U1", "team_id": "T1"},
        "channel": {"id": "C1"},
        "response_url": "https://hooks.example/1",
        "actions": [{"action_id": "poll_vote", "value": "1:0"}],
    }
    text = urlencode({"payload": json.dumps(payload)})
    request = bolt_request(text, query="", headers={"Content-Type": FORM})
    assert request.raw_body == text
    assert request.body == payload
    assert request.context.team_id == "T1"
    assert request.context.user_id == "U1"
    assert request.context.channel_id == "C1"
    assert request.context.response_url == "https://hooks.example/1"
