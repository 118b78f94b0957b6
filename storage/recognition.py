"""Recognition queries: wins, thanks, where wins go, the leaderboard switch, opt-outs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.actor import Actor
from storage.models import CommunitySettings, RecognitionSettings, ShoutoutOptOut, Thanks, Win
from storage.rows import add_row, count_rows, merge_row, rows_where, team_settings, within
from storage.savepoint import add_unique

Wins = Win.__table__  # type: ignore[attr-defined]
Thank = Thanks.__table__  # type: ignore[attr-defined]
OptOuts = ShoutoutOptOut.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Source:
    """The message a win was shared from (the "Share as a win" shortcut); none for a
    typed win. Its `link` (the permalink) goes into the win's post, not into the row."""

    channel_id: str = ""
    ts: str = ""
    link: str = ""


TYPED = Source()


async def add_win(
    session: AsyncSession, actor: Actor, *, text: str, credited: list[str], source: Source
) -> Win:
    """A win `actor` shares now, crediting `credited`."""
    win = Win(
        team_id=actor.team_id,
        author_id=actor.user_id,
        text=text,
        credited=credited,
        source_channel_id=source.channel_id,
        source_ts=source.ts,
        created_at=actor.now,
    )
    return await add_row(session, row=win)


async def get_win(session: AsyncSession, *, win_id: int) -> Win | None:
    return await session.get(Win, win_id)


async def record_post(session: AsyncSession, *, win_id: int, channel_id: str, ts: str) -> None:
    await session.exec(
        sa.update(Wins).where(Wins.c.id == win_id).values(channel_id=channel_id, message_ts=ts)
    )


async def wins_between(
    session: AsyncSession, *, team_id: str, start: datetime, end: datetime
) -> list[Win]:
    in_window = (Wins.c.team_id == team_id, within(Wins.c.created_at, start=start, end=end))
    in_order = (Wins.c.created_at, Wins.c.id)
    return await rows_where(session, model=Win, where=in_window, order_by=in_order)


async def teams_with_wins(session: AsyncSession, *, start: datetime, end: datetime) -> list[str]:
    result = await session.exec(
        select(Wins.c.team_id).where(within(Wins.c.created_at, start=start, end=end)).distinct()
    )
    return [str(team) for team in result.all()]


def _credits(user_id: str) -> sa.ColumnElement[bool]:
    # `credited` is a JSON list of user ids; its text holds `"U…"` (ids are letters and
    # digits, so nothing in one is a LIKE wildcard). Portable across SQLite and PostgreSQL.
    return sa.cast(Wins.c.credited, sa.String).like(f'%"{user_id}"%')


async def wins_crediting(
    session: AsyncSession, *, team_id: str, user_id: str, limit: int
) -> tuple[int, list[Win]]:
    """How many wins credit `user_id`, and the latest `limit` of them."""
    where = (Wins.c.team_id == team_id, _credits(user_id))
    count = await count_rows(session, table=Wins, where=where)
    latest = (Wins.c.created_at.desc(), Wins.c.id.desc())
    return count, await rows_where(session, model=Win, where=where, order_by=latest, limit=limit)


async def add_thanks(session: AsyncSession, *, thanks: Thanks) -> Thanks:
    return await add_row(session, row=thanks)


async def get_thanks(session: AsyncSession, *, thanks_id: int) -> Thanks | None:
    return await session.get(Thanks, thanks_id)


async def thanks_given_since(
    session: AsyncSession, *, team_id: str, giver_id: str, since: datetime
) -> int:
    """How many thanks `giver_id` has given in workspace `team_id` since `since`."""
    return await count_rows(
        session,
        table=Thank,
        where=(
            Thank.c.team_id == team_id,
            Thank.c.giver_id == giver_id,
            Thank.c.created_at >= since,
        ),
    )


async def receivers_between(
    session: AsyncSession, *, team_id: str, start: datetime, end: datetime
) -> list[str]:
    """Who was thanked in [start, end), once per thanks."""
    result = await session.exec(
        select(Thank.c.receiver_id).where(
            Thank.c.team_id == team_id, within(Thank.c.created_at, start=start, end=end)
        )
    )
    return [str(user) for user in result.all()]


async def thanks_of(
    session: AsyncSession, *, team_id: str, user_id: str, side: str, limit: int
) -> tuple[int, list[Thanks]]:
    """How many thanks `user_id` gave (`side="giver_id"`) or got (`"receiver_id"`), and
    the latest `limit`."""
    where = (Thank.c.team_id == team_id, Thank.c[side] == user_id)
    count = await count_rows(session, table=Thank, where=where)
    latest = (Thank.c.created_at.desc(), Thank.c.id.desc())
    return count, await rows_where(session, model=Thanks, where=where, order_by=latest, limit=limit)


async def settings_of(session: AsyncSession, *, team_id: str) -> RecognitionSettings:
    return await team_settings(session, model=RecognitionSettings, team_id=team_id)


async def save_settings(session: AsyncSession, *, settings: RecognitionSettings) -> None:
    await merge_row(session, row=settings)


async def home_channel(session: AsyncSession, *, team_id: str) -> str:
    found = await session.get(CommunitySettings, team_id)
    return found.home_channel_id if found else ""


async def opted_out(session: AsyncSession, *, team_id: str, user_id: str) -> bool:
    return await session.get(ShoutoutOptOut, (team_id, user_id)) is not None


async def set_opt_out(
    session: AsyncSession, *, team_id: str, user_id: str, out: bool, now: datetime
) -> None:
    if out:
        await add_unique(session, ShoutoutOptOut(team_id=team_id, user_id=user_id, created_at=now))
        return
    await session.exec(
        sa.delete(OptOuts).where(OptOuts.c.team_id == team_id, OptOuts.c.user_id == user_id)
    )
