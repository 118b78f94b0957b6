"""The polls feature's plug-in points (see bot/features/__init__.py).

Listener modules are imported lazily: they import `bot.features` (through
`bot.listeners`), which imports this module.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from slack_bolt.async_app import AsyncApp

from activities import poll_use_cases as uc
from bot.blocks.common import Block, section, slack_date
from bot.blocks.polls import DATE_TOKEN
from bot.parsing import escape_mrkdwn
from bot.renderers.polls import RENDERERS as RENDERERS  # its intents' renderers
from bot.services import Services
from storage import polls as poll_store

if TYPE_CHECKING:
    from bot.home import HomeRequest
    from bot.listeners.context import CommandCall, Reply

log = logging.getLogger(__name__)


async def close_due_polls(services: Services) -> None:
    """Close the polls whose deadline has passed (the scheduler tick runs this)."""
    async with services.db.session() as session:
        closed = await uc.close_due(session, now=services.clock.now())
    if closed:
        log.info("polls closed at their deadline", extra={"polls": closed})


async def remind_polls(services: Services) -> None:
    """Tell the channel about an hour before a poll closes."""
    async with services.db.session() as session:
        await uc.remind_due(session, now=services.clock.now())


async def open_polls_section(home: HomeRequest) -> list[Block]:
    polls = await poll_store.open_polls(home.session, team_id=home.team_id, limit=5)
    if not polls:
        return []
    lines = []
    for poll in polls:
        when = f" · closes {slack_date(poll.closes_at, token=DATE_TOKEN)}" if poll.closes_at else ""
        lines.append(f"• *{escape_mrkdwn(poll.question[:150])}* in <#{poll.channel_id}>{when}")
    return [section("*Open polls*\n" + "\n".join(lines))]


async def new_poll_activity(call: CommandCall, args: list[str]) -> Reply | None:
    """`/community new poll …` (see bot/listeners/commands/poll.py)."""
    from bot.listeners.commands.poll import new_poll_activity as handler

    return await handler(call, args)


PERIODIC_TASKS = [close_due_polls, remind_polls]
HOME_SECTIONS = [open_polls_section]
NEW_KIND_HANDLERS = {"poll": new_poll_activity}


def register(app: AsyncApp) -> None:
    """Register this feature's Bolt listeners (the /poll command registers itself)."""
    from bot.listeners.actions import polls as poll_actions
    from bot.listeners.views import polls as poll_views

    poll_actions.register(app)
    poll_views.register(app)
