"""The base of every model and the column types shared by every table."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel
from sqlmodel._compat import SQLModelConfig  # the type SQLModel.model_config has


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on every database.

    SQLite has no time zone support, so values are stored as naive UTC and the
    zone is put back on load; PostgreSQL keeps `timestamptz`.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; pass an aware datetime")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    """The current time as an aware UTC datetime (for defaults only; use a Clock in logic)."""
    return datetime.now(UTC)


def utc_field(**kwargs: Any) -> Any:
    """A model field stored as `UTCDateTime` (other arguments as for sqlmodel's `Field`)."""
    return Field(sa_type=UTCDateTime, **kwargs)


class Model(SQLModel):
    """The base of every model here, tables and their shared field sets.

    pydantic builds a model's validator and serializer when it is first used (a row
    validated or dumped), not those of all forty-odd tables at every start: ~25 ms and
    ~1 MB of a start that may never touch most of them.
    """

    model_config = SQLModelConfig(defer_build=True)


class TeamRow(Model):
    """The two columns most tables open with: the row's id and its workspace, indexed
    because the table is read per workspace."""

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, index=True)


class MeetingSteps(Model):
    """The dated steps a scheduled meeting ends with, in both kinds that hold one (a book
    club's meeting, a talk): reminded a day and minutes before, started, finished. Each
    is set once, by a compare-and-set (`rows.mark_once`).

    A table puts these after its own steps: it derives from this and from a base holding
    its columns before them (pydantic lays the bases' fields out last base first), so its
    columns keep their order."""

    day_reminded_at: datetime | None = utc_field(default=None)
    soon_reminded_at: datetime | None = utc_field(default=None)
    started_at: datetime | None = utc_field(default=None)
    finished_at: datetime | None = utc_field(default=None)


class TeamChildRow(Model):
    """The same two columns for a table read through something else (a parent row, an
    activity, a composite index): its workspace is kept but has no index of its own."""

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
