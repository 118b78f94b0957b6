"""Feature modules plug into the core here: renderers, periodic jobs, Home sections, listeners.

Each feature module exposes:
- `RENDERERS: dict[str, Renderer]` — how its intents are sent;
- `PERIODIC_TASKS: list[PeriodicTask]` — work the scheduler tick runs (deadlines, check-ins);
- `HOME_SECTIONS: list[HomeSection]` — blocks it adds to a person's Home tab;
- `NEW_KIND_HANDLERS: dict[str, Handler]` — `/community new <kind> …` handlers;
- `register(app)` — its Bolt listeners.
"""

from __future__ import annotations

from types import ModuleType

from bot.features import coffee, polls

FEATURES: tuple[ModuleType, ...] = (polls, coffee)
