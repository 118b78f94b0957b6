"""Advent on the Slack side: day posts and gap notices each tick, entries, Home section."""

from __future__ import annotations

import logging

from activities.kinds.advent import use_cases as advent
from activities.kinds.advent.kind import KIND
from bot.blocks.common import Block
from bot.home import HomeRequest, Waiting
from bot.kinds.advent import actions, blocks, commands, files
from bot.kinds.advent.renderers import RENDERERS
from bot.listeners.context import Sub
from bot.plugin import KindPlugin, each_due, running, tick_each
from bot.scheduler import Periodic
from bot.services import Services
from storage.kinds.advent import queries as store

log = logging.getLogger(__name__)


async def advent_days(services: Services) -> None:
    """Post the days that came due and warn about gaps."""
    await tick_each(services, store.KIND, advent.tick)


async def advent_home(home: HomeRequest) -> list[Block]:
    return blocks.home_section(await running(home.session, store.KIND, team_id=home.team_id))


async def advent_waiting(home: HomeRequest) -> list[Waiting]:
    async def items() -> list[Block]:
        found = await advent.TIPS.waiting(home.session, team_id=home.team_id)
        pending = [(e.id, e.author_id, e.text) for e in found.first if e.id is not None]
        return blocks.waiting_items(pending, found.more)

    total = await advent.TIPS.total(home.session, team_id=home.team_id)
    return [Waiting("advent_tips", "Advent tips to review", total, items=items)]


PLUGIN = KindPlugin(
    kind=KIND,
    renderers=RENDERERS,
    periodic=(Periodic(advent_days, each_due(store.KIND, advent.next_due)),),
    home=(advent_home,),
    waiting=(advent_waiting,),
    listeners=(actions.register, files.register),
    community={"advent": Sub(commands.handle)},
    help=(
        '`/community advent add ["tip | https://link"]` — entries (no text: a form, one per '
        "line; or share a CSV `tip,link` or a text file in the run's channel)",
        "`/community advent entries` — the plan, day by day · `advent pin <entry> 2026-12-24` "
        "· `advent move <entry> before <entry>`",
        "`/community advent contribute` — anyone sends a tip · `advent recap` — the run so far",
    ),
)
