"""The simplest scheduled kind: post an organiser's text to a channel on a schedule."""

from __future__ import annotations

from activities import intents
from activities.kind import RunContext
from activities.kinds.announcement import intents as announcement_intents
from activities.timeline import TimelineEntry, TimelineRequest, entry, slots
from storage import outbox


async def run(ctx: RunContext) -> None:
    assert ctx.activity.id is not None and ctx.run.id is not None
    await intents.say(
        ctx.session,
        team_id=ctx.activity.team_id,
        intent=announcement_intents.post(activity_id=ctx.activity.id, run_id=ctx.run.id),
        now=ctx.now,
    )


async def timeline(request: TimelineRequest) -> list[TimelineEntry]:
    """Each post, linked to its message once sent."""
    activity = request.activity
    assert activity.id is not None
    entries = []
    for slot in await slots(request):
        message = None
        if slot.run_id is not None:
            key = announcement_intents.post(activity_id=activity.id, run_id=slot.run_id).dedupe_key
            row = await outbox.get_by_key(request.session, dedupe_key=key)
            if row is not None and row.ts:
                message = (row.channel_id, row.ts)
        entries.append(entry(activity, slot, title=activity.title, message=message))
    return entries
