"""Send slots: how many Slack calls the courier has in flight at once."""

from __future__ import annotations

import asyncio


class SendSlots:
    """A counted set of slots that is taken only when one is free (never waited for
    while holding something else), and that can be waited on until one is free without
    taking it. The courier takes a rate token first, then a slot if one is free; with
    none free it gives the token back and waits here, so no token is spent late."""

    def __init__(self, size: int) -> None:
        self._free = size
        self._some_free = asyncio.Event()
        if size > 0:
            self._some_free.set()

    def take(self) -> bool:
        """Take a slot if one is free now."""
        if self._free == 0:
            return False
        self._free -= 1
        if self._free == 0:
            self._some_free.clear()
        return True

    def put_back(self) -> None:
        self._free += 1
        self._some_free.set()

    async def until_free(self) -> None:
        """Until a slot is free (it may be taken by someone else first)."""
        await self._some_free.wait()
