"""What kinds' renderers share: the activity an outbox row names, a post in its channel,
and the message an update edits."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.blocks.common import Block
from bot.delivery import Defer, Delivery, Post, Renderer, Skip
from storage import activities as activity_store
from storage import outbox
from storage.models import Activity, OutboxMessage


async def row_activity(session: AsyncSession, row: OutboxMessage) -> Activity | None:
    """The activity the row's payload names (`activity_id`), if it is still there."""
    return await activity_store.get_activity(
        session, team_id=row.team_id, activity_id=int(row.payload["activity_id"])
    )


def in_its_channel(build: Callable[[str, int], tuple[str, list[Block]]], *, gone: str) -> Renderer:
    """Post `build(title, id)` of the row's activity in the activity's channel; `Skip(gone)`
    once the activity is deleted."""

    async def render(session: AsyncSession, row: OutboxMessage) -> Delivery:
        activity = await row_activity(session, row)
        if activity is None or activity.id is None:
            return Skip(gone)
        text, body = build(activity.title, activity.id)
        return Post(text=text, blocks=body, channel=activity.channel_id)

    return Renderer(render)


async def sent_message(session: AsyncSession, key: str, *, what: str) -> OutboxMessage | None:
    """The message asked for under `key` (for an update to edit), None if it never was;
    asked for but not sent yet: `Defer`, the update waits for it."""
    posted = await outbox.get_by_key(session, dedupe_key=key)
    if posted is not None and not posted.ts:
        raise Defer(f"{what} is not posted yet")
    return posted
