"""Member (Slack profile) and workspace queries."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from sqlalchemy import update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Member, MemberBase, Workspace
from storage.rows import people_rows, person_of, person_row
from storage.upsert import insert

Members = Member.__table__  # type: ignore[attr-defined]


# Rows a statement: well inside both databases' limits on bound parameters (~32,000).
UPSERT_CHUNK = 500


async def upsert_member(session: AsyncSession, *, profile: MemberBase, now: datetime) -> None:
    """Insert or refresh one person's profile facts."""
    await upsert_members(session, profiles=[profile], now=now)


async def upsert_members(
    session: AsyncSession, *, profiles: Iterable[MemberBase], now: datetime
) -> None:
    """Insert or refresh people's profile facts, a few statements for any number of people.

    Rows are written in (workspace, person) order, the last profile of a person winning:
    two transactions saving overlapping people then lock them in the same order, so one
    waits for the other instead of each holding what the other needs (a deadlock).
    """
    latest = {(p.team_id, p.user_id): p for p in profiles}
    rows = [{**latest[key].model_dump(), "refreshed_at": now} for key in sorted(latest)]
    for start in range(0, len(rows), UPSERT_CHUNK):
        stmt = insert(session, Members).values(rows[start : start + UPSERT_CHUNK])
        changed = {k: stmt.excluded[k] for k in rows[0] if k not in ("team_id", "user_id")}
        await session.exec(
            stmt.on_conflict_do_update(index_elements=["team_id", "user_id"], set_=changed)
        )


async def get_member(session: AsyncSession, *, team_id: str, user_id: str) -> Member | None:
    return await person_row(session, model=Member, team_id=team_id, user_id=user_id)


async def get_members(
    session: AsyncSession, *, team_id: str, user_ids: Sequence[str]
) -> dict[str, Member]:
    return await people_rows(session, model=Member, team_id=team_id, user_ids=user_ids)


async def ensure_workspace(
    session: AsyncSession, *, team_id: str, bot_user_id: str, now: datetime
) -> None:
    if await session.get(Workspace, team_id) is None:
        session.add(Workspace(team_id=team_id, bot_user_id=bot_user_id, installed_at=now))
        await session.flush()


async def record_channels(
    session: AsyncSession, *, team_id: str, channels: Mapping[str, Iterable[str]], now: datetime
) -> None:
    """Remember which public channels each person is in, and when that was read."""
    for user_id, found in channels.items():
        await session.exec(
            update(Members)
            .where(*person_of(Member, team_id, user_id))
            .values(channels=sorted(found), channels_at=now)
        )
