"""Coffee pairings and breakfast switch-ups on the Slack side: two plug-ins, one set of parts."""

from __future__ import annotations

import logging

from activities.actor import Actor
from activities.kind import ActivityKind
from activities.kinds.coffee import use_cases as coffee
from activities.kinds.coffee.kind import BREAKFAST, COFFEE
from activities.kinds.coffee.rules import CoffeeSettings
from bot.blocks.common import Block, context
from bot.home import HomeRequest
from bot.kinds.coffee import actions, commands
from bot.kinds.coffee import blocks as coffee_blocks
from bot.kinds.coffee.renderers import RENDERERS
from bot.plugin import KindPlugin
from bot.scheduler import Periodic, read_due
from bot.services import Services

log = logging.getLogger(__name__)


async def coffee_rounds(services: Services) -> None:
    """Match pending rounds, then send due check-ins and end-of-round summaries."""
    started = await coffee.start_pending(
        services.db.session, directory=services.directory, now=services.clock.now()
    )
    async with services.db.session() as session:
        asked = await coffee.send_due(session, now=services.clock.now())
    if started or asked:
        log.info("coffee tick", extra={"rounds_started": len(started), "intents": asked})
        services.courier.wake()


async def coffee_home(home: HomeRequest) -> list[Block]:
    actor = Actor(team_id=home.team_id, user_id=home.user_id, now=home.now)
    # Everyone's hours (when DMs reach them), whether or not coffee runs here.
    hours = [context(coffee_blocks.settings_text(await coffee.own_hours(home.session, actor)))]
    found = await coffee.status(home.session, actor)
    if not found.activities:
        return hours
    return [
        *coffee_blocks.home_section(
            state=found.state,
            paused_until=found.paused_until,
            current=[g.members for _, _, g in found.current],
            user_id=home.user_id,
        ),
        *hours,
    ]


# One task for both kinds (the plug-in list runs each task once).
COFFEE_ROUNDS = Periodic(coffee_rounds, read_due(coffee.next_due))


def _plugin(kind: ActivityKind[CoffeeSettings]) -> KindPlugin:
    return KindPlugin(
        kind=kind,
        renderers=RENDERERS,
        periodic=(COFFEE_ROUNDS,),
        home=(coffee_home,),
        listeners=(commands.register, actions.register),
    )


COFFEE_PLUGIN = _plugin(COFFEE)
BREAKFAST_PLUGIN = _plugin(BREAKFAST)
