"""Adding and reading rows: the one insert and the reads every query module shares.

Like every query in storage/, each takes the caller's session first; then, positionally,
the acting `Actor` (who and when a write stamps) or the one value the function is about
(a row to add, a post, a mark, a table), if any; the rest by keyword. One exception:
`audit.record(session, actor, action, subject, detail)`, which reads as the entry it writes.
Condition builders (`within`, `person_of`, `in_status` here, `roles.current_where`…)
take no session, only what their condition compares.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, FromClause, and_, func, inspect, update
from sqlalchemy.orm import Mapped
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from storage.savepoint import add_unique
from storage.types import TeamChildRow, TeamRow

Row = TypeVar("Row", bound=SQLModel)
T = TypeVar("T")
Owned = TypeVar("Owned", bound=TeamRow | TeamChildRow)
K = TypeVar("K")

# The conditions a query's rows must all meet (sqlmodel types `Model.column == value` as
# bool), and what orders them: a column, or one with `.desc()`.
Where = Iterable[ColumnElement[bool] | bool]
OrderBy = ColumnElement[Any] | Mapped[Any]


async def add_row(session: AsyncSession, *, row: Row) -> Row:
    """Insert `row` in the caller's transaction; it comes back with its id."""
    session.add(row)
    await session.flush()
    return row


async def fetch_one(session: AsyncSession, *, statement: SelectOfScalar[T]) -> T | None:
    """The first row `statement` selects, or None."""
    return (await session.exec(statement)).first()


async def fetch_all(session: AsyncSession, *, statement: SelectOfScalar[T]) -> list[T]:
    """Every row `statement` selects, in its order."""
    return list((await session.exec(statement)).all())


def within(
    column: ColumnElement[datetime] | Mapped[datetime], *, start: datetime, end: datetime
) -> ColumnElement[bool]:
    """`column`'s moment falls inside [start, end)."""
    return and_(column >= start, column < end)


async def rows_where(
    session: AsyncSession,
    *,
    model: type[Row],
    where: Where = (),
    order_by: Iterable[OrderBy] = (),
    limit: int | None = None,
) -> list[Row]:
    """The rows of `model` that match every one of `where`, in `order_by`'s order, at most
    `limit` of them."""
    statement = select(model).where(*where).order_by(*order_by)
    return await fetch_all(session, statement=statement.limit(limit))


async def row_where(
    session: AsyncSession, *, model: type[Row], where: Where, order_by: Iterable[OrderBy] = ()
) -> Row | None:
    """The first row of `model` (in `order_by`'s order) that matches every one of `where`,
    or None."""
    statement = select(model).where(*where).order_by(*order_by)
    return await fetch_one(session, statement=statement.limit(1))


async def count_rows(
    session: AsyncSession, *, table: type[SQLModel] | FromClause, where: Where = ()
) -> int:
    """How many rows of `table` match every one of `where`."""
    return int((await session.exec(select(func.count()).select_from(table).where(*where))).one())


async def team_row(
    session: AsyncSession, *, model: type[Owned], team_id: str, row_id: int
) -> Owned | None:
    """Row `row_id` of `model` if it belongs to workspace `team_id`: an id that came with a
    button or a command is only ever read in the workspace it came from."""
    return await fetch_one(
        session,
        statement=select(model).where(col(model.id) == row_id, col(model.team_id) == team_id),
    )


async def rows_by_key(
    session: AsyncSession,
    *,
    model: type[Row],
    key: Any,
    keys: Collection[K],
    where: Where = (),
) -> dict[K, Row]:
    """The rows of `model` whose `key` column holds one of `keys` (and that match every one
    of `where`), each under its key. No keys asked for, no query."""
    if not keys:
        return {}
    name: str = key.key
    found = await session.exec(select(model).where(col(key).in_(list(keys)), *where))
    return {getattr(row, name): row for row in found.all()}


def person_of(model: type[SQLModel], team_id: str, user_id: str) -> tuple[ColumnElement[bool], ...]:
    """One person's rows of a table keyed by workspace and person (its `team_id` and
    `user_id` columns)."""
    columns = inspect(model).c
    return (columns.team_id == team_id, columns.user_id == user_id)


def in_status(
    model: type[SQLModel], activity_id: int, status: str
) -> tuple[ColumnElement[bool], ...]:
    """An activity's rows of `model` whose `status` column holds `status` (a kind's
    approved tips, scheduled or given talks, started rounds, proposed books)."""
    columns = inspect(model).c
    return (columns.activity_id == activity_id, columns.status == status)


async def person_row(
    session: AsyncSession, *, model: type[Row], team_id: str, user_id: str
) -> Row | None:
    """A person's row of a table that keeps one row per workspace and person, or None."""
    return await row_where(session, model=model, where=person_of(model, team_id, user_id))


async def person_row_made(
    session: AsyncSession, *, model: type[Row], team_id: str, user_id: str, new: Callable[[], Row]
) -> Row:
    """A person's row of a table that keeps one row per workspace and person, made by
    `new` on their first ask.

    Two first asks at once both find no row; the later insert breaks the table's unique
    rule, inside a savepoint, and that ask reads the row the other one made instead.
    """
    found = await person_row(session, model=model, team_id=team_id, user_id=user_id)
    if found is not None:
        return found
    row = new()
    if await add_unique(session, row):
        return row
    found = await person_row(session, model=model, team_id=team_id, user_id=user_id)
    assert found is not None, "the unique rule turned the row down, so one is there"
    return found


async def people_rows(
    session: AsyncSession, *, model: type[Row], team_id: str, user_ids: Collection[str]
) -> dict[str, Row]:
    """Each of `user_ids`' row of a table that keeps one row per workspace and person (its
    `team_id` and `user_id` columns), by user id; the people without one are left out."""
    mapper = inspect(model)
    return await rows_by_key(
        session,
        model=model,
        key=mapper.c.user_id,
        keys=user_ids,
        where=(mapper.c.team_id == team_id,),
    )


@dataclass(frozen=True, slots=True)
class Pile(Generic[Row]):
    """A workspace's rows of `model` whose `status` column holds `status`: what waits
    there for its organisers (contributed tips to review, volunteered talks), read as a
    count and as the oldest first."""

    model: type[Row]
    status: str

    def _where(self, team_id: str) -> tuple[ColumnElement[bool], ...]:
        columns = inspect(self.model).c
        return (columns.team_id == team_id, columns.status == self.status)

    async def count(self, session: AsyncSession, *, team_id: str) -> int:
        return await count_rows(session, table=self.model, where=self._where(team_id))

    async def oldest(self, session: AsyncSession, *, team_id: str, limit: int = 20) -> list[Row]:
        """The first `limit` of the pile, oldest first."""
        where = self._where(team_id)
        oldest_first = (inspect(self.model).c.id,)
        return await rows_where(
            session, model=self.model, where=where, order_by=oldest_first, limit=limit
        )


async def team_settings(session: AsyncSession, *, model: type[Row], team_id: str) -> Row:
    """A workspace's row of a one-row-per-team settings table (keyed by `team_id`): the
    saved one, else an unsaved row of the defaults."""
    found = await session.get(model, team_id)
    return found or model(team_id=team_id)


async def merge_row(session: AsyncSession, *, row: SQLModel) -> None:
    """Save `row` whether or not it is in the database yet (its primary key decides)."""
    await session.merge(row)
    await session.flush()


def dated_column(model: type[SQLModel], name: str) -> Mapped[datetime | None]:
    """`model`'s dated step column called `name`: the step rules name a step by its
    column (`started_at`, `reminded_30_at`…), so this is looked up when it runs."""
    return col(getattr(model, name))


async def mark_once(
    session: AsyncSession,
    *,
    model: type[SQLModel],
    row_id: int,
    step: Mapped[datetime | None],
    now: datetime,
    also: Mapping[Mapped[Any], object] | None = None,
) -> bool:
    """Set row `row_id`'s dated `step` column of `model` (`col(BookMilestone.posted_at)`…)
    to `now` only while it is unset: a compare-and-set, so True for exactly one caller.
    `also` holds the other columns the same write sets, and their values (what the step
    decided: a book, a count).

    An ORM update of `model`, so a row this session has loaded shows the new values too:
    a later step in the same transaction reads it from the session, not the database."""
    columns = inspect(model).c
    result = await session.exec(
        update(model)
        .where(columns.id == row_id, step.is_(None))
        .values({step: now, **(also or {})})
    )
    return int(result.rowcount) == 1
