"""How a roadmap is sent: posted once to its channel, then redrawn in place."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from activities import roadmap
from activities.intents import IntentType
from bot.blocks.roadmap import roadmap_message
from bot.delivery import Defer, Delivery, Post, Renderer, Skip, Update
from storage import roadmaps as store
from storage.models import OutboxMessage

GONE = "the roadmap was taken down"


async def _post(session: AsyncSession, row: OutboxMessage) -> Delivery:
    found = await store.by_id(session, roadmap_id=int(row.payload["roadmap_id"]))
    if found is None:
        return Skip(GONE)
    text, blocks = roadmap_message(roadmap.from_payload(row.payload["months"]))
    return Post(text=text, blocks=blocks, channel=found.channel_id)


async def _posted(session: AsyncSession, row: OutboxMessage, channel: str, ts: str) -> None:
    await store.set_ts(session, roadmap_id=int(row.payload["roadmap_id"]), ts=ts)


async def _update(session: AsyncSession, row: OutboxMessage) -> Delivery:
    found = await store.by_id(session, roadmap_id=int(row.payload["roadmap_id"]))
    if found is None:
        return Skip(GONE)
    if not found.ts:
        raise Defer("the roadmap is not posted yet")
    text, blocks = roadmap_message(roadmap.from_payload(row.payload["months"]))
    return Update(channel=found.channel_id, ts=found.ts, text=text, blocks=blocks)


RENDERERS: dict[IntentType, Renderer] = {
    roadmap.ROADMAP_POST: Renderer(_post, after_sent=_posted),
    roadmap.ROADMAP_UPDATE: Renderer(_update),
}
