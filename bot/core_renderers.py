"""Renderers for the core's own intents: organiser notices, governance's and recognition's."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from activities import intents
from activities.intents import IntentType
from bot.blocks.common import section
from bot.delivery import Delivery, Post, Publish, RedrawChannel, Renderer
from bot.governance_renderers import RENDERERS as GOVERNANCE_RENDERERS
from bot.recognition_renderers import RENDERERS as RECOGNITION_RENDERERS
from bot.roadmap_renderers import RENDERERS as ROADMAP_RENDERERS
from storage.models import OutboxMessage


async def _notice(session: AsyncSession, row: OutboxMessage) -> Delivery:
    text = str(row.payload["text"])
    return Post(text=text, blocks=[section(text)], users=(str(row.payload["user_id"]),))


async def _home(session: AsyncSession, row: OutboxMessage) -> Delivery:
    return Publish(user_id=str(row.payload["user_id"]))


async def _channel_homes(session: AsyncSession, row: OutboxMessage) -> Delivery:
    payload = row.payload
    return RedrawChannel(channel=str(payload["channel_id"]), but=str(payload.get("but", "")))


RENDERERS: dict[IntentType, Renderer] = {
    intents.ORGANISER_NOTICE: Renderer(_notice),
    # Asked for again while being sent: sent again at once, at views.publish's pace.
    intents.HOME_REDRAW: Renderer(_home, resend_after=timedelta(0)),
    intents.HOME_REDRAW_CHANNEL: Renderer(_channel_homes),
    **GOVERNANCE_RENDERERS,
    **ROADMAP_RENDERERS,
    **RECOGNITION_RENDERERS,
}
