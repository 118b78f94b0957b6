from __future__ import annotations

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
