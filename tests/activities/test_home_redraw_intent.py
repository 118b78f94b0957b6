"""`intents.redraw_homes`: one refreshable `home.redraw` row per viewer, so many changes in
a row give one publish; people who never opened the tab, and the person acting, get none."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from activities import intents
from storage import homes, outbox
from storage.db import Database
from storage.models import OutboxStatus

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)
TEAM = "T1"


async def test_changes_in_a_row_give_one_pending_redraw_a_viewer(db: Database) -> None:
    async with db.session() as session:
        for user in ("U1", "U2", "UME"):
            await homes.mark_opened(session, team_id=TEAM, user_id=user, now=NOW)
    for _ in range(3):  # three changes before the courier claims anything
        async with db.session() as session:
            shown = await intents.redraw_homes(
                session, team_id=TEAM, user_ids=["U1", "U2", "U3", "UME"], now=NOW, but="UME"
            )
        assert shown == {"U1", "U2", "UME"}
    async with db.session() as session:
        rows = await outbox.list_rows(session, team_id=TEAM)
    assert [(r.intent, r.payload["user_id"], r.status) for r in rows] == [
        ("home.redraw", "U1", OutboxStatus.PENDING),
        ("home.redraw", "U2", OutboxStatus.PENDING),
    ]
    # Once sent, the next change asks again, at once (no minimum interval).
    async with db.session() as session:
        (claimed, _) = await outbox.claim_due(
            session, now=NOW, limit=10, lease=timedelta(minutes=1)
        )
        await outbox.mark_sent(
            session, claim=outbox.claim_of(claimed), channel_id="", ts="", now=NOW
        )
    later = NOW + timedelta(milliseconds=10)
    async with db.session() as session:
        await intents.redraw_homes(session, team_id=TEAM, user_ids=["U1"], now=later)
        again = await outbox.get_by_key(session, dedupe_key=f"home:{TEAM}:U1")
    assert again is not None and again.status == OutboxStatus.PENDING
    assert again.next_attempt_at.replace(tzinfo=UTC) <= later


async def test_a_redraw_asked_in_a_change_holds_a_pending_row_until_it_commits(
    db: Database,
) -> None:
    """Asked for inside the change's transaction, a redraw already pending must still
    wait for that commit: a courier claiming the row before it would draw the tab
    without the change (and nothing would ask again)."""
    async with db.session() as session:
        await homes.mark_opened(session, team_id=TEAM, user_id="U1", now=NOW)
        await intents.redraw_homes(session, team_id=TEAM, user_ids=["U1"], now=NOW)

    async def claim() -> list[int]:
        async with db.session() as session:
            rows = await outbox.claim_due(session, now=NOW, limit=10, lease=timedelta(minutes=1))
        return [r.version for r in rows]

    async with db.session() as session:  # the change, and its redraw, not committed yet
        await intents.redraw_homes(session, team_id=TEAM, user_ids=["U1"], now=NOW)
        claiming = asyncio.create_task(claim())
        await asyncio.sleep(0.3)
        claimed_before_commit = claiming.done()
    assert not claimed_before_commit
    versions = await claiming
    async with db.session() as session:
        row = await outbox.get_by_key(session, dedupe_key=f"home:{TEAM}:U1")
    assert row is not None and row.version == 2
    # Claimed after the commit (this version or, next pass, the row still pending).
    assert versions in ([], [2]) and (versions or row.status == OutboxStatus.PENDING)
