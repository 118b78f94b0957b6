"""Renderers for the foundation's intents: announcements, notices, role reminders."""

from __future__ import annotations

from datetime import UTC, datetime, time

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.blocks import activities as activity_blocks
from bot.blocks.common import section, slack_date
from bot.delivery import Delivery, Post, Renderer, Skip
from storage import activities as activity_store
from storage import roles as role_store
from storage.models import OutboxMessage, RoleTerm


async def _announcement(session: AsyncSession, row: OutboxMessage) -> Delivery:
    activity = await activity_store.get_activity(
        session, team_id=row.team_id, activity_id=row.payload["activity_id"]
    )
    run = await activity_store.get_run(session, run_id=row.payload["run_id"])
    if activity is None or run is None:
        return Skip("activity or run deleted")
    text, blocks = activity_blocks.announcement(
        activity, late_since=run.scheduled_for if run.late else None
    )
    return Post(text=text, blocks=blocks, channel=activity.channel_id)


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


RENDERERS: dict[str, Renderer] = {
    "announcement.post": Renderer(_announcement),
    "organiser.notice": Renderer(_notice),
    "roles.term_reminder": Renderer(_term_reminder),
}
