"""Home tab buttons: organisers' run, pause, resume, preview, edit, cancel; paging; the
"Review" / "Hide" of what waits for organisers."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from activities import manage
from bot.blocks.activities import preview_text
from bot.blocks.home import (
    ACTIVITY_VERBS,
    MORE_ACTION,
    WAITING_ACTION,
    activity_action,
    activity_verb,
    home_state,
)
from bot.listeners import forms
from bot.listeners.context import Caller, Reply, on_action
from storage import homes


async def on_activity_button(caller: Caller, clicked: dict[str, Any]) -> Reply | None:
    verb = activity_verb(clicked["action_id"])
    activity_id = int(clicked.get("value", ""))
    services = caller.services
    async with services.db.session() as session:
        activity = await manage.load(session, team_id=caller.team_id, activity_id=activity_id)
        if verb == "preview":
            return Reply(preview_text(activity, manage.preview(activity, now=caller.now)))
        if verb == "run":
            await manage.run_now(
                session,
                caller.actor,
                activity_id=activity_id,
                directory=services.directory,
                catalog=services.catalog,
            )
            await caller.redraw_organisers(session)  # the other organisers' lists of activities
        elif verb in ("pause", "resume", "cancel"):
            await manage.change_state(session, caller.actor, activity_id=activity_id, action=verb)
            await caller.redraw_organisers(session)  # the other organisers' lists of activities
    if verb == "edit":
        await forms.open_edit_modal(caller, services.catalog.require(activity.kind), activity)
        return None
    services.work_soon()
    await caller.publish_home()
    return None


async def on_page(caller: Caller, clicked: dict[str, Any]) -> None:
    """The Home tab's "More" / "Back": the same tab, another page of activities."""
    await caller.publish_home(page=min(int(str(clicked.get("value", ""))), 10_000))


async def on_waiting(caller: Caller, clicked: dict[str, Any]) -> None:
    """Show the items of one "Waiting for you" line under it (or hide them again)."""
    key = str(clicked.get("value", ""))[:100]
    _, shown = home_state(caller.view)
    if key != shown:  # opened: what waited until now has been seen (a kind may count on)
        async with caller.services.db.session() as session:
            await homes.mark_seen(
                session, team_id=caller.team_id, user_id=caller.user_id, key=key, now=caller.now
            )
    await caller.publish_home(focus="" if key == shown else key)


def register(app: AsyncApp) -> None:
    ids = [activity_action(verb) for verb in ACTIVITY_VERBS]
    on_action(app, ids, on_activity_button, needs="organiser")
    on_action(app, [MORE_ACTION, f"{MORE_ACTION}_back"], on_page)
    on_action(app, [WAITING_ACTION], on_waiting, needs="organiser")
