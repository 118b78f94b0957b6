"""Talk buttons and modals: Volunteer a talk, the organisers' Schedule / Decline, check-ins."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from activities.kinds.talks import rules
from activities.kinds.talks import use_cases as talks
from bot.blocks.forms import view_inputs
from bot.kinds.talks import blocks
from bot.kinds.talks.commands import decline, open_volunteer, schedule
from bot.listeners.context import Caller, Reply, metadata_of, on_action, submission


async def on_volunteer_button(caller: Caller, clicked: dict[str, Any]) -> None:
    await open_volunteer(caller, int(clicked["value"]))


async def on_volunteer_submitted(caller: Caller, view: dict[str, Any]) -> Reply | None:
    series_id = int(metadata_of(view)["series"])
    typed = view_inputs(view)
    talk = rules.check_talk(
        typed.get("title", ""),
        typed.get("abstract", ""),
        typed.get("months", ""),
        "yes" in typed.get(blocks.RECORDABLE, "").split(","),
    )
    # The speaker's DMs give dates in their own time zone: make sure we know it.
    await caller.services.directory.profile(caller.team_id, caller.user_id)
    async with caller.services.db.session() as session:
        series = await caller.load(session, talks.load_series, series_id)
        await talks.volunteer(
            session, series=series, speaker_id=caller.user_id, talk=talk, now=caller.now
        )
        await caller.redraw_organisers(session)  # "Volunteered talks to schedule"
    caller.services.courier.wake()
    return None  # the acknowledgement goes by DM at once


async def on_home_schedule(caller: Caller, clicked: dict[str, Any]) -> None:
    await caller.require_organiser()
    async with caller.services.db.session() as session:
        talk = await talks.load_talk(session, team_id=caller.team_id, talk_id=int(clicked["value"]))
    await caller.open_view(blocks.schedule_modal(talk))


async def on_home_decline(caller: Caller, clicked: dict[str, Any]) -> None:
    await caller.require_organiser()
    async with caller.services.db.session() as session:
        talk = await talks.load_talk(session, team_id=caller.team_id, talk_id=int(clicked["value"]))
    await caller.open_view(blocks.decline_modal(talk))


async def on_schedule_submitted(caller: Caller, view: dict[str, Any]) -> Reply:
    reply = await schedule(
        caller, int(metadata_of(view)["talk"]), view_inputs(view).get("date", "")
    )
    await caller.publish_home()
    return reply


async def on_decline_submitted(caller: Caller, view: dict[str, Any]) -> Reply:
    reply = await decline(caller, int(metadata_of(view)["talk"]), view_inputs(view).get("note", ""))
    await caller.publish_home()
    return reply


async def on_checkin(caller: Caller, clicked: dict[str, Any]) -> Reply:
    answer = clicked["action_id"].removeprefix(blocks.CHECKIN_PREFIX)
    async with caller.services.db.session() as session:
        talk = await talks.check_in(
            session, caller.actor, talk_id=int(clicked["value"]), answer=answer
        )
    caller.services.courier.wake()
    return Reply(blocks.checkin_reply(talk, answer))


def register(app: AsyncApp) -> None:
    on_action(app, (blocks.VOLUNTEER,), on_volunteer_button)
    on_action(app, (blocks.HOME_SCHEDULE,), on_home_schedule, needs="organiser")
    on_action(app, (blocks.HOME_DECLINE,), on_home_decline, needs="organiser")
    checkins = [f"{blocks.CHECKIN_PREFIX}{answer}" for answer in rules.CHECKIN_ANSWERS]
    on_action(app, checkins, on_checkin)
    app.view(blocks.VOLUNTEER_MODAL)(submission(on_volunteer_submitted))
    app.view(blocks.SCHEDULE_MODAL)(submission(on_schedule_submitted))
    app.view(blocks.DECLINE_MODAL)(submission(on_decline_submitted))
