"""Polls on the Slack side: `/poll`, votes and the menu, deadlines, reminders, Home section."""

from __future__ import annotations

import logging

from activities.kinds.poll import use_cases as uc
from activities.kinds.poll.kind import KIND
from activities.text import escape_mrkdwn
from bot.blocks.common import Block, section, slack_date
from bot.home import HomeRequest
from bot.kinds.poll import actions, commands
from bot.kinds.poll.blocks import DATE_TOKEN
from bot.kinds.poll.renderers import RENDERERS
from bot.plugin import KindPlugin
from bot.services import Services
from storage.kinds.poll import queries as poll_store

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


PLUGIN = KindPlugin(
    kind=KIND,
    renderers=RENDERERS,
    periodic=(close_due_polls, remind_polls),
    home=(open_polls_section,),
    listeners=(commands.register, actions.register),
)
