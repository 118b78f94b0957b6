"""How an announcement is sent: the organiser's text, in its channel."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from activities.intents import IntentType
from activities.kind import read_settings
from activities.kinds.announcement import intents
from activities.kinds.announcement.rules import AnnouncementSettings
from bot.delivery import Delivery, Post, Renderer, Skip
from bot.kind_renderers import row_activity
from bot.kinds.announcement import blocks
from storage import activities as activity_store
from storage.models import OutboxMessage


async def _post(session: AsyncSession, row: OutboxMessage) -> Delivery:
    activity = await row_activity(session, row)
    run = await activity_store.get_run(session, run_id=row.payload["run_id"])
    if activity is None or run is None:
        return Skip("activity or run deleted")
    text, body = blocks.post(
        read_settings(AnnouncementSettings, activity),
        late_since=run.scheduled_for if run.late else None,
    )
    return Post(text=text, blocks=body, channel=activity.channel_id)


RENDERERS: dict[IntentType, Renderer] = {intents.POST: Renderer(_post)}
