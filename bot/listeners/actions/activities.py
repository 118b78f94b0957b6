"""Organisers' buttons on the Home tab: run, pause, resume, preview, edit."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from activities import manage
from bot.blocks.activities import preview_text
from bot.listeners import forms
from bot.listeners.context import Caller, Reply, on_action

VERBS = ("run", "pause", "resume", "preview", "edit")


async def on_activity_button(caller: Caller, clicked: dict[str, Any]) -> Reply | None:
    verb = clicked["action_id"].removeprefix("home_activity_")
    activity_id = int(clicked.get("value", ""))
    services = caller.services
    async with services.db.session() as session:
        activity = await manage.load(session, team_id=caller.team_id, activity_id=activity_id)
        if verb == "preview":
            return Reply(preview_text(activity, manage.preview(activity, now=caller.now)))
        if verb == "run":
            await manage.run_now(
                session,
                team_id=caller.team_id,
                actor_id=caller.user_id,
                activity_id=activity_id,
                now=caller.now,
                directory=services.directory,
                catalog=services.catalog,
            )
        elif verb in ("pause", "resume"):
            await manage.change_state(
                session,
                team_id=caller.team_id,
                actor_id=caller.user_id,
                activity_id=activity_id,
                action=verb,
                now=caller.now,
            )
    if verb == "edit":
        await forms.open_edit_modal(caller, services.catalog.require(activity.kind), activity)
        return None
    services.work_soon()
    await caller.publish_home()
    return None


def register(app: AsyncApp) -> None:
    ids = [f"home_activity_{verb}" for verb in VERBS]
    on_action(app, ids, on_activity_button, needs="organiser")
