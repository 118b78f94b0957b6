"""The contract a kind fulfils on the Slack side, and the list the entry point builds.

A `KindPlugin` is everything one activity kind brings: its domain record
(`ActivityKind`: settings, form, run handler, intents), a renderer for every
intent type it declares, the periodic work it needs, its part of the Home tab
(and what waits there for organisers), its Bolt listeners and its
`/community <word> …` subcommands. `bot/app.py` lists the plug-ins; `Plugins`
checks the list once and hands each part to the piece of the core that reads it
(courier, scheduler, Home tab, `/community`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, TypeVar

from slack_bolt.async_app import AsyncApp
from sqlmodel.ext.asyncio.session import AsyncSession

from activities.intents import IntentType
from activities.kind import ActivityKind, KindCatalog
from bot.delivery import Renderer
from bot.home import HomeSection, WaitingItems
from bot.listeners.context import Sub
from bot.scheduler import NextDue, Periodic
from bot.services import Services
from storage import activities as activity_store
from storage.models import Activity, ActivityState

log = logging.getLogger(__name__)


class ActivityTick(Protocol):
    """A kind's periodic step for one of its running activities, in the given transaction."""

    async def __call__(
        self, session: AsyncSession, *, activity: Activity, now: datetime
    ) -> None: ...


async def running(
    session: AsyncSession, kind: str, *, team_id: str | None = None
) -> list[Activity]:
    """The running activities of `kind`: one workspace's, or (no `team_id`) every one's."""
    return await activity_store.list_activities(
        session, team_id=team_id, states=(ActivityState.ACTIVE,), kinds=(kind,)
    )


async def tick_each(services: Services, kind: str, tick: ActivityTick) -> None:
    """Run `tick` for every running activity of `kind`, each in its own transaction, so
    one that fails (logged) neither undoes nor stops the others."""
    async with services.db.session() as session:
        found = await running(session, kind)
    for activity in found:
        try:
            async with services.db.session() as session:
                await tick(session, activity=activity, now=services.clock.now())
        except Exception:
            log.exception(
                "activity tick failed",
                extra={"kind": kind, "team_id": activity.team_id, "activity_id": activity.id},
            )


class ActivityDue(Protocol):
    """When a kind's periodic step next has something to do for one running activity."""

    async def __call__(
        self, session: AsyncSession, *, activity: Activity, now: datetime
    ) -> datetime | None: ...


def each_due(kind: str, query: ActivityDue) -> NextDue:
    """The earliest next-due moment over the running activities of `kind` (for a task
    that runs through `tick_each`)."""

    async def next_due(services: Services) -> datetime | None:
        now = services.clock.now()
        async with services.db.session() as session:
            moments = [
                await query(session, activity=a, now=now) for a in await running(session, kind)
            ]
        return min((m for m in moments if m is not None), default=None)

    return next_due


class DatedStep(Protocol):
    """A kind's dated work across workspaces (each piece claimed once): what it did, as
    the ids it acted on or as (id, step) pairs."""

    async def __call__(self, session: AsyncSession, *, now: datetime) -> Sequence[object]: ...


async def run_dated_steps(
    services: Services,
    message: str,
    steps: Mapping[str, DatedStep],
    *,
    counted: Collection[str] = (),
) -> None:
    """Run a kind's dated steps in order in one transaction; when any did something, log
    `message` with what each did under its key (the ids it returned, or how many for the
    `counted` ones: a tick's (id, step) pairs) and wake the courier.

    A kind's periodic task is a named function that calls this: the scheduler reports a
    failing task by its function's name."""
    now = services.clock.now()
    async with services.db.session() as session:
        done = {key: await step(session, now=now) for key, step in steps.items()}
    if any(done.values()):
        extra = {key: len(found) if key in counted else list(found) for key, found in done.items()}
        log.info(message, extra=extra)
        services.courier.wake()


# Registers a kind's Bolt listeners (its buttons, modals and own slash commands).
Register = Callable[[AsyncApp], None]


@dataclass(frozen=True, slots=True)
class KindPlugin:
    kind: ActivityKind[Any]
    renderers: Mapping[IntentType, Renderer]
    periodic: tuple[Periodic, ...] = ()
    home: tuple[HomeSection, ...] = ()
    # What waits for organisers (tips to review, proposed books…): one Home section.
    waiting: tuple[WaitingItems, ...] = ()
    listeners: tuple[Register, ...] = ()
    # `/community <word> …` subcommands, e.g. {"bookclub": …}, and their lines in the help.
    community: Mapping[str, Sub] = field(default_factory=dict)
    help: tuple[str, ...] = ()


class PluginError(ValueError):
    """The plug-in list does not hold together (found at start-up, not in production)."""


class Plugins:
    """The checked list of plug-ins, and each part of it the core needs."""

    def __init__(
        self,
        plugins: Sequence[KindPlugin],
        *,
        core_renderers: Mapping[IntentType, Renderer],
        core_intents: Sequence[IntentType],
        reserved_words: Sequence[str] = (),
    ) -> None:
        self.items = tuple(plugins)
        self.catalog = KindCatalog([p.kind for p in self.items])
        renderers: dict[str, Renderer] = {}
        declared = list(core_intents)
        sources: list[Mapping[IntentType, Renderer]] = [core_renderers]
        for plugin in self.items:
            declared.extend(plugin.kind.intents)
            sources.append(plugin.renderers)
        for source in sources:
            for intent_type, renderer in source.items():
                if renderers.get(intent_type.name, renderer) is not renderer:
                    raise PluginError(f"two renderers for intent {intent_type.name}")
                renderers[intent_type.name] = renderer
        missing = sorted({t.name for t in declared} - set(renderers))
        if missing:
            raise PluginError(f"intents with no renderer: {', '.join(missing)}")
        undeclared = sorted(set(renderers) - {t.name for t in declared})
        if undeclared:
            raise PluginError(f"renderers for undeclared intents: {', '.join(undeclared)}")
        self.renderers = renderers
        self.community: dict[str, Sub] = {}
        for plugin in self.items:
            for word, handler in plugin.community.items():
                if word in reserved_words or self.community.get(word, handler) is not handler:
                    raise PluginError(f"`/community {word}` is claimed twice")
                self.community[word] = handler

    def help_lines(self) -> list[str]:
        return _unique(line for p in self.items for line in p.help)

    def periodic(self) -> list[Periodic]:
        return _unique(task for p in self.items for task in p.periodic)

    def home_sections(self) -> tuple[HomeSection, ...]:
        return tuple(_unique(section for p in self.items for section in p.home))

    def waiting(self) -> tuple[WaitingItems, ...]:
        return tuple(_unique(find for p in self.items for find in p.waiting))

    def listeners(self) -> list[Register]:
        # Coffee and breakfast share their listeners: register each function once.
        return _unique(register for p in self.items for register in p.listeners)

    def plugin(self, kind_name: str) -> KindPlugin:
        return next(p for p in self.items if p.kind.name == kind_name)


T = TypeVar("T")


def _unique(items: Iterable[T]) -> list[T]:
    seen: list[T] = []
    for item in items:
        if not any(item is s for s in seen):
            seen.append(item)
    return seen
