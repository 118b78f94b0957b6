"""Outbox queries: enqueue intents, claim due rows, record what Slack answered."""

from __future__ import annotations

import importlib
from datetime import datetime, timedelta

from sqlalchemy import bindparam, case, func, update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from activities.intents import Intent
from storage.models import OutboxMessage, OutboxStatus

Outbox = OutboxMessage.__table__  # type: ignore[attr-defined]


def _insert(session: AsyncSession):  # type: ignore[no-untyped-def]
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    # Only the dialect in use is imported: PostgreSQL's alone is ~2 MB of a SQLite bot.
    return importlib.import_module(f"sqlalchemy.dialects.{dialect}").insert(Outbox)


async def enqueue(
    session: AsyncSession,
    *,
    team_id: str,
    intent: Intent,
    now: datetime,
    min_interval: timedelta = timedelta(seconds=1),
    not_before: datetime | None = None,
) -> None:
    """Record an intent in the caller's transaction.

    A repeated one-shot intent is ignored (one row per dedupe key). A refreshable
    intent that was already sent is set pending again, no sooner than
    `min_interval` after its last send: that is how bursts are coalesced.
    """
    due = not_before or now
    values = {
        "team_id": team_id,
        "intent": intent.kind,
        "payload": intent.payload,
        "dedupe_key": intent.dedupe_key,
        "status": OutboxStatus.PENDING,
        "version": 1,
        "attempts": 0,
        "next_attempt_at": due,
        "last_error": "",
        "channel_id": "",
        "ts": "",
        "created_at": now,
    }
    stmt = _insert(session).values(**values)
    if not intent.refreshable:
        await session.exec(stmt.on_conflict_do_nothing(index_elements=["dedupe_key"]))
        return
    col = Outbox.c
    recently_sent = col.sent_at > now - min_interval
    next_attempt = case(
        (col.status == OutboxStatus.PENDING, col.next_attempt_at),
        (col.status == OutboxStatus.SENDING, now + min_interval),
        (recently_sent, now + min_interval),
        else_=due,
    )
    await session.exec(
        stmt.on_conflict_do_update(
            index_elements=["dedupe_key"],
            set_={
                # A row being sent stays `sending`: mark_sent sees the new version and
                # re-arms it, so two sends of one message never overlap.
                "status": case(
                    (col.status == OutboxStatus.SENDING, OutboxStatus.SENDING),
                    else_=OutboxStatus.PENDING,
                ),
                "version": col.version + 1,
                "payload": stmt.excluded.payload,
                "next_attempt_at": next_attempt,
                "attempts": 0,
            },
        )
    )


# Built once: it runs with every batch of votes, and building it costs more than running it.
_CHANGED_WHILE_UNSENT = (
    update(Outbox)
    .where(
        Outbox.c.dedupe_key == bindparam("refreshed_key"),
        Outbox.c.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]),
    )
    .values(version=Outbox.c.version + 1)
)


async def refresh_unsent(session: AsyncSession, *, dedupe_key: str) -> bool:
    """Mark a refreshable row that is still to be sent, or being sent, as changed.

    In the caller's transaction, holding the row's lock until it commits: the courier
    claims it afterwards (its compare-and-set sees the new version) or, if it is being
    sent, mark_sent sees the new version and sends it again. Same effect as enqueue for
    such a row, without building an upsert. False when the row is sent, failed or absent:
    then enqueue it.
    """
    result = await session.exec(_CHANGED_WHILE_UNSENT, params={"refreshed_key": dedupe_key})
    return int(result.rowcount) > 0


async def request_refresh(
    session: AsyncSession,
    *,
    team_id: str,
    intent: Intent,
    now: datetime,
    min_interval: timedelta = timedelta(seconds=1),
) -> None:
    """Enqueue a refreshable intent unless a send of it is already pending.

    Call it after the change it reflects was committed: a pending row is rendered
    later, so it will show that change. Skipping it avoids taking the row's lock.
    """
    result = await session.exec(
        select(Outbox.c.status).where(Outbox.c.dedupe_key == intent.dedupe_key)
    )
    if result.first() == OutboxStatus.PENDING:
        return
    await enqueue(session, team_id=team_id, intent=intent, now=now, min_interval=min_interval)


async def claim_due(
    session: AsyncSession, *, now: datetime, limit: int, stale_after: timedelta
) -> list[OutboxMessage]:
    """Mark up to `limit` due rows as being sent and return them.

    The compare-and-set on (status, version) lets two couriers share a database
    without sending a row twice. A row left `sending` by a crash is taken back
    after `stale_after`.
    """
    col = Outbox.c
    due = (col.status == OutboxStatus.PENDING) & (col.next_attempt_at <= now)
    stale = (col.status == OutboxStatus.SENDING) & (col.claimed_at < now - stale_after)
    result = await session.exec(
        select(OutboxMessage).where(due | stale).order_by(col.next_attempt_at, col.id).limit(limit)
    )
    claimed: list[OutboxMessage] = []
    for row in result.all():
        cas = await session.exec(
            update(Outbox)
            .where(col.id == row.id, col.status == row.status, col.version == row.version)
            .values(status=OutboxStatus.SENDING, claimed_at=now)
        )
        if cas.rowcount == 1:
            claimed.append(row)
    return claimed


async def mark_sent(
    session: AsyncSession,
    *,
    row_id: int,
    version: int,
    channel_id: str,
    ts: str,
    now: datetime,
    min_interval: timedelta = timedelta(seconds=1),
) -> None:
    """Record Slack's answer. A row refreshed while it was being sent goes again, later."""
    col = Outbox.c
    unchanged = col.version == version
    await session.exec(
        update(Outbox)
        .where(col.id == row_id)
        .values(
            channel_id=channel_id,
            ts=ts,
            sent_at=now,
            last_error="",
            status=case((unchanged, OutboxStatus.SENT), else_=OutboxStatus.PENDING),
            next_attempt_at=case((unchanged, col.next_attempt_at), else_=now + min_interval),
        )
    )


async def mark_retry(
    session: AsyncSession,
    *,
    row_id: int,
    version: int,
    error: str,
    next_attempt_at: datetime,
    count_attempt: bool = True,
) -> None:
    col = Outbox.c
    await session.exec(
        update(Outbox)
        .where(col.id == row_id)
        .values(
            status=OutboxStatus.PENDING,
            attempts=col.attempts + (1 if count_attempt else 0),
            last_error=error,
            next_attempt_at=case(
                (col.version == version, next_attempt_at), else_=col.next_attempt_at
            ),
        )
    )


async def mark_failed(session: AsyncSession, *, row_id: int, version: int, error: str) -> None:
    col = Outbox.c
    await session.exec(
        update(Outbox)
        .where(col.id == row_id, col.version == version)
        .values(status=OutboxStatus.FAILED, last_error=error, attempts=col.attempts + 1)
    )


async def get_by_key(session: AsyncSession, *, dedupe_key: str) -> OutboxMessage | None:
    result = await session.exec(select(OutboxMessage).where(Outbox.c.dedupe_key == dedupe_key))
    return result.first()


async def list_rows(
    session: AsyncSession, *, team_id: str | None = None, status: str | None = None
) -> list[OutboxMessage]:
    stmt = select(OutboxMessage).order_by(Outbox.c.id)
    if team_id is not None:
        stmt = stmt.where(Outbox.c.team_id == team_id)
    if status is not None:
        stmt = stmt.where(Outbox.c.status == status)
    result = await session.exec(stmt)
    return list(result.all())


async def next_due_at(session: AsyncSession) -> datetime | None:
    result = await session.exec(
        select(Outbox.c.next_attempt_at)
        .where(Outbox.c.status == OutboxStatus.PENDING)
        .order_by(Outbox.c.next_attempt_at)
        .limit(1)
    )
    return result.first()


async def count_in_flight(session: AsyncSession, *, now: datetime) -> int:
    """Rows being sent, or pending and due: zero means the courier has caught up."""
    col = Outbox.c
    result = await session.exec(
        select(func.count())
        .select_from(Outbox)
        .where(
            (col.status == OutboxStatus.SENDING)
            | ((col.status == OutboxStatus.PENDING) & (col.next_attempt_at <= now))
        )
    )
    return int(result.one())
