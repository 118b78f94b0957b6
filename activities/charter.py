"""The community's charter, its home channel and the audit log as admins read it."""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from activities import intents
from activities.kind import Profile
from storage import activities as activity_store
from storage import audit
from storage import governance as store
from storage.models import AuditEntry


async def record_charter_edit(
    session: AsyncSession, *, team_id: str, actor_id: str, now: datetime
) -> None:
    await audit.record(
        session,
        team_id=team_id,
        actor_id=actor_id,
        action="charter.edit",
        subject="charter",
        now=now,
    )


async def welcome_joiner(
    session: AsyncSession,
    *,
    team_id: str,
    user_id: str,
    channel_id: str,
    profile: Profile | None,
    now: datetime,
) -> bool:
    """Send the charter to someone who joined a community channel: once, never to a bot.

    A community channel is the home channel or one an activity runs in."""
    if profile is None or profile.is_bot or profile.deleted:
        return False
    settings = await store.settings_of(session, team_id=team_id)
    channels = {
        a.channel_id for a in await activity_store.list_activities(session, team_id=team_id)
    }
    if channel_id != settings.home_channel_id and channel_id not in channels:
        return False
    if not await store.welcome_once(
        session, team_id=team_id, user_id=user_id, channel_id=channel_id, now=now
    ):
        return False
    await intents.say(
        session,
        team_id=team_id,
        intent=intents.CHARTER_WELCOME(f"charter:{team_id}:{user_id}", user_id=user_id),
        now=now,
    )
    return True


async def set_home_channel(
    session: AsyncSession, *, team_id: str, actor_id: str, channel_id: str, now: datetime
) -> None:
    settings = await store.settings_of(session, team_id=team_id)
    settings.home_channel_id = channel_id
    settings.updated_by = actor_id
    settings.updated_at = now
    await store.save_settings(session, settings=settings)
    await audit.record(
        session,
        team_id=team_id,
        actor_id=actor_id,
        action="settings.channel",
        subject="settings",
        detail={"channel": channel_id},
        now=now,
    )


async def audit_entries(session: AsyncSession, *, team_id: str, about: str) -> list[AuditEntry]:
    """The latest entries, newest first; `about` keeps only role.* or activity.* ones."""
    entries = await audit.entries(session, team_id=team_id)
    if about:
        entries = [e for e in entries if e.action.startswith(f"{about}.")]
    return list(reversed(entries))[:40]
