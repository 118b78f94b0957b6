"""`/community me`: one member's own history — their coffee and breakfast groups,
RSVPs, talks, the wins that credit them, thanks given and received. Every query is
keyed by that member's id: there is no way to ask for someone else's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from activities.kinds.coffee import use_cases as coffee
from storage import history as store
from storage import recognition as recognition_store
from storage.kinds.talks.models import Talk
from storage.models import RsvpEvent, Thanks, Win

RECENT = 3


@dataclass(frozen=True, slots=True)
class History:
    user_id: str
    # Each part: how many, and the latest few (newest first).
    groups: tuple[int, list[tuple[datetime | None, list[str]]]]  # (when, the others)
    rsvps: tuple[int, list[tuple[RsvpEvent, str]]]
    talks: tuple[int, list[Talk]]
    wins: tuple[int, list[Win]]
    given: tuple[int, list[Thanks]]
    received: tuple[int, list[Thanks]]
    shoutouts_off: bool


async def of_member(session: AsyncSession, *, team_id: str, user_id: str) -> History:
    t, u, n = team_id, user_id, RECENT
    groups = await coffee.history(session, team_id=team_id, user_id=user_id, limit=1000)
    return History(
        user_id=user_id,
        groups=(
            len(groups),
            [(r.started_at, [m for m in g.members if m != user_id]) for r, g in groups[:RECENT]],
        ),
        rsvps=await store.rsvps_of(session, team_id=t, user_id=u, limit=n),
        talks=await store.talks_of(session, team_id=t, user_id=u, limit=n),
        wins=await recognition_store.wins_crediting(session, team_id=t, user_id=u, limit=n),
        given=await recognition_store.thanks_of(
            session, team_id=t, user_id=u, side="giver_id", limit=n
        ),
        received=await recognition_store.thanks_of(
            session, team_id=t, user_id=u, side="receiver_id", limit=n
        ),
        shoutouts_off=await recognition_store.opted_out(session, team_id=t, user_id=u),
    )
