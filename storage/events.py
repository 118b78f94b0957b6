"""Replay protection: one processed row per event `event_id`, and per request `trigger_id`."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import ProcessedEvent, ProcessedTrigger
from storage.savepoint import add_unique


async def mark_processed(
    session: AsyncSession, *, event_id: str, team_id: str, now: datetime
) -> bool:
    """True the first time an event id is seen; False for every redelivery."""
    return await add_unique(
        session, ProcessedEvent(event_id=event_id, team_id=team_id, received_at=now)
    )


@dataclass(frozen=True, slots=True)
class Trigger:
    """A command's or interaction's trigger id, as received."""

    trigger_id: str
    team_id: str
    received_at: datetime


async def mark_triggers_seen(session: AsyncSession, triggers: Sequence[Trigger]) -> list[bool]:
    """True for each trigger id seen for the first time; one statement for all of them.

    Slack gives every command and click its own trigger id, so a second request with
    the same one is a replay (a copied signed request), answered once only.
    The insert skips ids already stored and returns the ones it wrote, so two processes
    inserting the same id at once still see it first exactly once. Within ``triggers``
    only the first of a repeated id is new.
    """
    fresh: dict[str, Trigger] = {}
    for trigger in triggers:
        fresh.setdefault(trigger.trigger_id, trigger)
    table = ProcessedTrigger.__table__  # type: ignore[attr-defined]
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    insert = importlib.import_module(f"sqlalchemy.dialects.{dialect}").insert
    stmt = (
        insert(table)
        .values(
            [
                {"trigger_id": t.trigger_id, "team_id": t.team_id, "received_at": t.received_at}
                for t in fresh.values()
            ]
        )
        .on_conflict_do_nothing(index_elements=["trigger_id"])
        .returning(table.c.trigger_id)
    )
    written = set((await session.exec(stmt)).scalars().all())
    seen: set[str] = set()
    first: list[bool] = []
    for trigger in triggers:
        first.append(trigger.trigger_id in written and trigger.trigger_id not in seen)
        seen.add(trigger.trigger_id)
    return first


async def forget_before(session: AsyncSession, *, cutoff: datetime) -> int:
    """Drop ids older than Slack's retry window (minutes): the tables must not grow forever.

    A replayed request older than the cutoff is refused anyway: its signed timestamp is
    older than the five minutes the signature check allows.
    """
    removed = 0
    for model in (ProcessedEvent, ProcessedTrigger):
        table = model.__table__  # type: ignore[union-attr]
        result = await session.exec(delete(table).where(table.c.received_at < cutoff))
        removed += int(result.rowcount)
    return removed
