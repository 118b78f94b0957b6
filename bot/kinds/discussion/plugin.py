"""Topic discussions on the Slack side: backlog asks and digests each tick, topic commands."""

from __future__ import annotations

import logging
from datetime import datetime

from activities.kinds.discussion import use_cases as topics
from activities.kinds.discussion.kind import KIND
from activities.waiting import SHOWN
from bot.blocks.common import Block
from bot.home import HomeRequest, ItemsLoader, Waiting
from bot.kinds.discussion import actions, blocks, commands
from bot.kinds.discussion.renderers import RENDERERS
from bot.listeners.context import Sub
from bot.plugin import KindPlugin, each_due, running, tick_each
from bot.scheduler import Periodic, first_of, read_due
from bot.services import Services
from storage.kinds.discussion import queries as store

log = logging.getLogger(__name__)


async def discussion_ticks(services: Services) -> None:
    """Ask for topics before a thin slot; post yesterday's digests."""
    await tick_each(services, store.KIND, topics.tick)
    async with services.db.session() as session:
        await topics.send_digests(session, now=services.clock.now())


async def discussion_home(home: HomeRequest) -> list[Block]:
    return blocks.home_section(await running(home.session, store.KIND, team_id=home.team_id))


async def discussion_waiting(home: HomeRequest) -> list[Waiting]:
    """Each running series' backlog, for organisers to look over: the topics added since
    this organiser last opened its line (every open topic until they first do)."""

    def backlog_of(series_id: int) -> ItemsLoader:
        async def items() -> list[Block]:
            ranked = await topics.ranked_backlog(home.session, activity_id=series_id)
            return blocks.waiting_items(ranked[:SHOWN], max(len(ranked) - SHOWN, 0))

        return items

    def last_looked(series_id: int) -> datetime | None:
        return home.seen.get(f"topics_{series_id}")

    found = await topics.waiting(home.session, team_id=home.team_id, last_looked=last_looked)
    return [
        Waiting(
            f"topics_{series.id}",
            f"New topics in the backlog in <#{series.channel_id}>",
            new,
            items=backlog_of(series.id or 0),
            stays_open=True,
        )
        for series, new in found
    ]


PLUGIN = KindPlugin(
    kind=KIND,
    renderers=RENDERERS,
    periodic=(
        Periodic(
            discussion_ticks,
            first_of(each_due(store.KIND, topics.next_due), read_due(topics.next_digest_due)),
        ),
    ),
    home=(discussion_home,),
    waiting=(discussion_waiting,),
    listeners=(actions.register,),
    community={"topics": Sub(commands.handle)},
    help=(
        '`/community topics` — the backlog · `topics add "…"` · `topics vote <topic>` · '
        "`topics withdraw <topic>` · `topics archive`",
        '`/community topics edit <topic> "…"` · `topics merge <topic> into <topic>` · '
        "`topics remove <topic>` (organisers)",
    ),
)
