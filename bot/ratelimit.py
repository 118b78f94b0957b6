"""Token buckets per (workspace, method) after Slack's rate tiers."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

# Calls per minute for each documented tier; a bucket holds a minute's worth,
# so a burst goes out at once and a flood is spread at the tier's pace.
TIER_PER_MINUTE = {"t1": 1, "t2": 20, "t3": 50, "t4": 100, "t5": 600}
METHOD_TIER = {
    "chat.postMessage": "t5",
    "chat.postEphemeral": "t4",
    "chat.update": "t3",
    "chat.delete": "t3",
    "conversations.open": "t3",
    "conversations.history": "t3",
    "conversations.replies": "t3",
    "conversations.members": "t4",
    "users.info": "t4",
    "users.list": "t2",
    "views.publish": "t4",
    "files.getUploadURLExternal": "t4",
    "files.completeUploadExternal": "t4",
    "reactions.add": "t3",
}


@dataclass
class TokenBucket:
    rate_per_second: float
    capacity: float
    tokens: float
    updated: float

    def refill(self, now: float) -> None:
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate_per_second)
        self.updated = now

    def take(self, now: float) -> float:
        """Take one token; returns how long the caller must wait first (0 if none)."""
        self.refill(now)
        self.tokens -= 1
        if self.tokens >= 0:
            return 0.0
        return -self.tokens / self.rate_per_second

    def until_one(self, now: float) -> float:
        """How long until a whole token is there (0: one is there now)."""
        self.refill(now)
        return max(0.0, (1 - self.tokens) / self.rate_per_second)


class RateLimiter:
    """A token bucket per (workspace, method), holding `burst_seconds` of the tier's calls.

    `wait` takes turns: callers that find the bucket empty queue by `turn` (the courier
    passes the outbox intent), and each new token goes to the next turn in rotation. A
    fan-out's 16 queued intros then take one token in two while someone's DM is waiting,
    instead of all going first; with one turn waiting it is first come, first served.
    """

    def __init__(
        self,
        *,
        scale: float = 1.0,
        burst_seconds: float = 60.0,
        monotonic: Callable[[], float] = time.monotonic,
    ):
        self._buckets: dict[tuple[str, str], TokenBucket] = {}
        self._scale = scale
        self._burst_seconds = burst_seconds
        self._monotonic = monotonic
        # Per bucket, the callers waiting for a token by turn; dict order is the rotation.
        self._waiting: dict[tuple[str, str], dict[str, deque[asyncio.Future[None]]]] = {}
        self._pumps: dict[tuple[str, str], asyncio.Task[None]] = {}

    def _bucket(self, key: tuple[str, str]) -> TokenBucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            per_minute = TIER_PER_MINUTE[METHOD_TIER.get(key[1], "t3")] * self._scale
            rate = per_minute / 60.0
            capacity = max(1.0, rate * self._burst_seconds)
            bucket = TokenBucket(rate, capacity, capacity, self._monotonic())
            self._buckets[key] = bucket
        return bucket

    def delay_for(self, team_id: str, method: str) -> float:
        """Take a token now, ahead of any turn waiting; returns how long to wait first."""
        return self._bucket((team_id, method)).take(self._monotonic())

    def give_back(self, team_id: str, method: str) -> None:
        """A token `wait` granted but the caller could not use yet goes back."""
        bucket = self._bucket((team_id, method))
        bucket.refill(self._monotonic())
        bucket.tokens = min(bucket.capacity, bucket.tokens + 1)

    async def wait(self, team_id: str, method: str, *, turn: str = "") -> None:
        """Until this call may go: at once if a token is there and nobody waits for one."""
        key = (team_id, method)
        bucket = self._bucket(key)
        waiting = self._waiting.get(key)
        if not waiting and bucket.until_one(self._monotonic()) == 0:
            bucket.tokens -= 1
            return
        if waiting is None:
            waiting = self._waiting[key] = {}
        granted: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        waiting.setdefault(turn, deque()).append(granted)
        if key not in self._pumps:
            self._pumps[key] = asyncio.create_task(self._pump(key), name=f"limiter-{method}")
        # A caller cancelled while waiting leaves its future cancelled: the pump skips it.
        await granted

    async def _pump(self, key: tuple[str, str]) -> None:
        """Hand out the bucket's tokens as they come, one turn after another."""
        bucket = self._buckets[key]
        waiting = self._waiting[key]
        try:
            while waiting:
                delay = bucket.until_one(self._monotonic())
                if delay > 0:
                    await asyncio.sleep(delay)
                    continue
                turn, callers = next(iter(waiting.items()))
                del waiting[turn]
                granted = callers.popleft()
                if callers:
                    waiting[turn] = callers  # to the back of the rotation
                if granted.done():
                    continue
                bucket.tokens -= 1
                granted.set_result(None)
        finally:
            del self._pumps[key]
            if not waiting:
                self._waiting.pop(key, None)
