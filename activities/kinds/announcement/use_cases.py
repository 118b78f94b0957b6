"""The simplest scheduled kind: post an organiser's text to a channel on a schedule."""

from __future__ import annotations

from activities import intents
from activities.kind import RunContext
from activities.kinds.announcement import intents as announcement_intents


async def run(ctx: RunContext) -> None:
    assert ctx.activity.id is not None and ctx.run.id is not None
    await intents.say(
        ctx.session,
        team_id=ctx.activity.team_id,
        intent=announcement_intents.post(activity_id=ctx.activity.id, run_id=ctx.run.id),
        now=ctx.now,
    )
