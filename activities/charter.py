"""The community's charter, its home channel and the audit log as admins read it."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from activities import intents
from activities.actor import Actor
from activities.audit_trail import record
from activities.kind import Profile
from storage import activities as activity_store
from storage import audit
from storage import governance as store
from storage.models import AuditEntry


async def record_charter_edit(session: AsyncSession, *, actor: Actor) -> None:
    await record(session, actor, "charter.edit", "charter")


async def welcome_joiner(
    session: AsyncSession, *, joiner: Actor, channel_id: str, profile: Profile | None
) -> bool:
    """Send the charter to someone who joined a community channel: once, never to a bot.

    A community channel is the home channel or one an activity runs in."""
    team_id, user_id, now = joiner.team_id, joiner.user_id, joiner.now
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


async def set_home_channel(session: AsyncSession, *, actor: Actor, channel_id: str) -> None:
    settings = await store.settings_of(session, team_id=actor.team_id)
    settings.home_channel_id = channel_id
    settings.updated_by = actor.user_id
    settings.updated_at = actor.now
    await store.save_settings(session, settings=settings)
    await record(session, actor, "settings.channel", "settings", {"channel": channel_id})


async def audit_entries(session: AsyncSession, *, team_id: str, about: str) -> list[AuditEntry]:
    """The latest entries, newest first; `about` keeps only role.* or activity.* ones."""
    entries = await audit.entries(session, team_id=team_id)
    if about:
        entries = [e for e in entries if e.action.startswith(f"{about}.")]
    return list(reversed(entries))[:40]
