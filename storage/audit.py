"""The audit log: every change of roles and activities is written here."""

from __future__ import annotations

from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.actor import Actor
from storage.models import AuditEntry
from storage.rows import rows_where

Audit = AuditEntry.__table__  # type: ignore[attr-defined]


async def record(
    session: AsyncSession,
    actor: Actor,
    action: str,
    subject: str,
    detail: dict[str, Any] | None = None,
) -> None:
    """Who did `action` to `subject`, in which workspace and when: the actor's."""
    session.add(
        AuditEntry(
            team_id=actor.team_id,
            actor_id=actor.user_id,
            action=action,
            subject=subject,
            detail=detail or {},
            at=actor.now,
        )
    )
    await session.flush()


async def entries(session: AsyncSession, *, team_id: str) -> list[AuditEntry]:
    of_team = (Audit.c.team_id == team_id,)
    return await rows_where(session, model=AuditEntry, where=of_team, order_by=(Audit.c.id,))
