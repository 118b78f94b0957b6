"""Block Kit for polls: the in-channel poll message, vote replies and the /poll modal.

Pure functions from domain data to Slack JSON; no network calls. All user text goes
through ``escape_mrkdwn`` and every text is clipped to Slack's limits.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from activities.kinds.poll.rules import (
    MAX_OPTION_CHARS,
    MAX_QUESTION_CHARS,
    PollError,
    PollKind,
    PollSpec,
    Tally,
    VoteDecision,
    build_poll_spec,
    rating_summary,
)
from bot.blocks.common import clip, slack_date
from bot.parsing import escape_mrkdwn

VOTE_ACTION_ID = "poll_vote"
MENU_ACTION_ID = "poll_menu"
MODAL_CALLBACK_ID = "poll_create"
# How poll messages, reminders and the Home tab show a deadline (bot.blocks.common.slack_date).
DATE_TOKEN = "{date_short_pretty} at {time}"

MAX_VOTERS_SHOWN = 5
BAR_WIDTH = 10
SECTION_TEXT_LIMIT = 3000
BUTTON_TEXT_LIMIT = 75
# Escaping can grow text up to 5x ("&" -> "&amp;"); still far below section limits.
_OPTION_ESCAPED_MAX = 5 * MAX_OPTION_CHARS
_QUESTION_ESCAPED_MAX = 5 * MAX_QUESTION_CHARS

_USER_ID_RE = re.compile(r"^[A-Z0-9]{2,32}$")
_BULLET_RE = re.compile(r"^\s*(?:[-*•]\s+|\d{1,2}[.)]\s+)")


@dataclass(frozen=True)
class PollView:
    """Everything needed to render a poll message."""

    poll_id: int
    question: str
    options: Sequence[str]
    kind: PollKind
    max_choices: int
    anonymous: bool
    hide_results: bool
    closed: bool
    closes_at: datetime | None
    creator_id: str
    tally: Tally
    voters_by_option: Mapping[int, Sequence[str]] | None = None

    @property
    def results_visible(self) -> bool:
        """Counts show unless results are hidden and the poll is still open."""
        return self.closed or not self.hide_results


# --------------------------------------------------------------------------- helpers


def _esc(text: str, limit: int) -> str:
    return clip(escape_mrkdwn(text), limit)


def _mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": clip(text, SECTION_TEXT_LIMIT)}


def _plain(text: str, limit: int = BUTTON_TEXT_LIMIT) -> dict[str, Any]:
    return {"type": "plain_text", "text": clip(text, limit), "emoji": True}


def _mention(user_id: str) -> str:
    return f"<@{user_id}>" if _USER_ID_RE.match(user_id) else escape_mrkdwn(user_id)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _bar(percent: int) -> str:
    filled = min(BAR_WIDTH, (percent * BAR_WIDTH + 50) // 100)
    return "▓" * filled + "░" * (BAR_WIDTH - filled)


def _voters_line(user_ids: Sequence[str]) -> str:
    shown = " ".join(_mention(uid) for uid in user_ids[:MAX_VOTERS_SHOWN])
    hidden = len(user_ids) - MAX_VOTERS_SHOWN
    return f"{shown} … and {hidden} more" if hidden > 0 else shown


def vote_value(poll_id: int, index: int) -> str:
    """Button value for voting on option ``index`` of poll ``poll_id``."""
    return f"{poll_id}:{index}"


def parse_vote_value(value: str) -> tuple[int, int]:
    """Inverse of ``vote_value``; raises ValueError on malformed input."""
    poll_id, sep, index = value.partition(":")
    if not sep or not poll_id.isdigit() or not index.isdigit():
        raise ValueError(f"malformed poll vote value: {value!r}")
    return int(poll_id), int(index)


def parse_menu_value(value: str) -> tuple[str, int]:
    """Split an overflow value like ``"close:12"`` into ``("close", 12)``."""
    action, sep, poll_id = value.partition(":")
    if not sep or action not in {"close", "export", "delete"} or not poll_id.isdigit():
        raise ValueError(f"malformed poll menu value: {value!r}")
    return action, int(poll_id)


# --------------------------------------------------------------------------- message


def _explanation(view: PollView) -> str:
    parts: list[str] = []
    if view.closed:
        parts.append("*Closed* — final results")
    if view.kind == "rating":
        values = [int(option) for option in view.options]
        parts.append(f"Rate from {min(values)} to {max(values)}")
    elif view.max_choices <= 1:
        parts.append("Choose one")
    elif view.max_choices >= len(view.options):
        parts.append("Choose any number")
    else:
        parts.append(f"Choose up to {view.max_choices}")
    if view.anonymous:
        parts.append("Anonymous — nobody, not even organisers, can see who voted")
    if view.hide_results and not view.closed:
        parts.append("Results hidden until the poll closes")
    if not view.closed:
        parts.append("Click an option again to take your vote back")
    return " · ".join(parts)


def _menu(view: PollView) -> dict[str, Any]:
    choices = [] if view.closed else [("Close poll", "close")]
    choices += [("Export results (CSV)", "export"), ("Delete poll", "delete")]
    return {
        "type": "overflow",
        "action_id": MENU_ACTION_ID,
        "options": [
            {"text": _plain(label), "value": f"{verb}:{view.poll_id}"} for label, verb in choices
        ],
    }


def _option_block(view: PollView, index: int, leaders: tuple[int, ...]) -> dict[str, Any]:
    option = _esc(view.options[index], _OPTION_ESCAPED_MAX)
    trophy = ":trophy: " if view.closed and index in leaders else ""
    lines = [f"{trophy}*{option}*"]
    if view.results_visible:
        count = view.tally.counts[index]
        percent = view.tally.rounded_percent(index)
        lines.append(f"{_bar(percent)} {percent}% ({count})")
        if not view.anonymous and view.voters_by_option is not None:
            voters = view.voters_by_option.get(index, ())
            if voters:
                lines.append(_voters_line(voters))
    block: dict[str, Any] = {"type": "section", "text": _mrkdwn("\n".join(lines))}
    if not view.closed:
        label = view.options[index] if view.kind == "rating" else "Vote"
        block["accessory"] = {
            "type": "button",
            "text": _plain(escape_mrkdwn(label)),
            "action_id": VOTE_ACTION_ID,
            "value": vote_value(view.poll_id, index),
        }
    return block


def _footer(view: PollView) -> str:
    parts = [f"Asked by {_mention(view.creator_id)}"]
    if view.closed:
        parts.append("Closed")
    elif view.closes_at is not None:
        parts.append(f"closes {slack_date(view.closes_at, token=DATE_TOKEN)}")
    parts.append(_plural(view.tally.voters, "voter"))
    return " · ".join(parts)


def poll_message(view: PollView) -> tuple[str, list[dict[str, Any]]]:
    """Fallback text and blocks for the in-channel poll message (open or closed)."""
    question = _esc(view.question, _QUESTION_ESCAPED_MAX)
    status = " (closed)" if view.closed else ""
    fallback = clip(f"Poll: {question}{status}", SECTION_TEXT_LIMIT)
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": _mrkdwn(f":bar_chart: *{question}*"), "accessory": _menu(view)},
        {"type": "context", "elements": [_mrkdwn(_explanation(view))]},
    ]
    leaders = view.tally.leaders()
    blocks.extend(_option_block(view, i, leaders) for i in range(len(view.options)))
    if view.kind == "rating" and view.results_visible:
        summary = rating_summary([int(o) for o in view.options], view.tally.counts)
        stats = summary.stats_text
        if summary.responses:
            stats += f" · {summary.sentence}"
        blocks.append({"type": "context", "elements": [_mrkdwn(stats)]})
    blocks.append({"type": "context", "elements": [_mrkdwn(_footer(view))]})
    return fallback, blocks


def vote_confirmation(option_text: str, decision: VoteDecision) -> str:
    """Ephemeral reply after a vote click."""
    option = _esc(option_text, _OPTION_ESCAPED_MAX)
    if decision.action == "add":
        return f"You voted for *{option}*."
    if decision.action == "move":
        return f"Your vote moved to *{option}*."
    if decision.action == "remove":
        return f"Your vote for *{option}* was removed."
    return decision.reason or "That vote couldn't be counted."


def poll_closed_refusal() -> str:
    """Ephemeral reply when someone votes on a closed poll."""
    return "This poll is closed, so votes can no longer be changed."


# --------------------------------------------------------------------------- modal

_KIND_CHOICES: tuple[tuple[str, str], ...] = (
    ("choice", "Multiple choice"),
    ("rating:1-10", "Rating 1–10"),
    ("rating:1-5", "Rating 1–5"),
    ("adjustment", "Adjustment (No → High)"),
)
_SETTINGS: tuple[tuple[str, str], ...] = (
    ("multi", "Allow several choices"),
    ("anonymous", "Anonymous (nobody can see who voted)"),
    ("hide_results", "Hide results until the poll closes"),
)
# PollError.field -> block_id, for ``response_action: errors``.
ERROR_BLOCKS: dict[str, str] = {
    "question": "question",
    "options": "options",
    "scale": "kind",
    "choices": "settings",
    "closes_at": "closes",
}


def _option(value: str, label: str) -> dict[str, Any]:
    return {"text": _plain(label), "value": value}


def poll_modal(channel_id: str | None) -> dict[str, Any]:
    """The /poll creation modal (callback_id ``poll_create``)."""
    channel_element: dict[str, Any] = {
        "type": "conversations_select",
        "action_id": "channel",
        "default_to_current_conversation": True,
        "filter": {"include": ["public", "private"], "exclude_bot_users": True},
    }
    if channel_id:
        channel_element["initial_conversation"] = channel_id
    return {
        "type": "modal",
        "callback_id": MODAL_CALLBACK_ID,
        "title": _plain("Create a poll", 24),
        "submit": _plain("Post poll", 24),
        "close": _plain("Cancel", 24),
        "blocks": [
            {
                "type": "input",
                "block_id": "question",
                "label": _plain("Question", 2000),
                "element": {
                    "type": "plain_text_input",
                    "action_id": "question",
                    "max_length": MAX_QUESTION_CHARS,
                    "placeholder": _plain("Which event should we run next?", 150),
                },
            },
            {
                "type": "input",
                "block_id": "options",
                "optional": True,
                "label": _plain("Options", 2000),
                "hint": _plain("One per line, 2 to 10. Not needed for rating polls.", 2000),
                "element": {
                    "type": "plain_text_input",
                    "action_id": "options",
                    "multiline": True,
                    "max_length": 1000,
                    "placeholder": _plain("Book club\nCoffee roulette\nTopic discussion", 150),
                },
            },
            {
                "type": "input",
                "block_id": "channel",
                "label": _plain("Post in", 2000),
                "element": channel_element,
            },
            {
                "type": "input",
                "block_id": "kind",
                "label": _plain("Poll type", 2000),
                "element": {
                    "type": "static_select",
                    "action_id": "kind",
                    "initial_option": _option(*_KIND_CHOICES[0]),
                    "options": [_option(value, label) for value, label in _KIND_CHOICES],
                },
            },
            {
                "type": "input",
                "block_id": "settings",
                "optional": True,
                "label": _plain("Settings", 2000),
                "element": {
                    "type": "checkboxes",
                    "action_id": "settings",
                    "options": [_option(value, label) for value, label in _SETTINGS],
                },
            },
            {
                "type": "input",
                "block_id": "closes",
                "optional": True,
                "label": _plain("Closes", 2000),
                "hint": _plain("Leave empty to close it yourself from the poll's menu.", 2000),
                "element": {
                    "type": "plain_text_input",
                    "action_id": "closes",
                    "placeholder": _plain("2d, friday 17:00, 2026-12-24", 150),
                },
            },
        ],
    }


def _state(values: Mapping[str, Any], block_id: str) -> Mapping[str, Any]:
    block = values.get(block_id) or {}
    state = block.get(block_id) if isinstance(block, Mapping) else None
    return state if isinstance(state, Mapping) else {}


def _text(values: Mapping[str, Any], block_id: str) -> str:
    value = _state(values, block_id).get("value")
    return value.strip() if isinstance(value, str) else ""


def _option_lines(raw: str) -> list[str]:
    lines = (_BULLET_RE.sub("", line).strip() for line in raw.splitlines())
    return [line for line in lines if line]


def parse_poll_modal(state_values: dict[str, Any]) -> dict[str, Any]:
    """Extract the modal's fields (``view.state.values``) into build_poll_spec inputs.

    Keys: question, options, channel_id, kind, scale, multi, anonymous, hide_results
    and closes (raw text or None; the listener parses it into a datetime).
    """
    selected = _state(state_values, "kind").get("selected_option") or {}
    kind_value = selected.get("value", "choice") if isinstance(selected, Mapping) else "choice"
    kind, _, scale = str(kind_value).partition(":")
    if kind not in {"choice", "rating", "adjustment"}:
        kind, scale = "choice", ""
    checked = _state(state_values, "settings").get("selected_options") or []
    settings = {o.get("value") for o in checked if isinstance(o, Mapping)}
    channel = _state(state_values, "channel").get("selected_conversation")
    return {
        "question": _text(state_values, "question"),
        "options": _option_lines(_text(state_values, "options")),
        "channel_id": channel if isinstance(channel, str) and channel else None,
        "kind": kind,
        "scale": scale or None,
        "multi": "multi" in settings,
        "anonymous": "anonymous" in settings,
        "hide_results": "hide_results" in settings,
        "closes": _text(state_values, "closes") or None,
    }


def modal_spec(fields: Mapping[str, Any], *, closes_at: datetime | None, now: datetime) -> PollSpec:
    """The poll the modal's fields (`parse_poll_modal`) describe, checked; its deadline
    comes parsed (that needs the person's time zone)."""
    return build_poll_spec(
        fields["question"],
        fields["options"],
        kind=fields["kind"],
        scale=fields["scale"],
        multi=fields["multi"],
        anonymous=fields["anonymous"],
        hide_results=fields["hide_results"],
        closes_at=closes_at,
        now=now,
    )


def modal_errors(error: PollError) -> dict[str, str]:
    """``response_action: errors`` payload mapping a PollError onto its modal block."""
    block_id = ERROR_BLOCKS.get(error.field or "", "question")
    return {block_id: clip(str(error), 2000)}
