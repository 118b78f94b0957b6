"""Renderers for the core's own intents: organiser notices and role reminders."""

from __future__ import annotations

from datetime import UTC, datetime, time

from sqlmodel.ext.asyncio.session import AsyncSession

from activities import intents
from activities.intents import IntentType
from bot.blocks.common import section, slack_date
from bot.delivery import Delivery, Post, Renderer, Skip
from storage import roles as role_store
from storage.models import OutboxMessage, RoleTerm


async def _notice(session: AsyncSession, row: OutboxMessage) -> Delivery:
    text = str(row.payload["text"])
    return Post(text=text, blocks=[section(text)], users=(str(row.payload["user_id"]),))


async def _term_reminder(session: AsyncSession, row: OutboxMessage) -> Delivery:
    term = await role_store.get_term(session, term_id=row.payload["term_id"])
    if term is None or term.ended_at is not None:
        return Skip("term ended already")
    text = (
        f"<@{term.user_id}>'s {term.role} term ends {slack_date_for(term)}. "
        f"Renew it with `/community roles assign <@{term.user_id}> {term.role}` "
        "or hand the role to someone new."
    )
    return Post(text=text, blocks=[section(text)], users=(str(row.payload["admin_id"]),))


def slack_date_for(term: RoleTerm) -> str:
    return slack_date(datetime.combine(term.ends_on, time(12), tzinfo=UTC), "{date_long}")


RENDERERS: dict[IntentType, Renderer] = {
    intents.ORGANISER_NOTICE: Renderer(_notice),
    intents.ROLE_TERM_REMINDER: Renderer(_term_reminder),
}
