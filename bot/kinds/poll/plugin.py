"""Polls on the Slack side: `/poll`, votes and the menu, deadlines, reminders (the Home
tab's "open polls you haven't voted in" is bot/member_home.py: it needs the directory)."""

from __future__ import annotations

import logging

from activities.kinds.poll import use_cases as uc
from activities.kinds.poll.kind import KIND
from bot.kinds.poll import actions, commands
from bot.kinds.poll.renderers import RENDERERS
from bot.plugin import KindPlugin
from bot.scheduler import Periodic, read_due
from bot.services import Services

log = logging.getLogger(__name__)


async def close_due_polls(services: Services) -> None:
    """Close the polls whose deadline has passed (the scheduler tick runs this)."""
    async with services.db.session() as session:
        closed = await uc.close_due(session, now=services.clock.now())
    if closed:
        log.info("polls closed at their deadline", extra={"polls": [p.id for p in closed]})


async def remind_polls(services: Services) -> None:
    """Tell the channel about an hour before a poll closes."""
    async with services.db.session() as session:
        await uc.remind_due(session, now=services.clock.now())


PLUGIN = KindPlugin(
    kind=KIND,
    renderers=RENDERERS,
    periodic=(
        Periodic(close_due_polls, read_due(uc.next_due)),
        Periodic(remind_polls, read_due(uc.next_due)),
    ),
    listeners=(commands.register, actions.register),
)
