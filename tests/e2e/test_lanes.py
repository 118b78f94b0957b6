"""Lanes: what someone waits for goes out during a fan-out held back by its rate tier."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import select

from bot.ratelimit import RateLimiter
from bot.sandbox import Call
from storage.kinds.poll.models import Poll
from tests.e2e.harness import ADMIN, Harness, eventually, reply_text

COFFEE = "C0COFFEE"
CHANNEL = "C0COMMUNITY"
GROUPS = 16


def opens(h: Harness) -> list[Call]:
    return h.slack.calls_to("conversations.open")


def is_intro(call: Call) -> bool:
    return call.ok and str(call.args["channel"]).startswith("G")


def intros(h: Harness) -> int:
    return sum(1 for c in h.slack.calls_to("chat.postMessage") if is_intro(c))


def first(calls: list[Call], test: Callable[[Call], bool]) -> int | None:
    return next((i for i, call in enumerate(calls) if test(call)), None)


def last(calls: list[Call], test: Callable[[Call], bool]) -> int:
    return max(i for i, call in enumerate(calls) if test(call))


# The courier and the limiter are the same on both backends; claims in lanes are tested
# on both in tests/storage/test_outbox.py.
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_a_post_and_a_dm_go_out_while_a_fan_out_waits_for_its_tier(
    harness: Harness,
) -> None:
    h = harness
    await h.stop()
    # conversations.open (tier 3) at 2.5 a second after a burst of 2: the intros of the
    # round wait for it, as 500 do at Slack's rates; posting (tier 5) is free meanwhile.
    # Paced slowly enough (about 6 s for the round) that a loaded machine still sends
    # the poll and the DM during it; what is checked is the order of Slack's calls.
    await h.start(limiter=RateLimiter(scale=3, burst_seconds=1))
    members = [f"UL{i:02d}" for i in range(2 * GROUPS)]
    for i, user in enumerate(members):
        h.slack.add_user(user, f"lane{i}", tz="Europe/London")
    h.slack.add_channel(COFFEE, "coffee", members)
    said = reply_text(await h.command(ADMIN, "/community", f"new coffee <#{COFFEE}|coffee>"))
    assert "✅" in said, said
    said = reply_text(await h.command(ADMIN, "/community", "run 1"))
    assert "Running" in said, said
    await h.tick()
    await eventually(lambda: intros(h) >= 3, 10)  # past the burst: the rest are paced

    # A poll posted in a channel: chat.postMessage has allowance, so it goes at once.
    said = reply_text(await h.command("UORG", "/poll", '"Lunch?" "Yes" "No"', channel_id=CHANNEL))
    assert "on its way" in said, said
    await eventually(lambda: any("Lunch?" in str(m) for m in h.slack.messages(CHANNEL)), 5)

    # Its creator closes it: the results DM needs conversations.open, the fan-out's
    # method. It takes its turn with the intros, not a place behind those waiting.
    async with h.bot.db.session() as session:
        poll = (await session.exec(select(Poll))).one()
    message = h.slack.last_message(CHANNEL)
    opened_before = len(opens(h))
    await h.say.click("UORG", message, "poll_menu", value=f"close:{poll.id}")

    def to_creator(call: Call) -> bool:
        return call.args["users"] in ("UORG", ["UORG"])

    await eventually(lambda: first(opens(h), to_creator) is not None, 10)
    await eventually(lambda: any("Lunch?" in str(m) for m in h.slack.dm_messages("UORG")), 5)
    await eventually(lambda: intros(h) == GROUPS, 20)

    # The order Slack saw: the poll went before the fan-out's last intro, and the DM's
    # conversations.open came after at most 3 more intro opens, with intros still after it.
    posts = h.slack.calls_to("chat.postMessage")
    poll_post = first(posts, lambda c: "Lunch?" in str(c.args))
    assert poll_post is not None and poll_post < last(posts, is_intro)
    position = first(opens(h), to_creator)
    assert position is not None
    assert position - opened_before <= 3, f"{position - opened_before} intros went first"
    assert position < last(opens(h), lambda c: not to_creator(c)), "the DM waited for the round"
