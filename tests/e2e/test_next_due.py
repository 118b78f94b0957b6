"""`Runtime.next_due`: the moment the shell's clock jumps to is the next thing due.

Each case sets up dated work, asks the running bot when it next has anything to do, and
checks the answer against what a tick does a minute before and at that moment. A task
whose next-due answer stopped reaching the runtime (or came too late) would let the
clock jump over its work: these fail then.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
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


async def happens_exactly_at(
    h: Harness, moment: datetime, happened: Callable[[], Awaitable[bool]]
) -> None:
    """`moment` is the next one due; a tick a minute before it does not do the thing,
    a tick at it does."""
    assert await jump_towards(h, moment) == moment
    await tick_at(h, moment - A_MINUTE)
    assert not await happened()
    await tick_at(h, moment)
    assert await happened()


async def poll_closed(h: Harness) -> bool:
    async with h.bot.db.session() as session:
        return (await session.exec(select(Poll))).one().closed_at is not None


async def checkin_sent(h: Harness) -> bool:
    async with h.bot.db.session() as session:
        return (await session.exec(select(CoffeeRound))).one().checkin_sent_at is not None


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

    async def reminded() -> bool:
        return posted_with(h, "Last call") == 1

    await happens_exactly_at(h, poll.closes_at - timedelta(hours=1), reminded)
    await happens_exactly_at(h, poll.closes_at, lambda: poll_closed(h))


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

    await happens_exactly_at(h, rnd.checkin_at, lambda: checkin_sent(h))


async def test_a_terms_reminder_window_is_the_next_moment_due(harness: Harness) -> None:
    h = harness
    assert "organiser until" in reply_text(
        await h.command(ADMIN, "/community", "roles assign <@UORG> organiser")
    )
    async with h.bot.db.session() as session:
        term = (await session.exec(select(RoleTerm))).one()
    window = datetime.combine(term.ends_on - timedelta(days=30), time(0), tzinfo=UTC)

    # Asked at midnight; the DM itself waits for the holder's morning (quiet hours).
    await happens_exactly_at(h, window, lambda: asked_to_rotate(h))


async def asked_to_rotate(h: Harness) -> bool:
    async with h.bot.db.session() as session:
        rows = await outbox.list_rows(session)
    return any(r.intent == "roles.rotation_ask" for r in rows)
