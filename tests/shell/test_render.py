"""Block Kit and mrkdwn as text: generic over element types, clickables numbered in order."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.sandbox import build_action
from bot.shell.lines import ClockError, parse_clock, slack_text
from bot.shell.mrkdwn import Names, render_mrkdwn
from bot.shell.numbering import MessageRef, Numbering
from bot.shell.render import Renderer
from bot.shell.style import Style

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
USERS = {"UBOB": "bob"}
CHANNELS = {"C1": "community"}


def names(tz: str = "Europe/London") -> Names:
    return Names(
        user=lambda u: USERS.get(u, u),
        channel=lambda c: CHANNELS.get(c, c),
        tz=lambda: tz,
        now=lambda: NOW,
    )


def option(text: str, value: str) -> dict[str, object]:
    return {"text": {"type": "plain_text", "text": text}, "value": value}


BLOCKS: list[dict[str, object]] = [
    {"type": "header", "text": {"type": "plain_text", "text": "Book club"}},
    {
        "type": "section",
        "block_id": "s1",
        "text": {"type": "mrkdwn", "text": "*Pick* a day, <@UBOB>"},
        "accessory": {
            "type": "overflow",
            "action_id": "more",
            "options": [option("Edit", "e"), option("Delete", "d")],
        },
    },
    {"type": "divider"},
    {
        "type": "actions",
        "block_id": "a1",
        "elements": [
            {
                "type": "button",
                "action_id": "go",
                "value": "1",
                "text": {"type": "plain_text", "text": "Go"},
            },
            {
                "type": "static_select",
                "action_id": "day",
                "placeholder": {"type": "plain_text", "text": "Day"},
                "options": [option("Mon", "mon"), option("Tue", "tue")],
            },
            {"type": "conversations_select", "action_id": "where"},
            {"type": "datepicker", "action_id": "when"},
            {"type": "timepicker", "action_id": "at"},
        ],
    },
    {
        "type": "section",
        "block_id": "s2",
        "text": {"type": "plain_text", "text": "Extras"},
        "accessory": {
            "type": "checkboxes",
            "action_id": "extras",
            "options": [option("Snacks", "snacks")],
            "initial_options": [option("Snacks", "snacks")],
        },
    },
    {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": "in <#C1>"}, {"type": "image", "alt_text": "logo"}],
    },
    {"type": "a_future_block"},
]


def test_every_element_is_numbered_and_each_number_rebuilds_its_click() -> None:
    numbering = Numbering()
    ref = MessageRef("C1", "1.000100")
    lines = Renderer(names(), Style(False), numbering).blocks(BLOCKS, ref)
    text = "\n".join(lines)
    assert text.splitlines()[0] == "Book club"
    assert "Pick a day, @bob" in text
    assert "[1] ⋯ Edit  [2] ⋯ Delete" in text
    assert "[3] Go" in text and "[4] ▾ Mon" in text and "[5] ▾ Tue" in text
    assert "[6] ▾ a channel (#name)" in text and "[7] ▾ a date" in text and "[8] ▾ a time" in text
    assert "[9] [x] Snacks" in text
    assert "in #community · [logo]" in text
    assert "[a_future_block block]" in text
    # Each number names an element the driver can click in these very blocks.
    for n, target in numbering.targets.items():
        value = target.value if not target.needs_value else "x"
        action = build_action(BLOCKS, target.action_id, value)
        assert action["action_id"] == target.action_id, n
    assert numbering.targets[5].value == "tue"
    assert numbering.find("Delete") == 2 and numbering.find("pick a day") == 2


def test_mrkdwn_dates_in_the_readers_zone_links_and_emphasis() -> None:
    epoch = int(datetime(2026, 12, 1, 20, 0, tzinfo=UTC).timestamp())
    date = f"<!date^{epoch}^{{date_short_pretty}} at {{time}}|fallback>"
    raw = f"*Next:* {date} <https://x.io|docs> :tada: &amp;"
    assert render_mrkdwn(raw, names("Asia/Tokyo"), Style(False)) == (
        "Next: Dec 2, 2026 at 5:00 AM docs (https://x.io) 🎉 &"
    )
    assert render_mrkdwn(raw, names(), Style(False)).startswith("Next: tomorrow at 8:00 PM")
    assert render_mrkdwn("<!channel> _hi_", names(), Style(True)) == "@channel \x1b[3mhi\x1b[0m"


def test_typed_mentions_reach_the_bot_as_slack_sends_them() -> None:
    text = slack_text(
        'new coffee #community. --tz Europe/Paris "ask @bob" @nobody mail@example.com',
        user_id={"bob": "UBOB"}.get,
        channel_id={"community": "C1"}.get,
    )
    assert text == (
        'new coffee <#C1|community>. --tz Europe/Paris "ask <@UBOB|bob>" @nobody mail@example.com'
    )


def test_clock_arguments() -> None:
    assert parse_clock("+1w2d3h", now=NOW, tz="UTC") == datetime(2026, 12, 9, 11, tzinfo=UTC)
    # NOW is Monday 2026-11-30 08:00 UTC: "next" is the first such moment after it.
    assert parse_clock("next 09:00", now=NOW, tz="UTC") == datetime(2026, 11, 30, 9, tzinfo=UTC)
    assert parse_clock("next 07:00", now=NOW, tz="UTC") == datetime(2026, 12, 1, 7, tzinfo=UTC)
    assert parse_clock("next Monday 09:00", now=NOW, tz="UTC") == datetime(
        2026, 11, 30, 9, tzinfo=UTC
    )
    assert parse_clock("next mon 08:00", now=NOW, tz="UTC") == datetime(2026, 12, 7, 8, tzinfo=UTC)
    assert parse_clock("next fri 09:00", now=NOW, tz="Asia/Tokyo") == datetime(
        2026, 12, 4, 0, tzinfo=UTC
    )
    local = parse_clock("2026-12-24 09:00", now=NOW, tz="Asia/Tokyo")
    assert local.astimezone(UTC) == datetime(2026, 12, 24, 0, tzinfo=UTC)
    for bad in ("+", "+3x", "tomorrow", "next 25:00", "next funday 09:00"):
        try:
            parse_clock(bad, now=NOW, tz="UTC")
        except ClockError:
            continue
        raise AssertionError(bad)
