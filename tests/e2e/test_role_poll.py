"""A poll among a role's volunteers, end to end: refused with fewer than two volunteers and
while one is open; opened from the Home tab; posted in the home channel with one option a
volunteer; on its close the admins get the result with an "Appoint" button that goes
through the appointment (welcome DM, one winner)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.e2e.harness import ADMIN, Harness, eventually, reply_text

CHANNEL = "C0COMMUNITY"
POLL = 'roles poll "Book club host"'


def poll_message(h: Harness) -> dict[str, Any]:
    (message,) = [m for m in h.slack.messages(CHANNEL) if "Who should be our" in str(m)]
    return message


def results(h: Harness) -> list[dict[str, Any]]:
    return [m for m in h.slack.dm_messages(ADMIN) if "has closed" in str(m.get("text"))]


async def test_admins_poll_the_volunteers_and_appoint_the_winner(harness: Harness) -> None:
    h = harness
    h.slack.add_user("UVOL", "vic")
    h.slack.add_user("UVAL", "val")
    reply_text(await h.command(ADMIN, "/community", f"settings channel <#{CHANNEL}|community>"))
    reply_text(await h.command(ADMIN, "/community", 'roles new "Book club host"'))
    assert "Unknown role" in reply_text(await h.command(ADMIN, "/community", 'roles poll "Wizard"'))
    nobody = reply_text(await h.command(ADMIN, "/community", "roles poll organiser"))
    assert "no open call for volunteers for *Organiser*" in nobody
    await h.settle()
    call = h.slack.last_message(CHANNEL)
    await h.say.click("UVOL", call, "role_volunteer")
    await eventually(lambda: any("Thank you" in str(m) for m in h.slack.ephemerals_to("UVOL")))
    few = reply_text(await h.command(ADMIN, "/community", POLL))
    assert "at least two volunteers" in few and "has 1" in few
    assert "Only workspace admins" in reply_text(await h.command("UMEM", "/community", POLL))
    await h.say.click("UVAL", call, "role_volunteer")
    await eventually(lambda: any("Thank you" in str(m) for m in h.slack.ephemerals_to("UVAL")))

    # From the Home tab: "Waiting for you" counts two volunteers; Review shows each with
    # an Appoint button, and the poll button.
    await h.say.app_home_opened(ADMIN)
    await h.slack.wait_for("views.publish")
    assert "Volunteers for *Book club host*: *2*" in str(h.slack.home_views[ADMIN])
    (key,) = [
        b["accessory"]["value"]
        for b in h.slack.home_views[ADMIN]["blocks"]
        if b.get("accessory", {}).get("action_id") == "home_waiting"
    ]
    await h.say.click_home(ADMIN, "home_waiting", value=key)
    await h.slack.wait_for("views.publish", count=2)
    await h.say.click_home(ADMIN, "role_poll_open")
    await eventually(lambda: any("poll among 2 volunteers" in str(m) for m in _said(h)))
    await h.settle()
    poll = poll_message(h)
    assert "vic" in str(poll["blocks"]) and "val" in str(poll["blocks"])
    assert "A poll among them is open" in str(h.slack.home_views[ADMIN])
    again = reply_text(await h.command(ADMIN, "/community", POLL))
    assert "already open" in again

    await h.say.click("UMEM", poll, "poll_vote", value=_vote_value(poll, "val"))
    await h.say.click("UORG", poll, "poll_vote", value=_vote_value(poll, "val"))
    await eventually(lambda: len(h.slack.ephemerals_to("UORG")) >= 1)
    h.clock.advance(timedelta(days=3, minutes=1))
    await h.tick()
    await h.tick()
    await h.settle()
    await eventually(lambda: len(results(h)) == 1)
    # The admin's open tab no longer says a poll is open (redrawn when it was settled).
    assert "A poll among them is open" not in str(h.slack.home_views[ADMIN])
    (result,) = results(h)
    assert "val 2" in result["text"] and "vic 0" in result["text"]
    buttons = [e for b in result["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [b["text"]["text"] for b in buttons] == ["Appoint val"]
    await h.say.click(ADMIN, result, buttons[0]["action_id"], value=buttons[0]["value"])
    await eventually(lambda: any("Appointed <@UVAL>" in str(m) for m in _said(h)))
    await h.settle()
    await eventually(lambda: any("Welcome, you're now" in str(m) for m in _dms(h, "UVAL")))
    # The race rules still hold: the same button again changes nothing and says who won.
    await h.say.click(ADMIN, result, buttons[0]["action_id"], value=buttons[0]["value"])
    await eventually(lambda: any("already appointed <@UVAL>" in str(m) for m in _said(h)))
    log = reply_text(await h.command(ADMIN, "/community", "audit role"))
    assert "role.poll" in log and "role.poll_result" in log and "role.appoint" in log


def _said(h: Harness) -> list[dict[str, Any]]:
    """What the bot answered the admin: ephemerally to a click in a message, by DM to a
    click on the Home tab (it has no channel)."""
    return [*h.slack.ephemerals_to(ADMIN), *h.slack.dm_messages(ADMIN)]


def _dms(h: Harness, user: str) -> list[dict[str, Any]]:
    return h.slack.dm_messages(user)


def _vote_value(poll: dict[str, Any], label: str) -> str:
    for block in poll["blocks"]:
        button = block.get("accessory") or {}
        if button.get("action_id") == "poll_vote" and label in str(block["text"]):
            return str(button["value"])
    raise AssertionError(f"no vote button for {label}")
