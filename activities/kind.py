"""The contract every activity kind fulfils on the domain side, and the catalogue of kinds.

A kind (announcement, coffee, poll…) is one `ActivityKind` record: its name and
label, its typed settings, the form that creates and edits it, the intents it may
emit and what runs when one of its slots comes up. The entry point (bot/app.py)
builds the catalogue from an explicit list; nothing registers itself on import.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from activities.channels import ChannelAccess
from activities.errors import UserError
from activities.forms import Form
from activities.intents import IntentType
from activities.timeline import TimelineSource
from storage.models import Activity, MemberBase, Run


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

    @classmethod
    def of(cls, member: MemberBase) -> Profile:
        """What the bot keeps of the person (storage's cached copy), as use-cases read it."""
        return cls(**{f.name: getattr(member, f.name) for f in fields(cls)})


@dataclass(frozen=True, slots=True)
class Named:
    """A person a command names: their id, and what Slack says of them (None: Slack knows
    no such person in the workspace)."""

    user_id: str
    profile: Profile | None


class Directory(Protocol):
    """The few facts from Slack a use-case may need, behind a small interface."""

    async def channel_members(self, team_id: str, channel_id: str) -> list[str]: ...

    async def profile(self, team_id: str, user_id: str) -> Profile | None: ...

    async def profiles(self, team_id: str, user_ids: Sequence[str]) -> dict[str, Profile]: ...

    async def channels_of(
        self, team_id: str, user_ids: Sequence[str]
    ) -> dict[str, frozenset[str]]: ...

    async def channel_access(
        self, team_id: str, channel_id: str, user_id: str
    ) -> ChannelAccess: ...


class KindSettings(BaseModel):
    """A kind's own settings, stored as JSON in `Activity.config` and validated on read."""

    model_config = ConfigDict(frozen=True, extra="forbid")


S = TypeVar("S", bound=KindSettings)


@dataclass(slots=True)
class RunContext:
    session: AsyncSession
    activity: Activity
    run: Run
    now: datetime
    directory: Directory


RunHandler = Callable[[RunContext], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class ActivityKind(Generic[S]):
    """One kind: `KIND = ActivityKind("advent", "Advent of learning", form=…, run=…,
    intents=…)`, its name and label first; its settings model is its form's."""

    name: str
    label: str
    form: Form[S]
    run: RunHandler
    intents: tuple[IntentType, ...]
    # An event people take part in (offered by `/poll --template next-event`); not
    # announcements or polls themselves.
    event: bool = True
    # Its dated things for the community calendar (activities/timeline.py); None: none.
    timeline: TimelineSource | None = None

    @property
    def settings(self) -> type[S]:
        return self.form.settings

    def settings_of(self, activity: Activity) -> S:
        """The activity's settings, validated (a bad stored config fails loudly, with why)."""
        return read_settings(self.settings, activity)


def read_settings(model: type[S], activity: Activity) -> S:
    try:
        return model.model_validate(activity.config)
    except ValidationError as exc:
        raise ValueError(
            f"activity {activity.id} ({activity.kind}) has invalid settings: {exc}"
        ) from exc


class KindCatalog(Mapping[str, ActivityKind[Any]]):
    """The kinds this bot runs, by name (built once at the entry point)."""

    def __init__(self, kinds: Sequence[ActivityKind[Any]]) -> None:
        self._kinds = {kind.name: kind for kind in kinds}
        if len(self._kinds) != len(kinds):
            raise ValueError("two activity kinds share a name")

    def __getitem__(self, name: str) -> ActivityKind[Any]:
        return self._kinds[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._kinds)

    def __len__(self) -> int:
        return len(self._kinds)

    def require(self, name: str) -> ActivityKind[Any]:
        kind = self._kinds.get(name.strip().lower())
        if kind is None:
            raise UserError(f"Unknown activity kind `{name}`. Kinds: {', '.join(self.names())}.")
        return kind

    def names(self) -> list[str]:
        return sorted(self._kinds)

    def event_labels(self) -> dict[str, str]:
        return {k.name: k.label for k in self._kinds.values() if k.event}

    def label_of(self, name: str) -> str:
        kind = self._kinds.get(name)
        return kind.label if kind else name
