"""Coffee pairings end to end: the real bot against the local fake Slack."""

from __future__ import annotations

import itertools
from datetime import timedelta

from sqlmodel import select

from bot.sandbox import Call
from storage.kinds.coffee.models import CoffeeCheckin
from storage.models import Activity, OutboxMessage, OutboxStatus
from tests.e2e.harness import ADMIN, Harness, eventually, reply_text

CHANNEL = "C0COFFEE"
MEMBERS = [f"UP{i}" for i in range(1, 10)]
ZONES = ["Europe/London", "Europe/Berlin", "America/New_York"]


async def setup(h: Harness, members: list[str]) -> int:
    for i, user in enumerate(members):
        h.slack.add_user(user, f"person{i}", tz=ZONES[i % 3], title=f"team{i % 2}")
    h.slack.add_user("UDEAD", "gone", deleted=True)
    h.slack.add_channel(CHANNEL, "coffee", [*members, "UDEAD"])
    said = reply_text(await h.command(ADMIN, "/community", "roles assign <@UORG> organiser"))
    assert "organiser until" in said
    said = reply_text(
        await h.command("UORG", "/community", f"new coffee <#{CHANNEL}|coffee> --tz Europe/London")
    )
    assert "✅" in said, said
    async with h.bot.db.session() as session:
        activity = (await session.exec(select(Activity))).one()
    assert activity.id is not None and activity.config["size"] == 2
    return activity.id


async def run_round(h: Harness, activity_id: int) -> list[tuple[str, ...]]:
    """`/community run`, then the tick that matches; the groups as conversations.open saw them."""
    before = len(h.slack.calls_to("conversations.open"))
    said = reply_text(await h.command("UORG", "/community", f"run {activity_id}"))
    assert "Running" in said, said
    await h.tick()
    await h.settle()
    calls = h.slack.calls_to("conversations.open")[before:]
    return [users_of(c) for c in calls]


def users_of(call: Call) -> tuple[str, ...]:
    users = call.args["users"]
    found = users.split(",") if isinstance(users, str) else [str(u) for u in users]
    return tuple(sorted(found))


def pairs(groups: list[tuple[str, ...]]) -> set[frozenset[str]]:
    return {frozenset(p) for g in groups for p in itertools.combinations(g, 2)}


def channel_texts(h: Harness, channel: str) -> list[str]:
    return [str(m.get("text", "")) for m in h.slack.messages(channel)]


async def test_rounds_pair_everyone_avoid_repeats_and_count_checkins(harness: Harness) -> None:
    h = harness
    activity_id = await setup(h, MEMBERS)

    first = await run_round(h, activity_id)
    assert sorted(u for g in first for u in g) == MEMBERS  # everyone exactly once
    assert sorted(len(g) for g in first) == [2, 2, 2, 3]
    assert any("9 people, 4 groups" in t for t in channel_texts(h, CHANNEL))
    assert h.slack.block_errors == []

    # A check-in halfway through the round; one member answers "we met".
    # (Friday 13:00 UTC: inside everyone's working hours, London, Berlin and New York.)
    h.clock.advance(timedelta(days=4))
    await h.tick()
    await h.settle()
    member = first[0][0]
    dm = next(
        c.response["channel"]["id"]
        for c in h.slack.calls_to("conversations.open")
        if c.response and users_of(c) == first[0]
    )
    checkin = next(m for m in h.slack.messages(dm) if "did you meet" in str(m.get("text")))
    response = await h.say.click(member, checkin, "coffee_checkin_met")
    assert response.status == 200

    async def recorded() -> bool:
        async with h.bot.db.session() as session:
            return len((await session.exec(select(CoffeeCheckin))).all()) == 1

    await eventually(recorded)

    # The round ends: the channel hears how many groups met.
    h.clock.advance(timedelta(days=4))
    await h.tick()
    await h.settle()
    assert any("1 of 4 groups met" in t for t in channel_texts(h, CHANNEL))

    # A paused member sits the next round out; nobody meets the same person twice.
    said = reply_text(await h.command("UP9", "/coffee", "pause 2w"))
    assert "Paused until" in said
    second = await run_round(h, activity_id)
    assert sorted(u for g in second for u in g) == MEMBERS[:-1]
    assert not pairs(first) & pairs(second)

    status = reply_text(await h.command("UP1", "/coffee"))
    assert "You're in" in status and "current group" in status
    assert "<@" in reply_text(await h.command("UP1", "/coffee", "history"))


async def test_a_one_member_channel_skips_with_a_notice(harness: Harness) -> None:
    h = harness
    activity_id = await setup(h, ["UP1"])
    opened = await run_round(h, activity_id)
    assert opened == [("UORG",)]  # only the organiser's notice
    notice = [
        c.args for c in h.slack.calls_to("chat.postMessage") if "skipped" in str(c.args["text"])
    ]
    assert len(notice) == 1 and "only 1 person" in str(notice[0]["text"])


async def test_one_refused_group_dm_fails_alone(harness: Harness) -> None:
    h = harness
    activity_id = await setup(h, MEMBERS)
    h.slack.fail_next("conversations.open", error="too_many_users")
    await run_round(h, activity_id)
    async with h.bot.db.session() as session:
        rows = (
            await session.exec(select(OutboxMessage).where(OutboxMessage.intent == "coffee.intro"))
        ).all()
    assert len(rows) == 4
    failed = [r for r in rows if r.status == OutboxStatus.FAILED]
    assert len(failed) == 1 and failed[0].last_error == "too_many_users"
    assert sum(r.status == OutboxStatus.SENT for r in rows) == 3
    assert any("9 people, 4 groups" in t for t in channel_texts(h, CHANNEL))


async def test_bad_input_gets_an_error_with_an_example(harness: Harness) -> None:
    h = harness
    await setup(h, MEMBERS[:3])
    cases = [
        ("/community", f"new coffee <#{CHANNEL}|coffee> --every 3d", "/community new coffee"),
        ("/community", f"new coffee <#{CHANNEL}|coffee> --tz Mars/Base", "IANA"),
        ("/community", f"new breakfast <#{CHANNEL}|coffee> --size 9", "--size"),
        ("/coffee", "pause", "/coffee pause 2w"),
        ("/coffee", "avoid <@UP1>", "yourself"),
        ("/coffee", "avoid <@UBOT>", "/coffee avoid"),
    ]
    for command, text, expected in cases:
        user = "UORG" if command == "/community" else "UP1"
        said = reply_text(await h.command(user, command, text))
        assert said.startswith("⚠️") and expected in said, (text, said)
    assert "won't be matched" in reply_text(await h.command("UP1", "/coffee", "avoid <@UP2>"))


async def test_home_tab_shows_coffee_and_its_buttons_work(harness: Harness) -> None:
    h = harness
    await setup(h, MEMBERS[:3])
    await h.say.app_home_opened("UP1")
    await h.slack.wait_for("views.publish")
    assert "you're in" in str(h.slack.home_views["UP1"])
    await h.say.click_home("UP1", "coffee_home_pause")
    await h.slack.wait_for("views.publish", count=2)
    assert "paused until" in str(h.slack.home_views["UP1"])
    assert "paused until" in reply_text(await h.command("UP1", "/coffee")).lower()


async def test_breakfast_from_the_modal(harness: Harness) -> None:
    from bot.sandbox import (
        channel_value,
        select_value,
        text_value,
        time_value,
    )

    h = harness
    h.slack.add_channel(CHANNEL, "coffee", MEMBERS[:4])
    reply_text(await h.command(ADMIN, "/community", "roles assign <@UORG> organiser"))
    response = await h.command("UORG", "/community", "new breakfast", channel_id=CHANNEL)
    assert response.status == 200
    await h.slack.wait_for("views.open")
    view = h.slack.opened_views[-1]
    assert view["callback_id"] == "community_form" and "breakfast" in view["private_metadata"]

    def form(zone: str) -> dict[str, dict[str, object]]:
        return {
            "channel": {"channel": channel_value(CHANNEL)},
            "every": {"every": select_value("2w")},
            "day": {"day": select_value("thu")},
            "time": {"time": time_value("08:30")},
            "timezone": {"timezone": text_value(zone)},
            "size": {"size": select_value("4")},
            "icebreakers": {"icebreakers": select_value("off")},
        }

    bad = await h.say.submit_view("UORG", view, form("Mars/Olympus"))
    assert bad.json["response_action"] == "errors" and "timezone" in bad.json["errors"]
    good = await h.say.submit_view("UORG", view, form("Asia/Tokyo"))
    assert good.status == 200 and not good.body
    # UORG is not in that channel, so the confirmation comes by DM instead.
    await h.slack.wait_for(
        "chat.postMessage", where=lambda c: "✅ Breakfast" in str(c.args.get("text"))
    )
    async with h.bot.db.session() as session:
        activity = (await session.exec(select(Activity))).one()
    assert (activity.kind, activity.channel_id, activity.timezone) == (
        "breakfast",
        CHANNEL,
        "Asia/Tokyo",
    )
    assert activity.schedule_rule.startswith("every:2w:thu:08:30")
    assert activity.config["size"] == 4 and activity.config["icebreakers"] is False
