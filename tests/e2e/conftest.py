from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from activities.clock import ManualClock
from bot.sandbox import FakeSlack
from tests.e2e.harness import ADMIN, START, Harness


@pytest.fixture
async def harness(db_url: str) -> AsyncIterator[Harness]:
    async with FakeSlack() as slack:
        slack.add_user(ADMIN, "admin", is_admin=False)
        slack.add_user("UORG", "olu", tz="Europe/Paris")
        slack.add_user("UMEM", "mia", tz="America/New_York")
        slack.add_user("UWSADMIN", "wendy", is_admin=True)
        slack.add_channel("C0COMMUNITY", "community", [ADMIN, "UORG", "UMEM"])
        h = Harness(slack, db_url, ManualClock(START))
        await h.start()
        try:
            yield h
        finally:
            await h.stop()
