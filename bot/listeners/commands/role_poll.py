"""`/community roles poll "<role>" [--closes 3d]` and the Home tab's "Poll among volunteers"
button: a poll among a role's volunteers, made by the poll kind (activities/role_polls.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from activities import role_polls
from activities.schedule import parse_duration
from activities.text import escape_mrkdwn
from bot.blocks.common import slack_date
from bot.listeners.context import Caller, Reply, Sub
from bot.parsing import split_flags


async def open_for_call(caller: Caller, call_id: int, closes_after: timedelta) -> Reply:
    """Open the poll for call `call_id`; its options are the volunteers' Slack names."""
    async with caller.services.db.session() as session:
        people = await role_polls.volunteer_ids(session, call_id=call_id)
    profiles = await caller.services.directory.profiles(caller.team_id, people)
    names = {u: p.real_name or p.name for u, p in profiles.items()}
    async with caller.services.db.session() as session:
        row, poll = await role_polls.open_poll(
            session, actor=caller.actor, call_id=call_id, names=names, closes_after=closes_after
        )
        await caller.redraw_homes(session, admins=True)  # every admin's line now says it is polling
    caller.services.work_soon()
    return Reply(
        f"🗳️ The poll among {len(row.user_ids)} volunteers is posted in <#{poll.channel_id}>; "
        f"it closes {slack_date(caller.now + closes_after)}. You'll get the result with a "
        "button to appoint."
    )


async def command(caller: Caller, args: list[str]) -> Reply:
    positional, flags = split_flags(args, flags_with_values={"closes"}, boolean_flags=set())
    closes = (
        parse_duration(str(flags["closes"])) if flags.get("closes") else role_polls.DEFAULT_POLL_FOR
    )
    async with caller.services.db.session() as session:
        call = await role_polls.call_of_role(
            session, team_id=caller.team_id, text=" ".join(positional)
        )
    assert call.id is not None
    return await open_for_call(caller, call.id, closes)


async def on_button(caller: Caller, clicked: dict[str, Any]) -> Reply:
    raw = str(clicked.get("value", ""))
    if not raw.isdigit():
        return Reply(f"That button is out of date (`{escape_mrkdwn(raw[:20])}`).")
    return await open_for_call(caller, int(raw), role_polls.DEFAULT_POLL_FOR)


ROLE_POLL = Sub(command, "admin")
