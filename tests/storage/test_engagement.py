"""Engagement rows on the real databases: only bot posts count, retries and reordering are safe."""

from __future__ import annotations

from datetime import UTC, datetime

from activities import engagement
from activities.intents import IntentType
from storage import outbox
from storage.db import Database

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
TEAM, CHANNEL, TS = "T1", "C1", "1764576000.000100"
POST = IntentType("test.post")


async def bot_post(db: Database) -> None:
    async with db.session() as session:
        await outbox.enqueue(session, team_id=TEAM, intent=POST("k1"), now=NOW)
    async with db.session() as session:
        (row,) = await outbox.list_rows(session)
        assert row.id is not None
        await outbox.record_sent(session, row_id=row.id, channel_id=CHANNEL, ts=TS, now=NOW)


POSTED = engagement.Post(TEAM, CHANNEL, TS)


async def react(db: Database, user: str, name: str, *, added: bool, at: str, ts: str = TS) -> bool:
    post = engagement.Post(TEAM, CHANNEL, ts)
    async with db.session() as session:
        mark = engagement.Mark.reaction(post, user_id=user, name=name, present=added, at=at)
        return await engagement.record(session, mark, now=NOW)


async def stats(db: Database) -> engagement.PostStats:
    async with db.session() as session:
        return await engagement.stats(session, POSTED)


async def test_reactions_count_once_and_never_go_negative(db: Database) -> None:
    await bot_post(db)
    assert not await react(db, "U1", "tada", added=True, at="2.0", ts="9.9")  # not the bot's
    assert await react(db, "U1", "tada", added=True, at="2.0")
    assert not await react(db, "U1", "tada", added=True, at="2.0")  # the same event again
    # A removal that arrives before its addition: the later event (the removal) wins.
    assert not await react(db, "U2", "eyes", added=False, at="5.0")
    assert not await react(db, "U2", "eyes", added=True, at="4.0")
    assert await stats(db) == engagement.PostStats(reactions=1, replies=0)
    assert await react(db, "U1", "tada", added=False, at="3.0")
    assert not await react(db, "U1", "tada", added=False, at="3.5")
    assert await stats(db) == engagement.PostStats(reactions=0, replies=0)


async def test_replies_count_per_message_and_people_are_distinct(db: Database) -> None:
    await bot_post(db)

    async def reply(user: str, reply_ts: str, *, thread: str = TS, present: bool = True) -> bool:
        event_ts = reply_ts if present else "99.0"
        post = engagement.Post(TEAM, CHANNEL, thread)
        mark = engagement.Mark.reply(
            post, user_id=user, reply_ts=reply_ts, present=present, at=event_ts
        )
        async with db.session() as session:
            return await engagement.record(session, mark, now=NOW)

    assert await reply("U1", "10.0")
    assert await reply("U1", "11.0")
    assert await reply("U2", "12.0")
    assert not await reply("U3", TS)  # the post itself, not a reply
    assert not await reply("U3", "13.0", thread="8.8")  # a thread under someone else's message
    assert await reply("U2", "12.0", present=False)  # deleted
    await react(db, "U4", "bulb", added=True, at="1.0")
    assert await stats(db) == engagement.PostStats(reactions=1, replies=2)
    async with db.session() as session:
        everyone = await engagement.participants(session, POSTED)
        repliers = await engagement.participants(session, POSTED, replies_only=True)
    assert everyone == ["U1", "U4"] and repliers == ["U1"]
