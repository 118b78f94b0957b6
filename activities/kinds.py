"""The registry of activity kinds: what runs when an activity's slot comes up."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Activity, Run


@dataclass(frozen=True, slots=True)
class Profile:
    """What the bot knows of a person from Slack."""

    user_id: str
    name: str = ""
    real_name: str = ""
    timezone: str = "UTC"
    title: str = ""
    is_admin: bool = False
    is_bot: bool = False
    deleted: bool = False


class Directory(Protocol):
    """The few facts from Slack a use-case may need, behind a small interface."""

    async def channel_members(self, team_id: str, channel_id: str) -> list[str]: ...

    async def profile(self, team_id: str, user_id: str) -> Profile | None: ...


@dataclass(slots=True)
class RunContext:
    session: AsyncSession
    activity: Activity
    run: Run
    now: datetime
    directory: Directory


RunHandler = Callable[[RunContext], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Kind:
    name: str
    label: str
    run: RunHandler


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    _KINDS[kind.name] = kind


def get(name: str) -> Kind | None:
    return _KINDS.get(name)


def names() -> list[str]:
    return sorted(_KINDS)
