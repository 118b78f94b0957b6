"""The coffee feature's plug-in points (see bot/features/__init__.py).

Listener modules are imported lazily: they import `bot.features` themselves
(through their package), which is still initialising when this module loads.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncApp

from activities import coffee
from bot.blocks import coffee as coffee_blocks
from bot.blocks.common import Block
from bot.renderers.coffee import RENDERERS as RENDERERS  # its intents' renderers
from bot.services import Services

if TYPE_CHECKING:
    from bot.home import HomeRequest
    from bot.listeners.context import CommandCall, Reply

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


PERIODIC_TASKS: list[Any] = [coffee_rounds]


async def coffee_home(home: HomeRequest) -> list[Block]:
    user_id = home.user_id
    found = await coffee.status(home.session, team_id=home.team_id, user_id=user_id, now=home.now)
    if not found.activities:
        return []
    return coffee_blocks.home_section(
        state=found.state,
        paused_until=found.paused_until,
        current=[g.members for _, _, g in found.current],
        user_id=user_id,
    )


HOME_SECTIONS: list[Any] = [coffee_home]


async def _new_coffee(call: CommandCall, args: list[str]) -> Reply | None:
    from bot.listeners.commands.coffee import new_activity

    return await new_activity(call, args, kind="coffee")


async def _new_breakfast(call: CommandCall, args: list[str]) -> Reply | None:
    from bot.listeners.commands.coffee import new_activity

    return await new_activity(call, args, kind="breakfast")


NEW_KIND_HANDLERS: dict[str, Any] = {"coffee": _new_coffee, "breakfast": _new_breakfast}


def register(app: AsyncApp) -> None:
    """Register this feature's Bolt listeners (`/coffee` itself is in bot/listeners)."""
    from bot.listeners.actions import coffee as coffee_actions
    from bot.listeners.views import coffee as coffee_views

    coffee_actions.register(app)
    coffee_views.register(app)
