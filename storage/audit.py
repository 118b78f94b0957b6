"""The audit log: every change of roles and activities is written here."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import AuditEntry
from storage.rows import rows_where

Audit = AuditEntry.__table__  # type: ignore[attr-defined]


async def record(
    session: AsyncSession,
    *,
    team_id: str,
    actor_id: str,
    action: str,
    subject: str,
    now: datetime,
    detail: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditEntry(
            team_id=team_id,
            actor_id=actor_id,
            action=action,
            subject=subject,
            detail=detail or {},
            at=now,
        )
    )
    await session.flush()


async def entries(session: AsyncSession, *, team_id: str) -> list[AuditEntry]:
    of_team = (Audit.c.team_id == team_id,)
    return await rows_where(session, model=AuditEntry, where=of_team, order_by=(Audit.c.id,))
