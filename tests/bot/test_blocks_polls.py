"""Tests for the poll Block Kit builders in bot.blocks.polls."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from activities.kinds.poll.rules import (
    PollError,
    build_poll_spec,
    decide_vote,
    tally,
)
from bot.kinds.poll.blocks import (
    MENU_ACTION_ID,
    VOTE_ACTION_ID,
    PollView,
    modal_errors,
    modal_spec,
    parse_menu_value,
    parse_poll_modal,
    parse_vote_value,
    poll_closed_refusal,
    poll_message,
    poll_modal,
    vote_confirmation,
)
from bot.sandbox.blockkit import check_blocks, check_view

CLOSES = datetime(2026, 11, 27, 17, 0, tzinfo=UTC)


VIEW = PollView(
    poll_id=42,
    question="Which event next?",
    options=("Book club", "Coffee roulette", "Topic discussion"),
    kind="choice",
    max_choices=1,
    anonymous=False,
    hide_results=False,
    closed=False,
    closes_at=CLOSES,
    creator_id="UCREATOR",
    tally=tally(3, ()),
    voters_by_option={},
)


def make_view(
    options: Sequence[str] = VIEW.options,
    votes: Sequence[tuple[int, str]] = ((0, "U1"), (0, "U2"), (1, "U3")),
    *,
    anonymous: bool = False,
) -> PollView:
    """VIEW with these options and votes (its other fields: `replace(make_view(), ...)`)."""
    voters: dict[int, list[str]] = {}
    for index, voter in votes:
        voters.setdefault(index, []).append(voter)
    counted = tally(len(options), votes)
    shown = None if anonymous else voters
    return replace(
        VIEW, options=tuple(options), anonymous=anonymous, tally=counted, voters_by_option=shown
    )


def walk(node: Any) -> Iterator[Mapping[str, Any]]:
    """Every dict nested anywhere in ``node``."""
    if isinstance(node, Mapping):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk(item)


def buttons(blocks: list[dict[str, Any]]) -> list[Mapping[str, Any]]:
    return [d for d in walk(blocks) if d.get("type") == "button"]


def texts(blocks: list[dict[str, Any]]) -> list[str]:
    return [d["text"] for d in walk(blocks) if d.get("type") in ("mrkdwn", "plain_text")]


def option_sections(blocks: list[dict[str, Any]], count: int) -> list[dict[str, Any]]:
    return blocks[2 : 2 + count]


# --------------------------------------------------------------------------- message


def test_open_poll_renders_valid_blocks_with_buttons() -> None:
    fallback, blocks = poll_message(make_view())
    assert check_blocks(blocks) == []
    assert fallback == "Poll: Which event next?"
    assert "*Which event next?*" in blocks[0]["text"]["text"]
    context = blocks[1]["elements"][0]["text"]
    assert "Choose one" in context
    sections = option_sections(blocks, 3)
    assert "▓▓▓▓▓▓▓░░░ 67% (2)" in sections[0]["text"]["text"]
    assert "<@U1> <@U2>" in sections[0]["text"]["text"]
    assert "0% (0)" in sections[2]["text"]["text"]
    assert [b["action_id"] for b in buttons(blocks)] == [VOTE_ACTION_ID] * 3


def test_button_values_parse_back() -> None:
    _, blocks = poll_message(make_view())
    parsed = [parse_vote_value(b["value"]) for b in buttons(blocks)]
    assert parsed == [(42, 0), (42, 1), (42, 2)]


@pytest.mark.parametrize("value", ["", "42", "42:", "x:1", "1:-1", "1:2:3"])
def test_malformed_vote_values_are_rejected(value: str) -> None:
    with pytest.raises(ValueError):
        parse_vote_value(value)


def test_overflow_menu_values() -> None:
    _, blocks = poll_message(make_view())
    menu = blocks[0]["accessory"]
    assert menu["action_id"] == MENU_ACTION_ID
    assert [o["value"] for o in menu["options"]] == ["close:42", "export:42", "delete:42"]
    assert [o["text"]["text"] for o in menu["options"]] == [
        "Close poll",
        "Export results (CSV)",
        "Delete poll",
    ]
    assert parse_menu_value("export:42") == ("export", 42)
    with pytest.raises(ValueError):
        parse_menu_value("explode:42")


def test_explanations() -> None:
    def context(view: PollView) -> str:
        text: str = poll_message(view)[1][1]["elements"][0]["text"]
        return text

    assert "Choose up to 2" in context(replace(make_view(), max_choices=2))
    assert "Choose any number" in context(replace(make_view(), max_choices=3))
    anonymous = context(make_view(anonymous=True))
    assert "Anonymous — nobody, not even organisers, can see who voted" in anonymous
    assert "Results hidden until the poll closes" in context(
        replace(make_view(), hide_results=True)
    )
    assert "Results hidden" not in context(replace(make_view(), hide_results=True, closed=True))


def test_footer_uses_slack_date_token() -> None:
    _, blocks = poll_message(make_view())
    footer = blocks[-1]["elements"][0]["text"]
    unix = int(CLOSES.timestamp())
    assert footer.startswith("Asked by <@UCREATOR> · closes ")
    assert f"<!date^{unix}^{{date_short_pretty}} at {{time}}|Fri 27 Nov 2026 17:00 UTC>" in footer
    assert footer.endswith("3 voters")


def test_footer_without_deadline() -> None:
    _, blocks = poll_message(replace(make_view(votes=[(0, "U1")]), closes_at=None))
    assert blocks[-1]["elements"][0]["text"] == "Asked by <@UCREATOR> · 1 voter"


def test_closed_poll_has_no_buttons_and_shows_results() -> None:
    fallback, blocks = poll_message(replace(make_view(), closed=True))
    assert check_blocks(blocks) == []
    assert buttons(blocks) == []
    assert VOTE_ACTION_ID not in json.dumps(blocks)
    assert "(closed)" in fallback
    assert "*Closed*" in blocks[1]["elements"][0]["text"]
    assert "Closed" in blocks[-1]["elements"][0]["text"]
    assert ":trophy:" in option_sections(blocks, 3)[0]["text"]["text"]
    menu_values = [o["value"] for o in blocks[0]["accessory"]["options"]]
    assert menu_values == ["export:42", "delete:42"]


def test_hidden_results_show_no_counts_or_voters() -> None:
    _, blocks = poll_message(replace(make_view(), hide_results=True))
    assert check_blocks(blocks) == []
    for section in option_sections(blocks, 3):
        text = section["text"]["text"]
        assert "%" not in text
        assert "▓" not in text and "░" not in text
        assert "<@U" not in text
        assert "accessory" in section
    assert "<@U1>" not in json.dumps(blocks)


def test_hidden_results_are_revealed_on_close() -> None:
    _, blocks = poll_message(replace(make_view(), hide_results=True, closed=True))
    assert "67% (2)" in option_sections(blocks, 3)[0]["text"]["text"]


def test_anonymous_poll_never_mentions_voters() -> None:
    _, blocks = poll_message(replace(make_view(anonymous=True), closed=True))
    dumped = json.dumps(blocks)
    assert "<@U1>" not in dumped and "<@U3>" not in dumped
    assert "67% (2)" in dumped


def test_user_text_is_escaped_in_every_block() -> None:
    nasty = "<!channel> & <@U999|boss>"
    view = replace(
        make_view(options=["<!channel>", "A & B", "<https://evil.example|click>"]),
        question=nasty,
    )
    for closed in (False, True):
        fallback, blocks = poll_message(
            replace(view, closed=closed),
        )
        dumped = json.dumps(blocks) + fallback
        assert "<!channel>" not in dumped
        assert "<@U999" not in dumped
        assert "<https://evil" not in dumped
        assert "&lt;!channel&gt;" in dumped
        assert "A &amp; B" in dumped
        for text in texts(blocks):
            assert "<!channel" not in text


def test_ten_options_two_thousand_voters_stay_within_limits() -> None:
    options = [f"{'<!channel> & ' * 5}{i}"[:75] for i in range(10)]
    votes = [(i, f"U{n:08d}") for n in range(2000) for i in range(10)]
    view = replace(make_view(options=options, votes=votes), max_choices=10)
    for closed in (False, True):
        fallback, blocks = poll_message(replace(view, closed=closed))
        assert check_blocks(blocks) == []
        assert len(blocks) <= 50
        assert len(fallback) <= 3000
        for text in texts(blocks):
            assert len(text) <= 3000
        dumped = json.dumps(blocks)
        assert "<!channel>" not in dumped
    _, blocks = poll_message(view)
    first = option_sections(blocks, 10)[0]["text"]["text"]
    assert "<@U00000000> <@U00000001> <@U00000002> <@U00000003> <@U00000004>" in first
    assert "… and 1995 more" in first
    assert "<@U00000005>" not in first
    assert "2000 voters" in blocks[-1]["elements"][0]["text"]
    assert len(buttons(blocks)) == 10


def test_long_question_stays_within_limits() -> None:
    view = replace(make_view(), question="&" * 300)
    fallback, blocks = poll_message(view)
    assert check_blocks(blocks) == []
    assert "&amp;" * 300 in blocks[0]["text"]["text"]
    assert fallback == "Poll: " + "&amp;" * 300


def test_rating_poll_has_every_value_clickable_and_a_summary() -> None:
    rating = build_poll_spec("How was it?", [], kind="rating", scale="0-10", now=CLOSES)
    votes = [(6, "U1"), (7, "U2"), (2, "U3"), (9, "U4")]
    view = replace(make_view(options=rating.options, votes=votes), kind="rating")
    _, blocks = poll_message(view)
    assert check_blocks(blocks) == []
    assert [b["text"]["text"] for b in buttons(blocks)] == [str(i) for i in range(11)]
    assert "Rate from 0 to 10" in blocks[1]["elements"][0]["text"]
    summary = blocks[-2]["elements"][0]["text"]
    assert summary == "4 responses · mean 6 · median 6.5 · 25% rated 5 or lower"


def test_rating_summary_hidden_while_results_hidden() -> None:
    rating = build_poll_spec("How was it?", [], kind="rating", now=CLOSES)
    view = replace(
        make_view(options=rating.options, votes=[(0, "U1")]), kind="rating", hide_results=True
    )
    dumped = json.dumps(poll_message(view)[1])
    assert "mean" not in dumped and "rated" not in dumped


def test_adjustment_poll_renders() -> None:
    spec = build_poll_spec("Change the format?", [], kind="adjustment", now=CLOSES)
    _, blocks = poll_message(replace(make_view(options=spec.options, votes=[]), kind="adjustment"))
    assert check_blocks(blocks) == []
    assert len(buttons(blocks)) == 4
    assert "*No adjustment*" in blocks[2]["text"]["text"]


# --------------------------------------------------------------------------- replies


def test_vote_confirmation_texts() -> None:
    add = decide_vote(max_choices=1, current=frozenset(), clicked=0, option_count=2)
    move = decide_vote(max_choices=1, current=frozenset({1}), clicked=0, option_count=2)
    remove = decide_vote(max_choices=1, current=frozenset({0}), clicked=0, option_count=2)
    refuse = decide_vote(max_choices=2, current=frozenset({0, 1}), clicked=2, option_count=3)
    assert vote_confirmation("<!here> pizza", add) == "You voted for *&lt;!here&gt; pizza*."
    assert vote_confirmation("Tea", move) == "Your vote moved to *Tea*."
    assert vote_confirmation("Tea", remove) == "Your vote for *Tea* was removed."
    assert vote_confirmation("Tea", refuse).startswith("You've already chosen 2 options")
    assert "closed" in poll_closed_refusal()


# --------------------------------------------------------------------------- modal


def _submission(
    *,
    question: str,
    options: str | None,
    channel: str | None,
    kind: str,
    settings: Sequence[str],
    closes: str | None,
    modal: dict[str, Any],
) -> dict[str, Any]:
    """Build ``view.state.values`` the way Slack submits this modal."""
    blocks = {b["block_id"]: b for b in modal["blocks"]}
    kind_option = next(o for o in blocks["kind"]["element"]["options"] if o["value"] == kind)
    setting_options = [
        o for o in blocks["settings"]["element"]["options"] if o["value"] in settings
    ]
    return {
        "question": {"question": {"type": "plain_text_input", "value": question}},
        "options": {"options": {"type": "plain_text_input", "value": options}},
        "channel": {"channel": {"type": "conversations_select", "selected_conversation": channel}},
        "kind": {"kind": {"type": "static_select", "selected_option": kind_option}},
        "settings": {"settings": {"type": "checkboxes", "selected_options": setting_options}},
        "closes": {"closes": {"type": "plain_text_input", "value": closes}},
    }


def test_modal_is_valid() -> None:
    modal = poll_modal("C123")
    assert check_view(modal) == []
    assert modal["callback_id"] == "poll_create"
    assert len(modal["title"]["text"]) <= 24
    blocks = {b["block_id"]: b for b in modal["blocks"]}
    assert set(blocks) == {"question", "options", "channel", "kind", "settings", "closes"}
    for block_id, block in blocks.items():
        assert block["element"]["action_id"] == block_id
    channel = blocks["channel"]["element"]
    assert channel["type"] == "conversations_select"
    assert channel["default_to_current_conversation"] is True
    assert channel["initial_conversation"] == "C123"
    assert blocks["options"]["element"]["multiline"] is True
    assert blocks["closes"]["optional"] is True
    assert blocks["closes"]["element"]["placeholder"]["text"] == "2d, friday 17:00, 2026-12-24"
    assert (
        "initial_conversation"
        not in {b["block_id"]: b for b in poll_modal(None)["blocks"]}["channel"]["element"]
    )


def test_modal_parse_roundtrip() -> None:
    modal = poll_modal("C123")
    state = _submission(
        question="  Which event next? ",
        options="- Book club\n\n• Coffee roulette\n3. Topic discussion\n",
        channel="C123",
        kind="choice",
        settings=["multi", "anonymous"],
        closes="friday 17:00",
        modal=modal,
    )
    parsed = parse_poll_modal(state)
    assert parsed == {
        "question": "Which event next?",
        "options": ["Book club", "Coffee roulette", "Topic discussion"],
        "channel_id": "C123",
        "kind": "choice",
        "scale": None,
        "multi": True,
        "anonymous": True,
        "hide_results": False,
        "closes": "friday 17:00",
    }
    spec = modal_spec(parsed, closes_at=None, now=CLOSES)
    assert spec.max_choices == 3
    assert spec.anonymous


def test_modal_parse_rating_and_empty_fields() -> None:
    modal = poll_modal(None)
    state = _submission(
        question="How was it?",
        options=None,
        channel=None,
        kind="rating:1-5",
        settings=["hide_results"],
        closes=None,
        modal=modal,
    )
    parsed = parse_poll_modal(state)
    assert parsed["kind"] == "rating"
    assert parsed["scale"] == "1-5"
    assert parsed["options"] == []
    assert parsed["channel_id"] is None
    assert parsed["closes"] is None
    assert parsed["hide_results"] is True
    spec = build_poll_spec(
        parsed["question"], parsed["options"], kind="rating", scale="1-5", now=CLOSES
    )
    assert spec.options == ("1", "2", "3", "4", "5")


def test_modal_parse_tolerates_missing_state() -> None:
    parsed = parse_poll_modal({})
    assert parsed["question"] == ""
    assert parsed["options"] == []
    assert parsed["kind"] == "choice"
    assert parsed["multi"] is False


def test_modal_errors_target_the_right_block() -> None:
    with pytest.raises(PollError) as info:
        build_poll_spec("Q", ["only"], now=CLOSES)
    assert list(modal_errors(info.value)) == ["options"]
    with pytest.raises(PollError) as info:
        build_poll_spec("Q", [], kind="rating", scale="nope", now=CLOSES)
    assert list(modal_errors(info.value)) == ["kind"]
    assert list(modal_errors(PollError("x"))) == ["question"]


def test_option_of_ampersands_is_not_clipped() -> None:
    _, blocks = poll_message(make_view(options=["&" * 75, "b"], votes=[]))
    assert check_blocks(blocks) == []
    assert f"*{'&amp;' * 75}*" in blocks[2]["text"]["text"]
