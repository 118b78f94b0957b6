"""Which activity of a kind a person means: the one named, or the one their channel has."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from activities.errors import UserError
from storage import activities as store
from storage.models import Activity


@dataclass(frozen=True, slots=True)
class KindLookup:
    """How a kind's commands and buttons find their activity, and what they say when
    they can't: `missing` when there is none, `which` when several could be meant."""

    kind: str
    missing: str
    which: str = ""

    async def load(self, session: AsyncSession, *, team_id: str, activity_id: int) -> Activity:
        """The activity `activity_id` of this workspace, if it is one of this kind."""
        activity = await store.get_activity(session, team_id=team_id, activity_id=activity_id)
        if activity is None or activity.kind != self.kind:
            raise UserError(self.missing)
        return activity

    async def live(self, session: AsyncSession, *, team_id: str) -> list[Activity]:
        """This workspace's activities of this kind but the cancelled ones, oldest first."""
        return await store.list_activities(
            session, team_id=team_id, states=store.NOT_CANCELLED, kinds=(self.kind,)
        )

    async def find(
        self, session: AsyncSession, *, team_id: str, activity_id: int | None, channel_id: str
    ) -> Activity:
        """The one named, else the only one in this channel, else the workspace's only one
        (cancelled ones aside)."""
        if activity_id is not None:
            return await self.load(session, team_id=team_id, activity_id=activity_id)
        live = await self.live(session, team_id=team_id)
        here = [a for a in live if a.channel_id == channel_id]
        if len(here) == 1:
            return here[0]
        if len(live) == 1:
            return live[0]
        raise UserError(self.which if live else self.missing)
