"""`Runtime.next_due`: the moment the shell's clock jumps to is the next thing due.

Each case sets up dated work, asks the running bot when it next has anything to do, and
checks the answer against what a tick does a minute before and at that moment. A task
whose next-due answer stopped reaching the runtime (or came too late) would let the
clock jump over its work: these fail then.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlmodel import select

from storage import outbox
from storage.kinds.coffee.models import CoffeeRound
from storage.kinds.poll.models import Poll
from storage.models import RoleTerm
from tests.e2e.harness import ADMIN, Harness, reply_text

CHANNEL = "C0COMMUNITY"
A_MINUTE = timedelta(minutes=1)


def posted_with(h: Harness, fragment: str) -> int:
    return sum(fragment in str(c.args) for c in h.slack.calls_to("chat.postMessage"))


async def tick_at(h: Harness, moment: datetime) -> None:
    h.clock.set(moment)
    await h.tick()
    await h.settle()


async def jump_towards(h: Harness, moment: datetime) -> datetime | None:
    """Tick at each next-due moment before `moment` (midnights: the terms' daily look);
    the first one not before it."""
    found = await h.bot.next_due()
    while found is not None and found < moment:
        await tick_at(h, found)
        found = await h.bot.next_due()
    return found


async def test_a_polls_reminder_and_deadline_are_the_next_moments_due(harness: Harness) -> None:
    h = harness
    said = reply_text(
        await h.command("UMEM", "/poll", '"Pick one" "A" "B" --closes 3h', channel_id=CHANNEL)
    )
    assert "✅" in said, said
    await h.settle()
    async with h.bot.db.session() as session:
        poll = (await session.exec(select(Poll))).one()
    assert poll.closes_at is not None

    reminder_at = poll.closes_at - timedelta(hours=1)
    assert await jump_towards(h, reminder_at) == reminder_at
    await tick_at(h, reminder_at - A_MINUTE)
    assert posted_with(h, "Last call") == 0
    await tick_at(h, reminder_at)
    assert posted_with(h, "Last call") == 1

    assert await jump_towards(h, poll.closes_at) == poll.closes_at
    await tick_at(h, poll.closes_at - A_MINUTE)
    async with h.bot.db.session() as session:
        assert (await session.exec(select(Poll))).one().closed_at is None
    await tick_at(h, poll.closes_at)
    async with h.bot.db.session() as session:
        assert (await session.exec(select(Poll))).one().closed_at is not None


async def test_a_coffee_rounds_check_in_is_the_next_moment_due(harness: Harness) -> None:
    h = harness
    assert "organiser until" in reply_text(
        await h.command(ADMIN, "/community", "roles assign <@UORG> organiser")
    )
    said = reply_text(await h.command("UORG", "/community", f"new coffee <#{CHANNEL}|community>"))
    assert "✅" in said, said
    assert "Running" in reply_text(await h.command("UORG", "/community", "run 1"))
    await h.tick()
    await h.settle()
    async with h.bot.db.session() as session:
        rnd = (await session.exec(select(CoffeeRound))).one()
    assert rnd.checkin_at is not None and rnd.checkin_sent_at is None

    assert await jump_towards(h, rnd.checkin_at) == rnd.checkin_at
    await tick_at(h, rnd.checkin_at - A_MINUTE)
    async with h.bot.db.session() as session:
        assert (await session.exec(select(CoffeeRound))).one().checkin_sent_at is None
    await tick_at(h, rnd.checkin_at)
    async with h.bot.db.session() as session:
        assert (await session.exec(select(CoffeeRound))).one().checkin_sent_at is not None


async def test_a_terms_reminder_window_is_the_next_moment_due(harness: Harness) -> None:
    h = harness
    assert "organiser until" in reply_text(
        await h.command(ADMIN, "/community", "roles assign <@UORG> organiser")
    )
    async with h.bot.db.session() as session:
        term = (await session.exec(select(RoleTerm))).one()
    window = datetime.combine(term.ends_on - timedelta(days=30), time(0), tzinfo=UTC)

    assert await jump_towards(h, window) == window
    await tick_at(h, window - A_MINUTE)
    assert await asked_to_rotate(h) == 0
    await tick_at(h, window)
    # Asked at midnight; the DM itself waits for the holder's morning (quiet hours).
    assert await asked_to_rotate(h) > 0


async def asked_to_rotate(h: Harness) -> int:
    async with h.bot.db.session() as session:
        rows = await outbox.list_rows(session)
    return sum(r.intent == "roles.rotation_ask" for r in rows)
