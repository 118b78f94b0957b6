"""The courier on a real database and the local Slack over loopback: a row that waited
for a send slot checks its claim inside the slot, just before its call, and spends no rate
token while every slot is busy; a claim lost before a quiet-hours hold is not counted."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from activities.clock import ManualClock
from activities.intents import Intent
from bot.clients import ClientProvider
from bot.delivery import LEASE, Courier, Delivery, Post, Renderer
from bot.directory import SlackDirectory
from bot.ratelimit import RateLimiter
from bot.sandbox import FakeSlack
from bot.sandbox.server import Gate
from bot.settings import load_settings
from storage import members, outbox
from storage.db import Database
from storage.models import MemberBase, OutboxMessage, OutboxStatus

NOW = datetime(2026, 11, 30, 13, 0, tzinfo=UTC)
TEAM = "T0001"


Render = Callable[[AsyncSession, OutboxMessage], Awaitable[Delivery]]


async def _post(session: AsyncSession, row: OutboxMessage) -> Delivery:
    return Post(text=row.dedupe_key, channel="C0COMMUNITY")


async def _dm(session: AsyncSession, row: OutboxMessage) -> Delivery:
    return Post(text=row.dedupe_key, users=("UTOKYO",))


def clients_for(slack: FakeSlack) -> ClientProvider:
    env = {
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": "secret",
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": "sqlite:///./unused.db",
    }
    return ClientProvider(load_settings(env, env_file=None))


def courier_for(
    db: Database,
    slack: FakeSlack,
    render: Render = _post,
    *,
    clock: ManualClock | None = None,
    **options: Any,
) -> Courier:
    clock = clock or ManualClock(NOW)
    return Courier(db, clients_for(slack), clock, {"x": Renderer(render)}, **options)


@asynccontextmanager
async def one_slot_held(
    db: Database, limiter: RateLimiter, leases: ManualClock
) -> AsyncIterator[tuple[FakeSlack, Gate, asyncio.Task[int]]]:
    """A courier with one send slot and two rows: the first one's call is held by Slack
    while the second waits for the slot."""
    async with FakeSlack() as slack:
        slack.add_user("UADMIN", "admin")
        slack.add_channel("C0COMMUNITY", "community", ["UADMIN"])
        courier = courier_for(db, slack, limiter=limiter, concurrency=1, lease_clock=leases)
        async with db.session() as session:
            for key in ("first", "second"):
                await outbox.enqueue(session, team_id=TEAM, intent=Intent("x", key), now=NOW)
        held = slack.hold_next("chat.postMessage")
        sends = asyncio.create_task(courier.drain_once())
        await asyncio.wait_for(held.arrived.wait(), 10)
        await asyncio.sleep(0.1)  # the second row is past the limiter, before the slot
        yield slack, held, sends


def posted(slack: FakeSlack) -> list[str]:
    return [str(c.args.get("text")) for c in slack.calls_to("chat.postMessage")]


async def test_a_row_whose_lease_lapsed_while_it_waited_for_a_slot_is_not_sent(
    db: Database,
) -> None:
    leases = ManualClock(NOW)
    async with one_slot_held(db, RateLimiter(), leases) as (slack, held, sends):
        # No renewal (no heartbeat here): both claims lapse while the first call is held.
        leases.advance(LEASE)
        held.release()
        await asyncio.wait_for(sends, 10)
        assert posted(slack) == ["first"]
    async with db.session() as session:
        rows = {r.dedupe_key: r for r in await outbox.list_rows(session)}
    assert rows["first"].status == OutboxStatus.SENT
    assert rows["second"].status == OutboxStatus.SENDING  # left to whoever takes it over


async def test_no_rate_token_is_spent_while_every_slot_is_busy(db: Database) -> None:
    # Two tokens and no refill (the limiter's clock stands still).
    limiter = RateLimiter(scale=0.01, burst_seconds=20, monotonic=lambda: 0.0)
    async with one_slot_held(db, limiter, ManualClock(NOW)) as (slack, held, sends):
        # The first row spent one; the second gave its back when it found no free slot.
        assert limiter.delay_for(TEAM, "chat.postMessage") == 0
        limiter.give_back(TEAM, "chat.postMessage")
        held.release()
        await asyncio.wait_for(sends, 10)
        assert posted(slack) == ["first", "second"]


async def test_a_hold_whose_claim_was_taken_over_meanwhile_is_not_counted(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    async with FakeSlack() as slack:
        # 13:00 UTC is 22:00 in Tokyo: the DM is to be held.
        taken: list[str] = []

        async def profiles(team_id: str, users: Sequence[str], read: object) -> None:
            # While the profiles are read, the claim lapses and another courier takes it.
            async with db.session() as session:
                profile = MemberBase(team_id=TEAM, user_id="UTOKYO", timezone="Asia/Tokyo")
                await members.upsert_member(session, profile=profile, now=NOW)
                rows = await outbox.claim_due(
                    session, now=NOW, limit=1, lease=LEASE, lease_now=NOW + timedelta(hours=1)
                )
            taken.extend(r.claim_token for r in rows)

        courier = courier_for(db, slack, _dm, profiles=profiles, lease_clock=ManualClock(NOW))
        async with db.session() as session:
            await outbox.enqueue(session, team_id=TEAM, intent=Intent("x", "dm"), now=NOW)
        with caplog.at_level(logging.INFO, logger="bot.delivery"):
            await courier.drain_once()
    assert len(taken) == 1 and courier.stats.held == 0
    assert "row held for quiet hours" not in caplog.text
    assert "claim was taken over" in caplog.text
    async with db.session() as session:
        (row,) = await outbox.list_rows(session)
    assert row.claim_token == taken[0] and row.held_until is None  # the new holder's


async def test_quiet_hours_read_zones_in_the_couriers_turn_and_keep_the_last_on_error(
    db: Database,
) -> None:
    async with FakeSlack() as slack:
        slack.add_user("UTOKYO", "aiko", tz="Asia/Tokyo")  # 13:00 UTC is 22:00 there
        clock = ManualClock(NOW)
        directory = SlackDirectory(db, clients_for(slack), clock)
        courier = courier_for(db, slack, _dm, clock=clock, profiles=directory.refresh_zones)
        async with db.session() as session:
            await outbox.enqueue(session, team_id=TEAM, intent=Intent("x", "dm"), now=NOW)
        await courier.drain_once()
        # The unknown zone was read through the courier's limiter (counted there) and used.
        assert courier.stats.calls == {"users.info": 1} and courier.stats.held == 1
        async with db.session() as session:
            member = await members.get_member(session, team_id=TEAM, user_id="UTOKYO")
        assert member is not None and member.timezone == "Asia/Tokyo"
        async with db.session() as session:
            (first,) = await outbox.list_rows(session)
            assert first.id is not None
            await outbox.record_sent(session, row_id=first.id, channel_id="D1", ts="1", now=NOW)

        # Stale a day later, and Slack answers 429: the courier does not sleep on it, and
        # the zone as last read will do.
        clock.advance(timedelta(days=1))
        slack.rate_limit_next("users.info", retry_after=30)
        async with db.session() as session:
            intent = Intent("x", "dm2")
            await outbox.enqueue(session, team_id=TEAM, intent=intent, now=clock.now())
        await asyncio.wait_for(courier.drain_once(), 5)
        assert courier.stats.calls == {"users.info": 2} and courier.stats.held == 2
        assert [c.status for c in slack.calls_to("users.info")] == [200, 429]
