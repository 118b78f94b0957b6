"""RSVP buttons in `/community calendar` and the Home tab's "Coming up": the viewer's
answer is shown, a click records it and redraws the calendar in place."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.sandbox.server import DEFAULT_TEAM_ID as TEAM
from storage import rsvps
from tests.e2e.harness import Harness


def rsvp_rows(blocks: list[dict[str, Any]]) -> list[list[str]]:
    return [
        [str(e["text"]["text"]) for e in b["elements"]]
        for b in blocks
        if b["type"] == "actions" and str(b.get("block_id", "")).startswith("calrsvp:")
    ]


async def test_calendar_lines_carry_rsvp_buttons_with_the_viewers_answer(
    harness: Harness,
) -> None:
    h = harness
    now = h.clock.now()
    async with h.bot.db.session() as session:
        for n in range(30):  # more events than 50 blocks hold with buttons
            await rsvps.open_event(
                session,
                team_id=TEAM,
                event_key=f"talk:{n}",
                title=f"Talk {n}",
                channel_id="C0COMMUNITY",
                starts_at=now + timedelta(days=1, hours=n),
                message=None,
                now=now,
            )
    shown = await h.command("UMEM", "/community", "calendar 1")
    blocks = shown.json["blocks"]
    assert len(blocks) <= 50
    rows = rsvp_rows(blocks)
    assert 0 < len(rows) < 30  # the last lines lost their buttons, not the message
    assert rows[0] == ["Going", "Maybe", "Can't"]
    text = str(blocks)
    assert all(f"*Talk {n}*" in text for n in range(30))  # every line is still there

    # A click on "Going": recorded, and the calendar is redrawn with it ticked.
    message = {"ts": "1.000001", "channel": "C0COMMUNITY", "user": "UMEM", "blocks": blocks}
    h.slack.ephemeral_messages.append({**message, "is_ephemeral": True})
    await h.say.click("UMEM", {**message, "is_ephemeral": True}, "rsvp_going", value="talk:0")
    await h.slack.wait_for("response_url")
    answer = h.slack.calls_to("response_url")[-1].args
    assert answer["replace_original"] in (True, "true")
    assert rsvp_rows(answer["blocks"])[0] == ["✓ Going", "Maybe", "Can't"]
    assert "you: *Going*" in str(answer["blocks"])
    async with h.bot.db.session() as session:
        mine = await rsvps.answers_of(
            session, team_id=TEAM, user_id="UMEM", event_keys=["talk:0", "talk:1"]
        )
    assert mine == {"talk:0": "going"}

    # The Home tab's next five, with buttons and the answer.
    await h.say.event({"type": "app_home_opened", "user": "UMEM", "tab": "home", "channel": "D1"})
    await h.slack.wait_for("views.publish")
    home = str(h.slack.home_views["UMEM"])
    assert home.count("homersvp:talk:") == 5 and "✓ Going" in home
