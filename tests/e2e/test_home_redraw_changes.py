"""Changes made by someone else redraw a viewer's open Home tab, through the courier (a
`home.redraw` outbox row a person, sent as views.publish): an activity created, paused
or cancelled (the organisers' list), a poll opened or closed (the channel's members'
open polls), a coffee round started (its participants' current group), an RSVP given
outside the tab (the person's own answers)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlmodel import select

from bot.sandbox.server import DEFAULT_TEAM_ID as TEAM
from storage import rsvps
from storage.models import Activity, OutboxMessage, OutboxStatus
from tests.e2e.harness import ADMIN, Harness, eventually, reply_text
from tests.e2e.test_coffee import MEMBERS, run_round
from tests.e2e.test_coffee import setup as coffee_setup
from tests.e2e.test_home_redraw import home, open_home, publishes

CHANNEL = "C0COMMUNITY"
OPEN_POLLS = "Open polls you haven't voted in"


async def test_another_organisers_activity_changes_redraw_an_organisers_tab(
    harness: Harness,
) -> None:
    h = harness
    for user in ("UORG", "UMEM"):
        reply_text(await h.command(ADMIN, "/community", f"roles assign <@{user}> organiser"))
    await h.settle()
    await open_home(h, "UMEM")
    new = f"new coffee <#{CHANNEL}|community> --tz Europe/London"
    assert "✅" in reply_text(await h.command("UORG", "/community", new, channel_id=CHANNEL))
    await h.settle()
    async with h.bot.db.session() as session:
        (activity,) = (await session.exec(select(Activity))).all()
    await eventually(lambda: "home_activity_pause" in home(h, "UMEM"))
    assert publishes(h, "UMEM") == 2
    reply_text(await h.command("UORG", "/community", f"pause {activity.id}"))
    await h.settle()
    await eventually(lambda: "home_activity_resume" in home(h, "UMEM"))
    assert publishes(h, "UMEM") == 3
    reply_text(await h.command("UORG", "/community", f"cancel {activity.id}"))
    await h.settle()
    await eventually(lambda: publishes(h, "UMEM") == 4)
    assert "home_activity_resume" not in home(h, "UMEM")


async def test_a_poll_opened_and_closed_redraws_the_channel_members_tabs(
    harness: Harness,
) -> None:
    h = harness
    await open_home(h, "UMEM")
    assert OPEN_POLLS not in home(h, "UMEM")
    said = reply_text(await h.command("UORG", "/poll", '"Lunch?" "Yes" "No"', channel_id=CHANNEL))
    assert "✅" in said
    await h.settle()
    await eventually(lambda: "Lunch?" in home(h, "UMEM"))
    assert OPEN_POLLS in home(h, "UMEM") and publishes(h, "UMEM") == 2
    (message,) = [m for m in h.slack.messages(CHANNEL) if "Lunch?" in str(m.get("text"))]
    async with h.bot.db.session() as session:
        (row,) = (
            await session.exec(select(OutboxMessage).where(OutboxMessage.intent == "poll.post"))
        ).all()
    poll_id = row.payload["poll_id"]
    await h.say.click("UORG", message, "poll_menu", value=f"close:{poll_id}")
    await eventually(lambda: "Lunch?" not in home(h, "UMEM"))
    await h.settle()
    assert publishes(h, "UMEM") == 3


async def test_a_poll_answers_at_once_while_slack_is_slow_to_list_the_channels_members(
    harness: Harness,
) -> None:
    """Who is in the channel is read after the request, not inside it: /poll gets its
    real answer (not the slow listener's "Working on it…") while conversations.members
    hangs, and the tabs are redrawn once Slack answers."""
    h = harness
    await open_home(h, "UMEM")
    slow = h.slack.hold_next("conversations.members")
    command = h.command("UORG", "/poll", '"Lunch?" "Yes" "No"', channel_id=CHANNEL)
    said = reply_text(await asyncio.wait_for(command, 30))
    assert "✅" in said, said
    await asyncio.wait_for(slow.arrived.wait(), 10)
    assert "Lunch?" not in home(h, "UMEM")
    slow.release()
    await eventually(lambda: "Lunch?" in home(h, "UMEM"), 10)
    await h.settle()
    assert publishes(h, "UMEM") == 2


async def test_a_coffee_round_started_redraws_its_participants_tabs(harness: Harness) -> None:
    h = harness
    activity_id = await coffee_setup(h, MEMBERS[:3])
    await open_home(h, "UP1")
    assert "Your current group" not in home(h, "UP1")
    await run_round(h, activity_id)  # three members: one group, UP1 in it
    await eventually(lambda: "Your current group" in home(h, "UP1"), 10)
    await h.settle()
    assert publishes(h, "UP1") == 2


async def test_fifty_viewers_of_one_poll_are_each_redrawn_once_by_the_courier(
    harness: Harness,
) -> None:
    h = harness
    viewers = [f"UV{i:02d}" for i in range(50)]
    for user in viewers:
        h.slack.add_user(user, user.lower())
    h.slack.add_channel("C0FIFTY", "fifty", ["UORG", *viewers])
    await open_home(h, *viewers)
    await h.settle()
    courier = h.bot.services.courier
    before = courier.stats.calls.get("views.publish", 0)
    said = reply_text(await h.command("UORG", "/poll", '"Pizza?" "Yes" "No"', channel_id="C0FIFTY"))
    assert "✅" in said
    await h.settle()
    await eventually(lambda: all(publishes(h, u) == 2 for u in viewers))
    # All 50 went out as the courier's calls (rate-limited, retried), none in the request.
    assert courier.stats.calls.get("views.publish", 0) - before == 50
    async with h.bot.db.session() as session:
        rows = (
            await session.exec(select(OutboxMessage).where(OutboxMessage.intent == "home.redraw"))
        ).all()
    assert sorted(r.payload["user_id"] for r in rows) == viewers
    assert {r.status for r in rows} == {OutboxStatus.SENT}
    assert all("Pizza?" in home(h, u) for u in viewers)
    assert publishes(h, "UORG") == 0  # never opened the tab


async def test_an_rsvp_from_the_calendar_redraws_the_persons_open_tab(harness: Harness) -> None:
    h = harness
    async with h.bot.db.session() as session:
        await rsvps.open_event(
            session,
            team_id=TEAM,
            event_key="talk:7",
            title="Talk 7",
            channel_id=CHANNEL,
            starts_at=h.clock.now() + timedelta(days=1),
            message=None,
            now=h.clock.now(),
        )
    await open_home(h, "UMEM")
    assert "\\u2713 Going" not in home(h, "UMEM")
    shown = await h.command("UMEM", "/community", "calendar 1")
    blocks = shown.json["blocks"]
    message = {"ts": "1.000001", "channel": CHANNEL, "user": "UMEM", "blocks": blocks}
    h.slack.ephemeral_messages.append({**message, "is_ephemeral": True})
    await h.say.click("UMEM", {**message, "is_ephemeral": True}, "rsvp_going", value="talk:7")
    await eventually(lambda: "\\u2713 Going" in home(h, "UMEM"))
    await h.settle()
    assert publishes(h, "UMEM") == 2
