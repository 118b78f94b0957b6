"""Topic discussions end to end: topics and votes in, the top one posted on schedule."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import select

from bot.sandbox import text_value
from storage.kinds.discussion.models import DiscussionTopic
from tests.e2e.harness import ADMIN, Harness, eventually, reply_text

CHANNEL = "C0TALK"
# "every other thursday 12:00" in Europe/Berlin (UTC+1 in December): Dec 3, 17, 31 at 11:00 UTC.
SLOTS = [datetime(2026, 12, d, 11, 0, tzinfo=UTC) for d in (3, 17, 31)]


def bot_texts(h: Harness) -> list[str]:
    return [str(m.get("text")) for m in h.slack.messages(CHANNEL) if m.get("bot_id")]


def blocks_text(message: dict[str, Any]) -> str:
    return json.dumps(message.get("blocks"), ensure_ascii=False)


def backlog_message(h: Harness) -> dict[str, Any]:
    found = [
        m
        for m in h.slack.messages(CHANNEL)
        if m.get("bot_id") and str(m.get("text")).startswith("Topic backlog")
    ]
    assert len(found) == 1, bot_texts(h)  # one message, kept up to date
    return found[0]


async def topic_ids(h: Harness) -> dict[str, int]:
    async with h.bot.db.session() as session:
        rows = (await session.exec(select(DiscussionTopic))).all()
    return {t.text: t.id for t in rows if t.id is not None}


async def topics(h: Harness, user: str, text: str) -> str:
    return reply_text(await h.command(user, "/community", f"topics {text}", channel_id=CHANNEL))


async def at(h: Harness, when: datetime) -> None:
    h.clock.set(when)
    await h.tick()
    await h.settle()


async def test_a_discussion_series_takes_topics_and_votes_and_posts_the_top_one(
    harness: Harness,
) -> None:
    h = harness
    h.slack.add_user("UM2", "ben", tz="Europe/Berlin")
    h.slack.add_user("UM3", "cy", tz="Europe/Berlin")
    h.slack.add_channel(CHANNEL, "talk", ["UORG", "UMEM", "UM2", "UM3"])
    reply_text(await h.command(ADMIN, "/community", "roles assign <@UORG> organiser"))
    said = reply_text(
        await h.command(
            "UORG",
            "/community",
            f'new discussion <#{CHANNEL}|talk> --every "every other thursday 12:00" '
            "--tz Europe/Berlin",
        )
    )
    assert "✅ Topic discussion" in said, said

    # Topics: by command, by the backlog's "Suggest a topic" button; a duplicate refused.
    assert "Added topic" in await topics(h, "UMEM", 'add "How do you review big PRs?"')
    await h.settle()
    await h.say.click("UM2", backlog_message(h), "discussion_suggest")
    await eventually(lambda: bool(h.slack.opened_views))
    view = h.slack.opened_views[-1]
    done = await h.say.submit_view("UM2", view, {"topic": {"topic": text_value("Monorepos?")}})
    assert done.status == 200 and not done.body
    assert "Added topic" in await topics(h, "UM3", 'add "Pairing remotely"')
    await h.say.app_home_opened("UMEM")  # the Home tab offers the same button
    await h.slack.wait_for("views.publish")
    await h.say.click_home("UMEM", "discussion_suggest")
    await eventually(lambda: len(h.slack.opened_views) == 2)
    assert h.slack.opened_views[-1]["callback_id"] == "discussion_suggest_view"
    dup = await topics(h, "UM3", 'add "how do you review big PRs"')
    assert dup.startswith("⚠️") and "already in the backlog" in dup
    assert "Added topic" in await topics(h, "UM3", 'add "Tabs or spaces"')
    ids = await topic_ids(h)
    refused = await topics(h, "UMEM", f"withdraw {ids['Tabs or spaces']}")
    assert "Only the member who suggested" in refused
    assert "withdrawn" in await topics(h, "UM3", f"withdraw {ids['Tabs or spaces']}")

    # Upvotes on the backlog message: one per member per topic.
    h.clock.advance(timedelta(seconds=2))  # updates of one message are coalesced
    await h.settle()
    for user, topic in (
        ("UORG", "Monorepos?"),
        ("UM3", "Monorepos?"),
        ("UMEM", "Pairing remotely"),
    ):
        await h.say.click(user, backlog_message(h), "discussion_upvote", value=str(ids[topic]))
    await h.say.click("UM3", backlog_message(h), "discussion_upvote", value=str(ids["Monorepos?"]))
    await eventually(
        lambda: any("already upvoted" in str(m.get("text")) for m in h.slack.ephemerals_to("UM3"))
    )
    await h.settle()

    async def shows_votes() -> bool:
        h.clock.advance(timedelta(seconds=2))  # updates of one message are coalesced
        await h.settle()
        return "*2 votes* · Monorepos?" in blocks_text(backlog_message(h))

    await eventually(shows_votes)
    assert "Tabs or spaces" not in blocks_text(backlog_message(h))

    # The slot: the top topic (most votes) is posted crediting its proposer, who is asked
    # by DM to open the thread; the topic moves to the archive.
    await at(h, datetime(2026, 12, 1, 11, 0, tzinfo=UTC))
    assert not any("backlog has" in t for t in bot_texts(h))  # three topics: no need to ask
    await at(h, SLOTS[0])
    prompt = next(m for m in h.slack.messages(CHANNEL) if str(m.get("text")).startswith("Today's"))
    assert prompt["text"] == "Today's topic: Monorepos?"
    assert "Suggested by <@UM2>" in blocks_text(prompt)
    await eventually(
        lambda: any("open the thread" in str(m.get("text")) for m in h.slack.dm_messages("UM2"))
    )
    archived = await topics(h, "UMEM", f"vote {ids['Monorepos?']}")
    assert archived.startswith("⚠️") and "already discussed" in archived

    # People talk in the thread; the next day one line under the prompt says how it went.
    await h.say.reply("UM2", prompt, "We split ours last year")
    await h.say.reply("UMEM", prompt, "Never again")
    await h.say.reply("UMEM", prompt, "Well, maybe")
    await h.say.reply("UM2", prompt, "Deleted soon")
    reply_ts = h.slack.messages(CHANNEL)[-1]["ts"]
    deleted = {
        "type": "message",
        "subtype": "message_deleted",
        "channel": CHANNEL,
        "deleted_ts": reply_ts,
        "hidden": True,
        "previous_message": {"user": "UM2", "ts": reply_ts, "thread_ts": prompt["ts"]},
    }
    assert (await h.say.event(deleted)).status == 200
    await h.say.reaction("UM3", prompt, "eyes")
    await at(h, datetime(2026, 12, 4, 11, 0, tzinfo=UTC))
    thread = [
        m
        for m in h.slack.messages(CHANNEL)
        if m.get("bot_id") and m.get("thread_ts") == prompt["ts"] and m["ts"] != prompt["ts"]
    ]
    assert [m["text"] for m in thread] == ["3 people took part, 3 replies"]
    assert "|Monorepos?> — 3 replies" in await topics(h, "UMEM", "archive")
    assert "|Monorepos?> — 3 replies" in blocks_text(backlog_message(h))

    # Low backlog: an organiser removes a topic, one is left; two days before the slot the
    # channel is asked for more, then the last one is posted.
    assert "removed" in await topics(h, "UORG", f"remove {ids['How do you review big PRs?']}")
    assert "Only organisers" in await topics(h, "UMEM", f"remove {ids['Pairing remotely']}")
    await at(h, datetime(2026, 12, 14, 11, 0, tzinfo=UTC))
    assert not any("backlog has" in t for t in bot_texts(h))
    await at(h, datetime(2026, 12, 15, 11, 0, tzinfo=UTC))
    assert sum("backlog has only 1 topic" in t for t in bot_texts(h)) == 1
    await at(h, SLOTS[1])
    assert bot_texts(h).count("Today's topic: Pairing remotely") == 1

    # Nothing left: asked again, then the slot is skipped and the organisers are told.
    await at(h, datetime(2026, 12, 29, 11, 0, tzinfo=UTC))
    assert any("backlog has no topics" in t for t in bot_texts(h))
    await at(h, SLOTS[2])
    prompts = [t for t in bot_texts(h) if t.startswith("Today's topic")]
    assert len(prompts) == 2
    await eventually(
        lambda: any("skipped this slot" in str(m.get("text")) for m in h.slack.dm_messages("UORG"))
    )
    assert h.slack.block_errors == []
