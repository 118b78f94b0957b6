"""A coffee or breakfast activity's dated things: each round's start and its check-in."""

from __future__ import annotations

from dataclasses import replace

from activities.kinds.coffee import rules
from activities.timeline import Slot, TimelineEntry, TimelineRequest, entry, slots
from storage.kinds.coffee import queries
from storage.kinds.coffee.models import CoffeeRoundStatus


async def timeline(request: TimelineRequest) -> list[TimelineEntry]:
    """A past round names the people it matched (their personal feeds show it); a future
    one is everyone's in the channel. A skipped round's entries are cancelled."""
    activity = request.activity
    settings = rules.CoffeeSettings.model_validate(activity.config)
    half = rules.round_length(settings) / 2
    entries: list[TimelineEntry] = []
    for slot in await slots(request):
        people: frozenset[str] | None = None
        checkin_at = slot.at + half
        if slot.run_id is not None:
            rnd = await queries.round_for_run(request.session, run_id=slot.run_id)
            if rnd is not None and rnd.id is not None:
                groups = await queries.groups_of(request.session, round_ids=[rnd.id])
                people = frozenset(user for g in groups for user in g.members)
                checkin_at = rnd.checkin_at or checkin_at
                if rnd.status == CoffeeRoundStatus.SKIPPED:
                    slot = replace(slot, status="cancelled")
        title = activity.title
        entries.append(entry(activity, slot, title=f"{title}: round starts", people=people))
        check = Slot(checkin_at, slot.run_id, slot.status)
        if check.at in request.window:
            entries.append(
                replace(
                    entry(activity, check, title=f"{activity.title}: check-in", people=people),
                    # Named after the round's slot, so moving the check-in keeps its identity.
                    uid=entry(activity, slot, title="", suffix="-checkin").uid,
                )
            )
    return entries
