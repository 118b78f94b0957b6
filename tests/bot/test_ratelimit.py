from __future__ import annotations

import asyncio

from bot.delivery import backoff
from bot.ratelimit import RateLimiter


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_up_to_the_tier_goes_at_once_then_calls_are_paced() -> None:
    clock = FakeMonotonic()
    limiter = RateLimiter(monotonic=clock)
    # conversations.open is tier 3: 50 a minute.
    delays = [limiter.delay_for("T1", "conversations.open") for _ in range(50)]
    assert delays == [0.0] * 50
    assert limiter.delay_for("T1", "conversations.open") > 1.0  # the 51st waits ~1.2 s
    assert limiter.delay_for("T2", "conversations.open") == 0.0  # other workspace, own bucket
    clock.now += 60
    assert limiter.delay_for("T1", "conversations.open") == 0.0  # refilled


def test_backoff_grows_and_is_capped() -> None:
    assert 0.8 <= backoff(1).total_seconds() <= 1.2
    assert 6.4 <= backoff(4).total_seconds() <= 9.6
    assert backoff(30).total_seconds() <= 360


async def test_callers_waiting_for_a_token_take_turns_by_intent() -> None:
    # conversations.open at 50 a second, a bucket of one: the first call goes at once.
    limiter = RateLimiter(scale=60, burst_seconds=0)
    order: list[str] = []

    async def call(name: str, turn: str) -> None:
        await limiter.wait("T1", "conversations.open", turn=turn)
        order.append(name)

    await call("intro0", "coffee.intro")
    waiting = [asyncio.create_task(call(f"intro{i}", "coffee.intro")) for i in range(1, 5)]
    await asyncio.sleep(0)  # the intros queue first
    waiting.append(asyncio.create_task(call("dm", "poll.results")))
    gone = asyncio.create_task(call("gone", "poll.results"))
    await asyncio.sleep(0)
    gone.cancel()  # a caller that stops waiting takes no token
    await asyncio.gather(*waiting)
    # The DM takes the token after the one already due to the intros, not the last one.
    assert order == ["intro0", "intro1", "dm", "intro2", "intro3", "intro4"]
