"""Advent of learning end to end: the real bot against the local Slack, the clock moved."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import select

from bot.sandbox import radio_value, text_value
from storage.engagement import Engagement
from storage.kinds.advent.models import AdventEntry
from storage.models import Activity
from tests.e2e.harness import ADMIN, Harness, eventually, reply_text

CHANNEL = "C0ADVENT"
MEMBERS = ["UMEM", "UM2", "UM3"]
# Europe/Berlin is UTC+1 all December: 09:00 there is 08:00 UTC.
NINE_IN_BERLIN = timedelta(hours=8)


def day_at(day: int, month: int = 12) -> datetime:
    return datetime(2026, month, day, tzinfo=UTC) + NINE_IN_BERLIN


async def setup(h: Harness, *, days: int = 6) -> int:
    h.slack.add_user("UM2", "ben", tz="Europe/Berlin")
    h.slack.add_user("UM3", "cy", tz="Europe/Berlin")
    h.slack.add_channel(CHANNEL, "advent", ["UORG", *MEMBERS])
    assert "organiser until" in reply_text(
        await h.command(ADMIN, "/community", "roles assign <@UORG> organiser")
    )
    said = reply_text(
        await h.command(
            "UORG",
            "/community",
            f"new advent <#{CHANNEL}|advent> --from 2026-12-01 --to 2026-12-{days:02d} "
            "--time 09:00 --tz Europe/Berlin",
        )
    )
    assert "✅" in said and f"{days} daily posts" in said, said
    async with h.bot.db.session() as session:
        activity = (await session.exec(select(Activity).where(Activity.kind == "advent"))).one()
    assert activity.id is not None
    return activity.id


async def open_modal(h: Harness, user: str, text: str) -> dict[str, Any]:
    before = len(h.slack.opened_views)
    response = await h.command(user, "/community", text, channel_id=CHANNEL)
    assert response.status == 200 and not response.body, response.body
    await eventually(lambda: len(h.slack.opened_views) > before)
    return h.slack.opened_views[-1]


async def contribute(h: Harness, user: str, tip: str, *, anonymous: bool = False) -> Any:
    view = await open_modal(h, user, "advent contribute")
    assert view["callback_id"] == "advent_contribute_view"
    values = {
        "tip": {"tip": text_value(tip)},
        "link": {"link": text_value("")},
        "credit": {"credit": radio_value("anonymous" if anonymous else "credit")},
    }
    return await h.say.submit_view(user, view, values)


async def entries(h: Harness) -> list[AdventEntry]:
    async with h.bot.db.session() as session:
        return list((await session.exec(select(AdventEntry).order_by(AdventEntry.id))).all())  # type: ignore[arg-type]


def day_posts(h: Harness) -> list[dict[str, Any]]:
    return [
        m
        for m in h.slack.messages(CHANNEL)
        if m.get("bot_id") and str(m.get("text", "")).startswith("Day ")
    ]


def dm_texts(h: Harness, user: str) -> list[str]:
    return [json.dumps(m.get("blocks")) + str(m.get("text")) for m in h.slack.dm_messages(user)]


async def at(h: Harness, when: datetime) -> None:
    h.clock.set(when)
    await h.tick()
    await h.settle()


async def test_an_advent_run_from_entries_posts_once_a_day_counts_reactions_and_recaps(
    harness: Harness,
) -> None:
    h = harness
    await setup(h)

    # Organisers' bulk entries: a bad line refuses them all, then three go in.
    view = await open_modal(h, "UORG", "advent add")
    too_long = "x" * 1501
    refused = await h.say.submit_view(
        "UORG", view, {"entries": {"entries": text_value(f"Fine tip\n{too_long}")}}
    )
    assert refused.json["response_action"] == "errors"
    assert "Line 2" in refused.json["errors"]["entries"]
    assert await entries(h) == []
    bulk = "Use `git bisect` | https://example.com/bisect\nName your branches\nWrite the test first"
    ok = await h.say.submit_view("UORG", view, {"entries": {"entries": text_value(bulk)}})
    assert ok.status == 200 and not ok.body

    # Two members contribute: one credited (approved), one anonymous (returned).
    assert (await contribute(h, "UMEM", "Read the error message twice")).status == 200
    assert (await contribute(h, "UM2", "Tabs", anonymous=True)).status == 200
    queued = await entries(h)
    assert [e.status for e in queued] == ["approved"] * 3 + ["pending"] * 2
    mine, theirs = queued[3], queued[4]
    assert theirs.anonymous and not mine.anonymous

    # The organiser's Home counts them under "Waiting for you"; Review lists them.
    await h.say.app_home_opened("UORG")
    await h.slack.wait_for("views.publish")
    assert "Advent tips to review: *2*" in json.dumps(h.slack.home_views["UORG"])
    assert "advent_approve" not in json.dumps(h.slack.home_views["UORG"])
    await h.say.click_home("UORG", "home_waiting", value="advent_tips")
    await h.slack.wait_for("views.publish", count=2)
    stale_home = copy.deepcopy(h.slack.home_views["UORG"])
    await h.say.click_home("UORG", "advent_approve", value=str(mine.id))
    await eventually(lambda: any("was approved" in t for t in dm_texts(h, "UMEM")))
    await h.slack.wait_for("views.publish", count=3)
    # The redraw keeps the list open, one fewer.
    assert "Advent tips to review: *1*" in json.dumps(h.slack.home_views["UORG"])
    await h.say.click_home("UORG", "advent_return", value=str(theirs.id))
    await eventually(lambda: h.slack.opened_views[-1]["callback_id"] == "advent_return_view")
    note_view = h.slack.opened_views[-1]
    await h.say.submit_view("UORG", note_view, {"note": {"note": text_value("Say why tabs")}})
    await eventually(lambda: any("Say why tabs" in t for t in dm_texts(h, "UM2")))
    # Approving twice (a stale Home tab) changes nothing and says so.
    await h.say.click_view("UORG", stale_home, "advent_approve", value=str(mine.id))
    await eventually(lambda: any("already approved" in t for t in dm_texts(h, "UORG")))

    # Day 1, at 09:00 Berlin; a second tick the same minute posts nothing more.
    await at(h, day_at(1) - timedelta(minutes=1))
    assert day_posts(h) == []
    await at(h, day_at(1))
    await at(h, day_at(1) + timedelta(minutes=1))
    (first,) = day_posts(h)
    assert first["text"].startswith("Day 1 of 6: Use `git bisect`")
    assert "Contribute a tip" in json.dumps(first["blocks"])

    # Reactions and replies, as Slack sends them: a retried event, a duplicate, a removal,
    # a removal that arrives before its addition, a reply elsewhere (ignored).
    said = h.say
    assert (await said.reaction("UMEM", first, "tada", event_id="EvTADA1")).status == 200
    assert (
        await said.reaction("UMEM", first, "tada", event_id="EvTADA1", retry_num=1)
    ).status == 200
    await said.reaction("UMEM", first, "tada")
    await said.reaction("UM2", first, "bulb", event_ts="1800000001.000001")
    await said.reaction("UM2", first, "bulb", added=False, event_ts="1800000002.000001")
    await said.reaction("UM3", first, "eyes", added=False, event_ts="1800000004.000001")
    await said.reaction("UM3", first, "eyes", event_ts="1800000003.000001")
    await said.reaction("UM3", first, "heart")
    await said.reply("UMEM", first, "I bisected a flaky test last week")
    await said.reply("UM2", first, "Also try git log -S")
    await said.reply("UM2", first, "And git blame -w")
    members_message = h.slack.add_message(CHANNEL, "UM3", "not the bot's")
    await said.reply("UMEM", members_message, "a reply under a member's message")

    async def counted() -> bool:
        async with h.bot.db.session() as session:
            rows = (await session.exec(select(Engagement))).all()
        return len(rows) == 7  # tada, bulb, eyes, heart and three replies

    await eventually(counted)

    # Day 2 looks back at day 1; the bot restarts before day 3.
    await at(h, day_at(2))
    assert [p["text"][:12] for p in day_posts(h)] == ["Day 1 of 6: ", "Day 2 of 6: "]
    assert "Yesterday: 2 reactions, 3 replies" in json.dumps(day_posts(h)[1]["blocks"])
    assert not any("Day 5" in t for t in dm_texts(h, "UORG"))
    await h.restart()

    # Day 3: two days ahead, day 5 has no entry (bulk 3 + one approved = days 1-4): the
    # organisers hear about it with a button, and add one for that day.
    await at(h, day_at(3))
    assert len(day_posts(h)) == 3
    assert day_posts(h)[2]["text"].startswith("Day 3 of 6: Write the test first")
    gap = next(m for m in h.slack.dm_messages("UORG") if "Day 5" in str(m.get("text")))
    await h.say.click("UORG", gap, "advent_add_for_day")
    await eventually(lambda: h.slack.opened_views[-1]["callback_id"] == "advent_entries_view")
    pinned = await h.say.submit_view(
        "UORG", h.slack.opened_views[-1], {"entries": {"entries": text_value("Pair on reviews")}}
    )
    assert pinned.status == 200 and not pinned.body
    said_text = reply_text(
        await h.command("UORG", "/community", 'advent add "Keep a til.md | https://x.test/til"')
    )
    assert "Added 1 entry" in said_text

    # Day 4's tick is missed (the bot was down at 09:00): posted once, late, saying so.
    await at(h, day_at(4) + timedelta(hours=3))
    fourth = day_posts(h)[3]
    assert fourth["text"].startswith("Day 4 of 6: Read the error message twice")
    assert "Posted late" in json.dumps(fourth["blocks"])
    assert "<@UMEM>" in json.dumps(fourth["blocks"])  # credited, as asked
    assert not any("Day 6" in t for t in dm_texts(h, "UORG"))  # day 6 was filled in time

    await at(h, day_at(5))
    await at(h, day_at(6))
    await at(h, day_at(6) + timedelta(hours=1))
    posts = day_posts(h)
    assert [p["text"].split(":")[0] for p in posts] == [f"Day {n} of 6" for n in range(1, 7)]
    assert posts[4]["text"].startswith("Day 5 of 6: Pair on reviews")
    assert posts[5]["text"].startswith("Day 6 of 6: Keep a til.md")

    # The last day's recap: every day linked, the most reacted first, contributors thanked.
    recap = h.slack.last_message(CHANNEL)
    body = json.dumps(recap["blocks"], ensure_ascii=False)
    assert "the recap" in body
    for n in range(1, 7):
        assert f"|Day {n}>" in body
    assert f"/archives/{CHANNEL}/p{first['ts'].replace('.', '')}|Day 1> — 2 reactions" in body
    assert "<@UMEM>" in body and "<@UM2>" not in body
    async with h.bot.db.session() as session:
        run = (await session.exec(select(Activity).where(Activity.kind == "advent"))).one()
    assert run.state == "finished"

    # Late joiners ask for it any time.
    late = await h.command("UM3", "/community", "advent recap", channel_id=CHANNEL)
    assert "|Day 6>" in json.dumps(late.json["blocks"])
    # The day posts' "Contribute a tip" button still opens the form, but the run is over.
    before = len(h.slack.opened_views)
    await h.say.click("UM3", first, "advent_contribute")
    await eventually(lambda: len(h.slack.opened_views) > before)
    values = {
        "tip": {"tip": text_value("Too late?")},
        "credit": {"credit": radio_value("credit")},
    }
    ended = await h.say.submit_view("UM3", h.slack.opened_views[-1], values)
    assert "finished; it takes no more entries" in json.dumps(ended.json)
    assert h.slack.block_errors == []


async def test_advent_refuses_bad_input_and_saves_nothing(harness: Harness) -> None:
    h = harness
    h.slack.add_channel(CHANNEL, "advent", ["UORG", *MEMBERS])
    reply_text(await h.command(ADMIN, "/community", "roles assign <@UORG> organiser"))
    new = f"new advent <#{CHANNEL}|advent> --tz Europe/Berlin"
    for flags, expected in (
        ("--from 2026-12-10 --to 2026-12-01", "before the start"),
        ("--from 2026-12-01 --to 2027-03-01", "the longest is 60"),
        ("--from 2026-12-01 --time 25:00", "24-hour time"),
        ("--from 2026-11-01", "starts in the past"),
    ):
        said = reply_text(await h.command("UORG", "/community", f"{new} {flags}"))
        assert said.startswith("⚠️") and expected in said, (flags, said)
    async with h.bot.db.session() as session:
        assert (await session.exec(select(Activity))).all() == []

    said = reply_text(await h.command("UORG", "/community", f"{new} --preset christmas"))
    assert "12 daily posts, 25 Dec – 05 Jan" in said, said
    empty = reply_text(await h.command("UORG", "/community", 'advent add "  "'))
    assert "at least one entry" in empty
    assert "Added 1 entry" in reply_text(await h.command("UORG", "/community", "advent add Mulled"))
    plan = reply_text(await h.command("UORG", "/community", "advent entries"))
    assert "Day 1 (Fri 25 Dec) entry 1: Mulled" in plan and "Day 2 (Sat 26 Dec) — _no" in plan
    pinned = reply_text(await h.command("UORG", "/community", "advent pin 1 2027-01-05"))
    assert "pinned to Tue 05 Jan" in pinned
    refused = reply_text(await h.command("UMEM", "/community", "advent pin 1 2026-12-25"))
    assert refused.startswith("⚠️ Only organisers")

    long_tip = await contribute(h, "UMEM", "y" * 1501)
    assert "limit is 1500" in long_tip.json["errors"]["tip"]
    for n in range(3):
        assert (await contribute(h, "UMEM", f"tip {n}")).status == 200
    capped = await contribute(h, "UMEM", "one too many")
    assert "the limit is 3" in capped.json["errors"]["tip"]
    assert [e.status for e in await entries(h)] == ["approved"] + ["pending"] * 3


async def test_an_organisers_csv_file_imports_good_rows_and_lists_bad_ones(
    harness: Harness,
) -> None:
    h = harness
    await setup(h)
    csv_file = (
        b"tip,link\n"
        b"Use git bisect,https://example.com/bisect\n"
        b",https://example.com/empty\n"
        b'"Name things, then rename them",\n'
        b"Read the docs,ftp://nope\n"
        b"Write it down\n"
    )
    # A member's file, and a picture, are not entries: nothing happens.
    await h.say.file_shared(h.slack.add_file("UMEM", CHANNEL, "tips.csv", csv_file, filetype="csv"))
    await h.say.file_shared(
        h.slack.add_file("UORG", CHANNEL, "cat.png", b"\x89PNG", filetype="png")
    )
    await h.say.file_shared(h.slack.add_file("UORG", CHANNEL, "tips.csv", csv_file, filetype="csv"))

    def told() -> list[str]:
        return [str(m.get("text")) for m in h.slack.ephemerals_to("UORG")]

    await eventually(lambda: any("Imported" in t for t in told()))
    (said,) = [t for t in told() if "Imported" in t]
    assert said.startswith("📥 Imported 3 entries from tips.csv. 2 rows were not imported")
    assert "Line 3: An entry needs a tip" in said and "Line 5: A link starts with" in said
    assert [(e.text, e.link) for e in await entries(h)] == [
        ("Use git bisect", "https://example.com/bisect"),
        ("Name things, then rename them", ""),
        ("Write it down", ""),
    ]
    assert not any("Imported" in str(m.get("text")) for m in h.slack.ephemerals_to("UMEM"))
