"""Who has opened the bot's Home tab (only their tabs are redrawn after a change), and
when each organiser last opened each line of what waits for them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import or_, true
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import HomeViewer, Member, WaitingSeen
from storage.savepoint import add_unique
from storage.upsert import insert


async def mark_opened(session: AsyncSession, *, team_id: str, user_id: str, now: datetime) -> None:
    """`user_id` opened the Home tab: remembered the first time (`opened_at` stays), and
    each opening starts the tab at the top (the first page, nothing opened)."""
    viewer = await session.get(HomeViewer, (team_id, user_id))
    if viewer is None:
        await add_unique(session, HomeViewer(team_id=team_id, user_id=user_id, opened_at=now))
    else:
        await mark_shown(session, team_id=team_id, user_id=user_id, page=0, focus="")


async def shown(session: AsyncSession, *, team_id: str, user_id: str) -> tuple[int, str]:
    """The page and the opened waiting items `user_id`'s tab last showed (the first page,
    nothing opened, for someone who never opened it)."""
    viewer = await session.get(HomeViewer, (team_id, user_id))
    return (viewer.page, viewer.focus) if viewer is not None else (0, "")


async def mark_shown(
    session: AsyncSession, *, team_id: str, user_id: str, page: int, focus: str
) -> None:
    """`user_id`'s tab now shows `page` with `focus` opened (only a viewer's is kept)."""
    viewer = await session.get(HomeViewer, (team_id, user_id))
    if viewer is not None and (viewer.page, viewer.focus) != (page, focus):
        viewer.page, viewer.focus = page, focus
        session.add(viewer)


async def viewers(
    session: AsyncSession, *, team_id: str, user_ids: Iterable[str], admins: bool = False
) -> set[str]:
    """Those of `user_ids` who have opened the Home tab; with `admins`, also every viewer
    whose stored profile says they are a workspace admin."""
    wanted = sorted(set(user_ids))
    if not wanted and not admins:
        return set()
    named = col(HomeViewer.user_id).in_(wanted)
    query = select(HomeViewer.user_id).where(col(HomeViewer.team_id) == team_id)
    if admins:
        is_admin = (
            select(Member.user_id)
            .where(col(Member.team_id) == team_id, col(Member.is_admin) == true())
            .scalar_subquery()
        )
        query = query.where(or_(named, col(HomeViewer.user_id).in_(is_admin)))
    else:
        query = query.where(named)
    return set((await session.exec(query)).all())


async def mark_seen(
    session: AsyncSession, *, team_id: str, user_id: str, key: str, now: datetime
) -> None:
    """`user_id` opened the "Waiting for you" line `key` now."""
    stmt = insert(session, WaitingSeen.__table__).values(  # type: ignore[attr-defined]
        team_id=team_id, user_id=user_id, key=key, seen_at=now
    )
    await session.exec(
        stmt.on_conflict_do_update(
            index_elements=["team_id", "user_id", "key"], set_={"seen_at": now}
        )
    )


async def seen(session: AsyncSession, *, team_id: str, user_id: str) -> dict[str, datetime]:
    """When `user_id` last opened each of their "Waiting for you" lines, by its key."""
    result = await session.exec(
        select(WaitingSeen.key, WaitingSeen.seen_at).where(
            col(WaitingSeen.team_id) == team_id, col(WaitingSeen.user_id) == user_id
        )
    )
    return dict(result.all())
