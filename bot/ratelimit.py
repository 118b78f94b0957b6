"""Token buckets per (workspace, method) after Slack's rate tiers."""

from __future__ import annotations

import asyncio
import time
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

    def take(self, now: float) -> float:
        """Take one token; returns how long the caller must wait first (0 if none)."""
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate_per_second)
        self.updated = now
        self.tokens -= 1
        if self.tokens >= 0:
            return 0.0
        return -self.tokens / self.rate_per_second


class RateLimiter:
    def __init__(self, *, scale: float = 1.0, monotonic: Callable[[], float] = time.monotonic):
        self._buckets: dict[tuple[str, str], TokenBucket] = {}
        self._scale = scale
        self._monotonic = monotonic

    def delay_for(self, team_id: str, method: str) -> float:
        key = (team_id, method)
        bucket = self._buckets.get(key)
        now = self._monotonic()
        if bucket is None:
            per_minute = TIER_PER_MINUTE[METHOD_TIER.get(method, "t3")] * self._scale
            bucket = TokenBucket(per_minute / 60.0, per_minute, per_minute, now)
            self._buckets[key] = bucket
        return bucket.take(now)

    async def wait(self, team_id: str, method: str) -> None:
        delay = self.delay_for(team_id, method)
        if delay > 0:
            await asyncio.sleep(delay)
