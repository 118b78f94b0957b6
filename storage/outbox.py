"""Outbox queries: enqueue intents, claim due rows, record what Slack answered."""

from __future__ import annotations

import importlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import bindparam, case, func, update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import OutboxMessage, OutboxStatus

Outbox = OutboxMessage.__table__  # type: ignore[attr-defined]


class Intent(Protocol):
    """What to say, as the use-cases describe it (activities.intents.Intent is one)."""

    @property
    def kind(self) -> str: ...
    @property
    def dedupe_key(self) -> str: ...
    @property
    def payload(self) -> dict[str, Any]: ...
    @property
    def refreshable(self) -> bool: ...


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
                # Re-armed: a quiet-hours hold decided for the old version no longer holds.
                "held_until": None,
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


@dataclass(frozen=True, slots=True)
class Claim:
    """The right to send one row, until `lease_until` unless renewed (the fencing token)."""

    row_id: int
    token: str
    version: int


async def claim_due(
    session: AsyncSession,
    *,
    now: datetime,
    limit: int,
    lease: timedelta,
    lease_now: datetime | None = None,
    per_intent: int | None = None,
    room: Mapping[str, int] | None = None,
) -> list[OutboxMessage]:
    """Mark up to `limit` due rows as being sent, each under a new claim token.

    `now` is the business clock (when rows are due); `lease_now` is the wall clock that
    leases are measured in. A row left `sending` by a courier that stopped renewing its
    lease (a crash) is taken back as soon as the lease ends, and marked in doubt: its
    send may have reached Slack. The compare-and-set on (status, version, claim token)
    lets several couriers share a database without two of them holding one row.

    Lanes: with `per_intent`, no intent gets more than that many rows, or than `room`
    says is left in its lane (0: its lane is full), and the rows are taken in turns
    across intents: every intent's first due row, then every intent's second, each turn
    in due order. A message someone is waiting for is then never queued behind the 500
    rows of a fan-out enqueued before it, whatever `limit` leaves.
    """
    wall = lease_now or now
    col = Outbox.c
    due = (col.status == OutboxStatus.PENDING) & (col.next_attempt_at <= now)
    lapsed = (col.status == OutboxStatus.SENDING) & (
        (col.lease_until.is_(None)) | (col.lease_until < wall)
    )
    eligible = due | lapsed
    if per_intent is None:
        stmt = select(OutboxMessage).where(eligible).order_by(col.next_attempt_at, col.id)
    else:
        full = [intent for intent, left in (room or {}).items() if left <= 0]
        if full:
            eligible = eligible & col.intent.not_in(full)
        turn = (
            func.row_number()
            .over(partition_by=col.intent, order_by=(col.next_attempt_at, col.id))
            .label("turn")
        )
        ranked = select(col.id, turn).where(eligible).subquery()
        left = {intent: n for intent, n in (room or {}).items() if 0 < n < per_intent}
        allowed = case(left, value=col.intent, else_=per_intent) if left else per_intent
        stmt = (
            select(OutboxMessage)
            .join(ranked, ranked.c.id == col.id)
            .where(ranked.c.turn <= allowed)
            .order_by(ranked.c.turn, col.next_attempt_at, col.id)
        )
    result = await session.exec(stmt.limit(limit))
    claimed: list[OutboxMessage] = []
    for row in result.all():
        token = uuid.uuid4().hex
        in_doubt = row.in_doubt or row.status == OutboxStatus.SENDING
        cas = await session.exec(
            update(Outbox)
            .where(
                col.id == row.id,
                col.status == row.status,
                col.version == row.version,
                col.claim_token == row.claim_token,
            )
            .values(
                status=OutboxStatus.SENDING,
                claimed_at=wall,
                claim_token=token,
                lease_until=wall + lease,
                in_doubt=in_doubt,
            )
        )
        if cas.rowcount == 1:
            row.status = OutboxStatus.SENDING
            row.claim_token = token
            row.claimed_at = wall
            row.lease_until = wall + lease
            row.in_doubt = in_doubt
            claimed.append(row)
    return claimed


def claim_of(row: OutboxMessage) -> Claim:
    assert row.id is not None
    return Claim(row_id=row.id, token=row.claim_token, version=row.version)


def _held(claim: Claim) -> Any:
    col = Outbox.c
    return (
        (col.id == claim.row_id)
        & (col.claim_token == claim.token)
        & (col.status == OutboxStatus.SENDING)
    )


async def renew(session: AsyncSession, *, tokens: list[str], until: datetime) -> set[str]:
    """Extend the leases still held under `tokens`; returns the tokens that are still held."""
    if not tokens:
        return set()
    col = Outbox.c
    held = (col.claim_token.in_(tokens)) & (col.status == OutboxStatus.SENDING)
    await session.exec(update(Outbox).where(held).values(lease_until=until))
    result = await session.exec(select(col.claim_token).where(held))
    return set(result.all())


async def mark_in_doubt(session: AsyncSession, *, claim: Claim) -> bool:
    """Record, before calling Slack, that this send may reach Slack (so a crash is checked)."""
    result = await session.exec(update(Outbox).where(_held(claim)).values(in_doubt=True))
    return bool(result.rowcount == 1)


def _delivered(*, channel_id: str, ts: str, now: datetime) -> dict[str, Any]:
    """The columns every way of marking a row sent sets: where it landed, and no claim left."""
    return {
        "channel_id": channel_id,
        "ts": ts,
        "sent_at": now,
        "last_error": "",
        "in_doubt": False,
        "claim_token": "",
        "lease_until": None,
    }


async def mark_sent(
    session: AsyncSession,
    *,
    claim: Claim,
    channel_id: str,
    ts: str,
    now: datetime,
    min_interval: timedelta = timedelta(seconds=1),
) -> bool:
    """Record Slack's answer, if the claim is still held (False: another courier took it).

    A row refreshed while it was being sent goes again, later.
    """
    col = Outbox.c
    unchanged = col.version == claim.version
    result = await session.exec(
        update(Outbox)
        .where(_held(claim))
        .values(
            **_delivered(channel_id=channel_id, ts=ts, now=now),
            status=case((unchanged, OutboxStatus.SENT), else_=OutboxStatus.PENDING),
            next_attempt_at=case((unchanged, col.next_attempt_at), else_=now + min_interval),
            held_until=case((unchanged, col.held_until), else_=None),
        )
    )
    return bool(result.rowcount == 1)


async def record_sent(
    session: AsyncSession, *, row_id: int, channel_id: str, ts: str, now: datetime
) -> None:
    """Mark a row sent outside the courier (a use-case that posted it itself, a test)."""
    col = Outbox.c
    await session.exec(
        update(Outbox)
        .where(col.id == row_id)
        .values(
            **_delivered(channel_id=channel_id, ts=ts, now=now),
            status=OutboxStatus.SENT,
        )
    )


async def mark_retry(
    session: AsyncSession,
    *,
    claim: Claim,
    error: str,
    next_attempt_at: datetime,
    count_attempt: bool = True,
    in_doubt: bool = False,
) -> bool:
    """Give the row back for a later attempt, if the claim is still held.

    `in_doubt` says the failed call may still have reached Slack (a timeout, a 5xx).
    A quiet-hours hold is let go (see `mark_held`): the retry is decided again.
    """
    col = Outbox.c
    result = await session.exec(
        update(Outbox)
        .where(_held(claim))
        .values(
            status=OutboxStatus.PENDING,
            attempts=col.attempts + (1 if count_attempt else 0),
            last_error=error,
            claim_token="",
            lease_until=None,
            in_doubt=col.in_doubt | in_doubt,
            next_attempt_at=case(
                (col.version == claim.version, next_attempt_at), else_=col.next_attempt_at
            ),
            held_until=None,
        )
    )
    return bool(result.rowcount == 1)


async def _release(session: AsyncSession, claim: Claim, **values: Any) -> bool:
    """Let go of a row with `values`, if the claim is still held."""
    result = await session.exec(
        update(Outbox).where(_held(claim)).values(claim_token="", lease_until=None, **values)
    )
    return bool(result.rowcount == 1)


async def mark_held(session: AsyncSession, *, claim: Claim, until: datetime, reason: str) -> bool:
    """Give the row back until `until` (its recipients' quiet hours), if the claim is
    still held.

    The rule: a hold is one decision, for one moment. The claim that comes at `until`,
    or within the courier's short grace after it, sends the row without deciding again
    (a window that slid meanwhile cannot move it). Any other claim decides again, as if
    the row were new: one long after `until` (the bot was down all night), a retry after
    that send failed (`mark_retry`), a row re-armed by a change (`enqueue`, `mark_sent`,
    `mark_failed`). So an old hold never lets a message go at night, and no row is lost:
    deciding again holds it, sends it, or drops a reminder that no longer matters. (A
    takeover after a crash keeps the hold, and `in_doubt`: the grace applies to it too.)"""
    return await _release(
        session,
        claim,
        status=OutboxStatus.PENDING,
        last_error=reason,
        next_attempt_at=until,
        held_until=until,
    )


async def mark_dropped(session: AsyncSession, *, claim: Claim, reason: str) -> bool:
    """Record, if the claim is still held, that the row is never to be sent (it could
    only arrive once it no longer matters), and why."""
    return await _release(session, claim, status=OutboxStatus.DROPPED, last_error=reason)


async def mark_failed(session: AsyncSession, *, claim: Claim, error: str) -> bool:
    """Fail the row for good, if the claim is still held; a row refreshed meanwhile goes again."""
    col = Outbox.c
    result = await session.exec(
        update(Outbox)
        .where(_held(claim))
        .values(
            status=case(
                (col.version == claim.version, OutboxStatus.FAILED), else_=OutboxStatus.PENDING
            ),
            last_error=error,
            attempts=col.attempts + 1,
            claim_token="",
            lease_until=None,
            held_until=case((col.version == claim.version, col.held_until), else_=None),
        )
    )
    return bool(result.rowcount == 1)


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


async def last_failed(
    session: AsyncSession, *, team_id: str, limit: int = 5
) -> list[OutboxMessage]:
    """A workspace's latest deliveries that failed for good, oldest of them first."""
    result = await session.exec(
        select(OutboxMessage)
        .where(Outbox.c.team_id == team_id, Outbox.c.status == OutboxStatus.FAILED)
        .order_by(Outbox.c.id.desc())
        .limit(limit)
    )
    return list(reversed(result.all()))


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
