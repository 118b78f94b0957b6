"""A recurring poll's dated things: each slot it posts, and each of its polls' deadlines."""

from __future__ import annotations

from datetime import timedelta

from activities.kinds.poll import rules
from activities.timeline import TimelineEntry, TimelineRequest, entry, sequence_of, slots
from storage.kinds.poll import queries


async def timeline(request: TimelineRequest) -> list[TimelineEntry]:
    activity = request.activity
    assert activity.id is not None
    settings = rules.PollSettings.model_validate(activity.config)
    closes_after = timedelta(seconds=settings.closes_after_seconds)
    entries = [
        entry(activity, slot, title=f"Poll: {activity.title}", end=slot.at + closes_after)
        for slot in await slots(request)
    ]
    for poll in await queries.polls_of_activity(request.session, activity_id=activity.id):
        if poll.closes_at is None or poll.closes_at not in request.window:
            continue
        entries.append(
            TimelineEntry(
                uid=f"poll-{poll.id}-closes@convene",
                activity_id=activity.id,
                kind=activity.kind,
                title=f"Poll closes: {poll.question}",
                channel_id=poll.channel_id,
                start=poll.closes_at,
                timezone=activity.timezone,
                last_modified=max(activity.updated_at, poll.closed_at or poll.created_at),
                sequence=sequence_of(activity),
                status="cancelled" if poll.deleted_at is not None else "confirmed",
            )
        )
    return entries
