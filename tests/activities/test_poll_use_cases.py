"""Poll use-cases against a real database: atomic votes, anonymity, deadlines."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event
from sqlmodel import select

from activities.actor import Actor
from activities.clock import ManualClock
from activities.kinds.poll import intents as poll_intents
from activities.kinds.poll import use_cases as uc
from activities.kinds.poll.rules import PollError, build_poll_spec
from storage import outbox
from storage.db import Database
from storage.kinds.poll import queries as store
from storage.kinds.poll.models import Poll, PollVote
from storage.models import OutboxMessage

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
TEAM = "T0001"
CHANNEL = "C0POLLS"
TS = "1700000000.000100"
SECRET = "test-secret"


async def make_poll(db: Database, *options: str, **flags: object) -> int:
    spec = build_poll_spec("Which?", list(options) or ["A", "B", "C"], now=NOW, **flags)  # type: ignore[arg-type]
    async with db.session() as session:
        poll = await uc.create_poll(
            session, actor=Actor(TEAM, "UCREATOR", NOW), channel_id=CHANNEL, spec=spec
        )
        assert poll.id is not None
        row = await outbox.get_by_key(session, dedupe_key=poll_intents.POST.key_of(poll.id))
        assert row is not None and row.id is not None
        await outbox.record_sent(session, row_id=row.id, channel_id=CHANNEL, ts=TS, now=NOW)
        return poll.id


async def vote(db: Database, poll_id: int, user: str, index: int, **kw: str) -> uc.VoteOutcome:
    async with db.session() as session:
        return await uc.cast_vote(
            session,
            team_id=TEAM,
            poll_id=poll_id,
            option_index=index,
            user_id=user,
            channel_id=kw.get("channel", CHANNEL),
            message_ts=kw.get("ts", TS),
            secret=SECRET,
            now=NOW,
        )


async def tally(db: Database, poll_id: int) -> tuple[int, ...]:
    async with db.session() as session:
        poll = await session.get(Poll, poll_id)
        assert poll is not None
        result, _ = await uc.load_tally(session, poll)
    return result.counts


async def test_concurrent_votes_each_count_exactly_once(db: Database) -> None:
    poll_id = await make_poll(db)
    users = [f"U{i:04d}" for i in range(60)]
    await asyncio.gather(*(vote(db, poll_id, u, i % 3) for i, u in enumerate(users)))
    assert await tally(db, poll_id) == (20, 20, 20)


async def test_one_voter_clicking_everything_at_once_keeps_one_vote(db: Database) -> None:
    poll_id = await make_poll(db)
    await asyncio.gather(*(vote(db, poll_id, "UALL", i % 3) for i in range(12)))
    async with db.session() as session:
        rows = await store.list_votes(session, poll_id=poll_id)
    assert len(rows) <= 1  # single choice: never two votes, whatever the interleaving


async def test_click_again_removes_and_other_option_moves(db: Database) -> None:
    poll_id = await make_poll(db)
    assert (await vote(db, poll_id, "U1", 0)).decision.action == "add"
    assert (await vote(db, poll_id, "U1", 1)).decision.action == "move"
    assert await tally(db, poll_id) == (0, 1, 0)
    assert (await vote(db, poll_id, "U1", 1)).decision.action == "remove"
    assert await tally(db, poll_id) == (0, 0, 0)


async def test_multi_choice_limit(db: Database) -> None:
    poll_id = await make_poll(db, "A", "B", "C", choices=2)
    await vote(db, poll_id, "U1", 0)
    await vote(db, poll_id, "U1", 1)
    refused = await vote(db, poll_id, "U1", 2)
    assert not refused.decision.accepted
    assert await tally(db, poll_id) == (1, 1, 0)


async def test_anonymous_rows_hold_no_user_id(db: Database) -> None:
    poll_id = await make_poll(db, anonymous=True)
    await asyncio.gather(*(vote(db, poll_id, f"USECRET{i}", i % 2) for i in range(6)))
    async with db.session() as session:
        rows = await store.list_votes(session, poll_id=poll_id)
        poll = await session.get(Poll, poll_id)
        assert poll is not None
        csv_text = await uc.export_csv(session, poll)
    assert len(rows) == 6
    assert all("USECRET" not in row.voter_key and len(row.voter_key) == 64 for row in rows)
    assert "USECRET" not in csv_text and "voters" not in csv_text.splitlines()[0]


async def test_forged_and_closed_votes_are_refused(db: Database) -> None:
    poll_id = await make_poll(db)
    with pytest.raises(PollError, match="doesn't belong"):
        await vote(db, poll_id, "U1", 0, ts="1.2")
    with pytest.raises(PollError, match="doesn't belong"):
        await vote(db, poll_id, "U1", 7)
    async with db.session() as session:
        closed = await uc.close_due(session, now=NOW)
        assert closed == []
        await uc.close_poll(
            session, actor=Actor(TEAM, "UCREATOR", NOW), poll_id=poll_id, may_organise=False
        )
    with pytest.raises(PollError, match="closed"):
        await vote(db, poll_id, "U1", 0)


async def test_deadline_closes_once_and_reminds_once(db: Database) -> None:
    spec = build_poll_spec("When?", ["A", "B"], closes_at=NOW + timedelta(hours=3), now=NOW)
    async with db.session() as session:
        poll = await uc.create_poll(
            session, actor=Actor(TEAM, "UC", NOW), channel_id=CHANNEL, spec=spec
        )
        assert await uc.remind_due(session, now=NOW) == []
        assert await uc.remind_due(session, now=NOW + timedelta(hours=2, minutes=5)) == [poll.id]
        assert await uc.remind_due(session, now=NOW + timedelta(hours=2, minutes=6)) == []
        assert [p.id for p in await uc.close_due(session, now=NOW + timedelta(hours=3))] == [
            poll.id
        ]
        assert await uc.close_due(session, now=NOW + timedelta(hours=4)) == []
        keys = [r.dedupe_key for r in (await session.exec(select(OutboxMessage))).all()]
    assert f"poll:{poll.id}:results" in keys and f"poll:{poll.id}:reminder" in keys


async def test_only_creator_or_organiser_may_close(db: Database) -> None:
    poll_id = await make_poll(db)
    async with db.session() as session:
        with pytest.raises(PollError, match="Only the person"):
            await uc.delete_poll(
                session, actor=Actor(TEAM, "UX", NOW), poll_id=poll_id, may_organise=False
            )
        await uc.delete_poll(
            session, actor=Actor(TEAM, "UX", NOW), poll_id=poll_id, may_organise=True
        )
    with pytest.raises(PollError, match="deleted"):
        await vote(db, poll_id, "U1", 0)
    async with db.session() as session:
        assert (await session.exec(select(PollVote))).all() == []


def ballot(poll_id: int, user: str, index: int, ts: str = TS) -> uc.Ballot:
    return uc.Ballot(TEAM, poll_id, index, user, CHANNEL, ts, NOW)


async def test_one_batch_applies_a_voters_clicks_in_order(db: Database) -> None:
    poll_id = await make_poll(db)
    clicks = [ballot(poll_id, "U1", 0), ballot(poll_id, "U1", 1), ballot(poll_id, "U2", 2)]
    clicks += [ballot(poll_id, "U1", 1), ballot(poll_id, "U1", 2), ballot(poll_id, "U2", 5)]
    async with db.session() as session:
        results = await uc.cast_votes(session, clicks, secret=SECRET, now=NOW)
    actions = [r.decision.action if isinstance(r, uc.VoteOutcome) else "error" for r in results]
    assert actions == ["add", "move", "add", "remove", "add", "error"]
    assert await tally(db, poll_id) == (0, 0, 2)
    async with db.session() as session:
        rows = await store.list_votes(session, poll_id=poll_id)
    assert sorted((r.voter_key, r.slot, r.option_index) for r in rows) == [
        ("U1", 0, 2),
        ("U2", 0, 2),
    ]


async def test_multi_choice_batch_keeps_the_limit(db: Database) -> None:
    poll_id = await make_poll(db, "A", "B", "C", choices=2)
    clicks = [ballot(poll_id, "U1", i) for i in (0, 1, 2, 0, 2)]
    async with db.session() as session:
        results = await uc.cast_votes(session, clicks, secret=SECRET, now=NOW)
    actions = [r.decision.action for r in results if isinstance(r, uc.VoteOutcome)]
    assert actions == ["add", "add", "refuse", "remove", "add"]
    assert await tally(db, poll_id) == (0, 1, 1)


async def test_the_vote_queue_shares_transactions_and_answers_each_voter(db: Database) -> None:
    poll_id = await make_poll(db)
    commits: list[int] = []
    event.listen(db.engine.sync_engine, "commit", lambda _conn: commits.append(1))
    queue = uc.VoteQueue(db, secret=SECRET, clock=ManualClock(NOW))
    users = [f"U{i:03d}" for i in range(120)]
    outcomes = await asyncio.gather(
        *(queue.cast(ballot(poll_id, u, i % 3)) for i, u in enumerate(users))
    )
    transactions = len(commits)
    assert [o.option_text for o in outcomes] == [["A", "B", "C"][i % 3] for i in range(120)]
    assert all(o.decision.action == "add" and o.changed for o in outcomes)
    assert await tally(db, poll_id) == (40, 40, 40)
    assert 1 <= transactions < 10  # grouped: far fewer transactions than votes
    async with db.session() as session:
        update = await outbox.get_by_key(session, dedupe_key=poll_intents.UPDATE.key_of(poll_id))
    # The redraw was asked for in the votes' own transactions, once per batch.
    assert update is not None and update.status == "pending"
    assert update.version == transactions


async def test_the_vote_queue_refuses_what_changed_after_caching(db: Database) -> None:
    poll_id = await make_poll(db)
    queue = uc.VoteQueue(db, secret=SECRET, clock=ManualClock(NOW))
    assert (await queue.cast(ballot(poll_id, "U1", 0))).changed  # the poll is cached now
    with pytest.raises(PollError, match="doesn't belong"):
        await queue.cast(ballot(poll_id, "U2", 0, ts="1.2"))
    with pytest.raises(PollError, match="can't find"):
        await queue.cast(ballot(poll_id + 1000, "U2", 0))
    async with db.session() as session:
        await uc.close_poll(
            session, actor=Actor(TEAM, "UCREATOR", NOW), poll_id=poll_id, may_organise=False
        )
    with pytest.raises(PollError, match="closed"):
        await queue.cast(ballot(poll_id, "U2", 1))
    with pytest.raises(PollError, match="closed"):
        await queue.cast(ballot(poll_id, "U1", 0))  # not even taking a vote back
    assert await tally(db, poll_id) == (1, 0, 0)


async def test_a_queued_click_does_not_hurry_the_next_redraw(db: Database) -> None:
    poll_id = await make_poll(db)
    clock = ManualClock(NOW)
    queue = uc.VoteQueue(db, secret=SECRET, clock=clock)
    await queue.cast(ballot(poll_id, "U1", 0))
    sent_at = NOW + timedelta(seconds=9.5)
    async with db.session() as session:  # the courier redraws the message
        claimed = await outbox.claim_due(session, now=sent_at, limit=10, lease=timedelta(minutes=5))
        (row,) = [r for r in claimed if r.dedupe_key == poll_intents.UPDATE.key_of(poll_id)]
        assert row.id is not None
        await outbox.mark_sent(
            session, claim=outbox.claim_of(row), channel_id=CHANNEL, ts=TS, now=sent_at
        )
    clock.set(NOW + timedelta(seconds=10))
    await queue.cast(ballot(poll_id, "U2", 1))  # clicked at NOW, applied ten seconds later
    async with db.session() as session:
        update = await outbox.get_by_key(session, dedupe_key=poll_intents.UPDATE.key_of(poll_id))
    assert update is not None and update.status == "pending"
    assert update.next_attempt_at >= sent_at + timedelta(seconds=1)
