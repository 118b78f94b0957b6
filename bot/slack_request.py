"""Slack's request body, read once and quickly, handed to Bolt as its request.

A click arrives form-encoded: `payload=` and the whole message it was on, as JSON with
every brace, quote and colon percent-escaped (a poll message: ~2,000 escapes). The
standard library decodes those one at a time in Python, which was the largest single
cost of a vote click in bench/polls.py (~0.6 ms of ~5 ms of CPU). Here the escapes are
decoded in one C call; anything unusual (a stray `%`) takes the standard library's path,
so the result is the same either way (tests/bot/test_slack_request.py compares them).
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote_plus

from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.request.async_internals import build_async_context
from slack_bolt.request.async_request import AsyncBoltRequest


def unquote_form(text: str) -> str:
    """`urllib.parse.unquote_plus` (UTF-8, undecodable bytes replaced), at C speed."""
    if "%" not in text and "+" not in text:
        return text
    # %XX becomes \xXX for the C escape decoder; backslashes are doubled first so that
    # only those escapes are decoded. A malformed escape makes it raise: then the slow path.
    raw = text.encode().replace(b"+", b" ").replace(b"\\", b"\\\\").replace(b"%", b"\\x")
    try:
        decoded: bytes = codecs.escape_decode(raw)[0]
    except ValueError:
        return unquote_plus(text, errors="replace")
    return decoded.decode(errors="replace")


def parse_form(text: str) -> dict[str, str]:
    """`dict(urllib.parse.parse_qsl(text, keep_blank_values=True))`."""
    fields: dict[str, str] = {}
    for pair in text.split("&"):
        if pair:
            name, _, value = pair.partition("=")
            fields[unquote_form(name)] = unquote_form(value)
    return fields


def parse_body(text: str, content_type: str | None) -> dict[str, Any]:
    """What Bolt's own parse_body returns: JSON bodies as they are, a form's `payload`
    field decoded from JSON, or the form's fields."""
    if not text:
        return {}
    if content_type == "application/json" or text.startswith("{"):
        found: dict[str, Any] = json.loads(text)
        return found
    fields = parse_form(text)
    if "payload" in text:
        payload = fields.get("payload")
        return json.loads(payload) if payload is not None else {}
    return dict(fields)


def bolt_request(text: str, *, query: str, headers: Mapping[str, str]) -> AsyncBoltRequest:
    """Bolt's request for this HTTP request, its body parsed once by parse_body."""
    request = AsyncBoltRequest(body="", query=query, headers=headers)  # type: ignore[arg-type]
    request.raw_body = text  # Bolt's signature check and lazy listeners read it
    request.body = parse_body(text, request.content_type)
    request.context = build_async_context(AsyncBoltContext({}), request.body)
    return request
