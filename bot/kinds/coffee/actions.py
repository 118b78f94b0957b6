"""Coffee buttons: intro controls (skip next, pause), check-in answers, Home tab controls."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp

from activities.kinds.coffee import rules
from activities.kinds.coffee import use_cases as coffee
from bot.blocks.common import slack_date
from bot.kinds.coffee import blocks as coffee_blocks
from bot.listeners.context import Caller, Reply, on_action

log = logging.getLogger(__name__)


def _group_id(action_body: dict[str, Any]) -> int:
    return int(action_body.get("value", ""))


async def on_intro_button(caller: Caller, clicked: dict[str, Any]) -> Reply:
    async with caller.services.db.session() as session:
        if clicked["action_id"] == coffee_blocks.SKIP_NEXT:
            until = await coffee.skip_next(session, caller.actor, group_id=_group_id(clicked))
        else:
            until = await coffee.pause_for(session, caller.actor)
    return Reply(f"⏸️ You're paused until {slack_date(until)}. `/coffee resume` undoes it.")


async def on_checkin(caller: Caller, clicked: dict[str, Any]) -> Reply:
    answer = clicked["action_id"].removeprefix(coffee_blocks.CHECKIN_PREFIX)
    async with caller.services.db.session() as session:
        await coffee.record_checkin(
            session, caller.actor, group_id=_group_id(clicked), answer=answer
        )
    log.info(
        "coffee check-in",
        extra={"team_id": caller.team_id, "user": caller.user_id, "answer": answer},
    )
    return Reply(f"Thanks! Noted: {rules.ANSWERS[answer]}.")


async def on_home_button(caller: Caller, clicked: dict[str, Any]) -> None:
    async with caller.services.db.session() as session:
        if clicked["action_id"] == coffee_blocks.HOME_PAUSE:
            await coffee.pause_for(session, caller.actor)
        elif clicked["action_id"] == coffee_blocks.HOME_RESUME:
            await coffee.resume(session, caller.actor)
        else:
            await coffee.join(session, caller.actor)
    await caller.publish_home()


def register(app: AsyncApp) -> None:
    on_action(app, (coffee_blocks.SKIP_NEXT, coffee_blocks.PAUSE_2W), on_intro_button)
    checkins = [f"{coffee_blocks.CHECKIN_PREFIX}{answer}" for answer in rules.ANSWERS]
    on_action(app, checkins, on_checkin)
    home = (coffee_blocks.HOME_JOIN, coffee_blocks.HOME_PAUSE, coffee_blocks.HOME_RESUME)
    on_action(app, home, on_home_button)
