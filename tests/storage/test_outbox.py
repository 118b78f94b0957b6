"""The outbox on a real database: dedupe, claims, coalesced refreshes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from activities.intents import Intent
from storage import outbox
from storage.db import Database
from storage.models import OutboxMessage, OutboxStatus

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
LEASE = timedelta(seconds=6)


async def test_one_row_per_dedupe_key(db: Database) -> None:
    intent = Intent("announcement.post", "announcement:1:run:1", {"activity_id": 1})
    async with db.session() as session:
        await outbox.enqueue(session, team_id="T1", intent=intent, now=NOW)
        await outbox.enqueue(session, team_id="T1", intent=intent, now=NOW)
    async with db.session() as session:
        await outbox.enqueue(session, team_id="T1", intent=intent, now=NOW)
        rows = await outbox.list_rows(session)
    assert len(rows) == 1 and rows[0].status == OutboxStatus.PENDING


async def test_a_claimed_row_is_not_claimed_again_until_its_lease_lapses(db: Database) -> None:
    async with db.session() as session:
        await outbox.enqueue(session, team_id="T1", intent=Intent("x", "k1"), now=NOW)
    async with db.session() as session:
        first = await outbox.claim_due(session, now=NOW, limit=10, lease=LEASE)
    async with db.session() as session:
        second = await outbox.claim_due(session, now=NOW, limit=10, lease=LEASE)
    async with db.session() as session:
        after_crash = await outbox.claim_due(
            session, now=NOW + LEASE + timedelta(seconds=1), limit=10, lease=LEASE
        )
    assert [r.dedupe_key for r in first] == ["k1"]
    assert second == []
    assert [r.dedupe_key for r in after_crash] == ["k1"]
    # Its first holder may have posted it before dying: the next one must look first.
    assert not first[0].in_doubt and after_crash[0].in_doubt
    assert first[0].claim_token != after_crash[0].claim_token


async def test_a_claim_that_was_taken_over_cannot_mark_the_row(db: Database) -> None:
    async with db.session() as session:
        await outbox.enqueue(session, team_id="T1", intent=Intent("x", "k1"), now=NOW)
    async with db.session() as session:
        (old,) = await outbox.claim_due(session, now=NOW, limit=10, lease=LEASE)
    later = NOW + LEASE + timedelta(seconds=1)
    async with db.session() as session:
        (new,) = await outbox.claim_due(session, now=later, limit=10, lease=LEASE)
    # The first holder wakes up late: none of its updates may touch the row any more.
    async with db.session() as session:
        assert not await outbox.mark_sent(
            session, claim=outbox.claim_of(old), channel_id="C1", ts="1.1", now=later
        )
        assert not await outbox.mark_retry(
            session, claim=outbox.claim_of(old), error="x", next_attempt_at=later
        )
        assert not await outbox.mark_failed(session, claim=outbox.claim_of(old), error="x")
        stored = await outbox.get_by_key(session, dedupe_key="k1")
    assert stored is not None and (stored.status, stored.ts) == (OutboxStatus.SENDING, "")
    async with db.session() as session:
        assert await outbox.mark_sent(
            session, claim=outbox.claim_of(new), channel_id="C1", ts="2.2", now=later
        )
        stored = await outbox.get_by_key(session, dedupe_key="k1")
    assert stored is not None and (stored.status, stored.ts) == (OutboxStatus.SENT, "2.2")


async def test_a_renewed_lease_keeps_the_row_with_its_holder(db: Database) -> None:
    async with db.session() as session:
        await outbox.enqueue(session, team_id="T1", intent=Intent("x", "k1"), now=NOW)
    async with db.session() as session:
        (row,) = await outbox.claim_due(session, now=NOW, limit=10, lease=LEASE)
    for seconds in (4, 8, 12):  # the holder renews while Slack holds the send
        at = NOW + timedelta(seconds=seconds)
        async with db.session() as session:
            held = await outbox.renew(session, tokens=[row.claim_token], until=at + LEASE)
            assert held == {row.claim_token}
            again = await outbox.claim_due(
                session, now=at + timedelta(seconds=1), limit=10, lease=LEASE
            )
            assert again == []


async def test_sent_rows_are_never_claimed_again(db: Database) -> None:
    async with db.session() as session:
        await outbox.enqueue(session, team_id="T1", intent=Intent("x", "k1"), now=NOW)
    async with db.session() as session:
        (row,) = await outbox.claim_due(session, now=NOW, limit=10, lease=LEASE)
        assert row.id is not None
        await outbox.mark_sent(
            session, claim=outbox.claim_of(row), channel_id="C1", ts="1.2", now=NOW
        )
    async with db.session() as session:
        later = NOW + timedelta(days=1)
        assert await outbox.claim_due(session, now=later, limit=10, lease=LEASE) == []
        stored = await outbox.get_by_key(session, dedupe_key="k1")
    assert stored is not None and (stored.status, stored.channel_id, stored.ts) == (
        "sent",
        "C1",
        "1.2",
    )


async def test_refreshes_coalesce_to_at_most_one_send_per_interval(db: Database) -> None:
    update = Intent("poll.update", "poll:1:update", {"poll_id": 1}, refreshable=True)
    async with db.session() as session:
        for _ in range(50):  # a burst of votes asks for fifty updates
            await outbox.enqueue(session, team_id="T1", intent=update, now=NOW)
    async with db.session() as session:
        claimed = await outbox.claim_due(session, now=NOW, limit=10, lease=LEASE)
    assert len(claimed) == 1
    row = claimed[0]
    assert row.id is not None
    # Another vote lands while the update is being sent: the send must not mark it done.
    async with db.session() as session:
        await outbox.enqueue(session, team_id="T1", intent=update, now=NOW)
        await outbox.mark_sent(session, claim=outbox.claim_of(row), channel_id="C", ts="1", now=NOW)
    async with db.session() as session:
        stored = await outbox.get_by_key(session, dedupe_key="poll:1:update")
        assert stored is not None and stored.status == OutboxStatus.PENDING
        assert stored.next_attempt_at >= NOW + timedelta(seconds=1)  # not sooner than 1 s later
        assert (
            await outbox.claim_due(
                session, now=NOW + timedelta(milliseconds=500), limit=10, lease=LEASE
            )
            == []
        )
        again = await outbox.claim_due(
            session, now=NOW + timedelta(seconds=1), limit=10, lease=LEASE
        )
    assert len(again) == 1 and again[0].version == row.version + 1


async def test_a_refresh_long_after_the_last_send_is_due_at_once(db: Database) -> None:
    update = Intent("poll.update", "poll:2:update", {}, refreshable=True)
    async with db.session() as session:
        await outbox.enqueue(session, team_id="T1", intent=update, now=NOW)
    async with db.session() as session:
        (row,) = await outbox.claim_due(session, now=NOW, limit=10, lease=LEASE)
        assert row.id is not None
        await outbox.mark_sent(session, claim=outbox.claim_of(row), channel_id="C", ts="1", now=NOW)
    later = NOW + timedelta(minutes=5)
    async with db.session() as session:
        await outbox.enqueue(session, team_id="T1", intent=update, now=later)
    async with db.session() as session:
        assert len(await outbox.claim_due(session, now=later, limit=10, lease=LEASE)) == 1


async def test_a_message_being_sent_is_never_claimed_twice_at_once(db: Database) -> None:
    update = Intent("poll.update", "poll:3:update", {}, refreshable=True)
    async with db.session() as session:
        await outbox.enqueue(session, team_id="T1", intent=update, now=NOW)
    async with db.session() as session:
        (row,) = await outbox.claim_due(session, now=NOW, limit=10, lease=LEASE)
    # Votes keep arriving while Slack is slow to answer the update.
    for seconds in (1, 2, 3):
        later = NOW + timedelta(seconds=seconds)
        async with db.session() as session:
            await outbox.enqueue(session, team_id="T1", intent=update, now=later)
            assert await outbox.claim_due(session, now=later, limit=10, lease=LEASE) == []
    done = NOW + timedelta(seconds=3)
    assert row.id is not None
    async with db.session() as session:
        await outbox.mark_sent(
            session, claim=outbox.claim_of(row), channel_id="C", ts="1", now=done
        )
        stored = await outbox.get_by_key(session, dedupe_key="poll:3:update")
    assert stored is not None and stored.status == OutboxStatus.PENDING
    assert stored.next_attempt_at == done + timedelta(seconds=1)


def test_migrations_have_a_single_head() -> None:
    from alembic.script import ScriptDirectory

    from storage.migrate import alembic_config

    assert len(ScriptDirectory.from_config(alembic_config("")).get_heads()) == 1


async def test_the_migrations_build_exactly_the_tables_the_models_describe(db: Database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlmodel import SQLModel

    import storage.tables  # noqa: F401  (every table on the metadata)

    def diff(connection: object) -> list[object]:
        ours = set(SQLModel.metadata.tables) | {"alembic_version"}
        opts = {
            "compare_type": True,
            # slack_sdk's OAuth tables live beside ours but are not in our migrations.
            "include_name": lambda name, kind, _: kind != "table" or name in ours,
        }
        context = MigrationContext.configure(connection, opts=opts)  # type: ignore[arg-type]
        return list(compare_metadata(context, SQLModel.metadata))

    async with db.engine.connect() as connection:
        differences = await connection.run_sync(diff)
    assert differences == []


async def test_a_claim_in_lanes_never_puts_a_message_behind_a_fan_out(db: Database) -> None:
    async with db.session() as session:
        for group in range(100):
            intro = Intent("coffee.intro", f"coffee:group:{group}:intro", {})
            await outbox.enqueue(session, team_id="T1", intent=intro, now=NOW)
        later = NOW + timedelta(seconds=5)
        await outbox.enqueue(session, team_id="T1", intent=Intent("poll.post", "p:1"), now=later)
    at = NOW + timedelta(seconds=6)
    async with db.session() as session:
        first = await outbox.claim_due(session, now=at, limit=50, lease=LEASE, per_intent=8)
    kinds = [row.intent for row in first]
    assert kinds.count("coffee.intro") == 8 and kinds.count("poll.post") == 1
    # The intro lane is full: the next claim gives it nothing, and the poll lane is empty.
    async with db.session() as session:
        await outbox.enqueue(session, team_id="T1", intent=Intent("poll.post", "p:2"), now=at)
        again = await outbox.claim_due(
            session, now=at, limit=50, lease=LEASE, per_intent=8, room={"coffee.intro": 0}
        )
    assert [row.dedupe_key for row in again] == ["p:2"]
    # Room left in a lane caps it; a claim cut short by `limit` still takes turns: the
    # poll's row comes second, not after every intro due before it.
    async with db.session() as session:
        await outbox.enqueue(session, team_id="T1", intent=Intent("poll.post", "p:3"), now=at)
        turns = await outbox.claim_due(
            session, now=at, limit=2, lease=LEASE, per_intent=8, room={"coffee.intro": 3}
        )
        capped = await outbox.claim_due(
            session, now=at, limit=50, lease=LEASE, per_intent=8, room={"coffee.intro": 2}
        )
    assert [row.dedupe_key for row in turns] == ["coffee:group:8:intro", "p:3"]
    assert [row.dedupe_key for row in capped] == ["coffee:group:9:intro", "coffee:group:10:intro"]


async def _held_then_claimed(db: Database, intent: Intent) -> OutboxMessage:
    """A row held for quiet hours until an hour after NOW, then claimed at that moment."""
    later = NOW + timedelta(hours=1)
    async with db.session() as session:
        await outbox.enqueue(session, team_id="T1", intent=intent, now=NOW)
    async with db.session() as session:
        (row,) = await outbox.claim_due(session, now=NOW, limit=10, lease=LEASE)
        assert await outbox.mark_held(
            session, claim=outbox.claim_of(row), until=later, reason="quiet hours"
        )
    async with db.session() as session:
        (row,) = await outbox.claim_due(session, now=later, limit=10, lease=LEASE)
    assert row.held_until == later  # the claim at its moment sends it, whatever the window
    return row


async def test_a_held_row_that_fails_at_its_moment_is_decided_again(db: Database) -> None:
    # The hold was decided for that moment only: a retry (say at 19:05, after a long
    # series) is planned again, so it waits for the next morning rather than going at night.
    row = await _held_then_claimed(db, Intent("x", "k1"))
    async with db.session() as session:
        assert await outbox.mark_retry(
            session, claim=outbox.claim_of(row), error="timeout", next_attempt_at=NOW
        )
        (after,) = await outbox.list_rows(session)
    assert after.status == OutboxStatus.PENDING and after.held_until is None


async def test_a_held_row_re_armed_is_decided_again_and_a_sent_one_keeps_its_record(
    db: Database,
) -> None:
    intent = Intent("x", "k1", refreshable=True)
    row = await _held_then_claimed(db, intent)
    later = NOW + timedelta(hours=1)
    async with db.session() as session:
        await outbox.enqueue(session, team_id="T1", intent=intent, now=later)  # changed
        assert await outbox.mark_sent(
            session, claim=outbox.claim_of(row), channel_id="C1", ts="1.1", now=later
        )
        (again,) = await outbox.list_rows(session)
    # Sent, and due again for the change: not under the old decision.
    assert again.status == OutboxStatus.PENDING and again.held_until is None
    async with db.session() as session:
        (row,) = await outbox.claim_due(
            session, now=later + timedelta(seconds=2), limit=10, lease=LEASE
        )
        assert await outbox.mark_held(
            session, claim=outbox.claim_of(row), until=later + timedelta(hours=1), reason="q"
        )
        await outbox.enqueue(session, team_id="T1", intent=intent, now=later)
        (pending,) = await outbox.list_rows(session)
    assert pending.held_until is None  # re-armed while held: decided again when claimed
    unchanged = await _held_then_claimed(db, Intent("x", "k2"))
    async with db.session() as session:
        assert await outbox.mark_sent(
            session, claim=outbox.claim_of(unchanged), channel_id="C1", ts="1.2", now=later
        )
        sent = await outbox.get_by_key(session, dedupe_key="k2")
    assert sent is not None and sent.status == OutboxStatus.SENT and sent.held_until == later
