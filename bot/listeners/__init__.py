"""Every listener module registers itself here; the app only calls `register_all`."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.features import FEATURES
from bot.listeners.actions import activities as activity_actions
from bot.listeners.commands import coffee, community, poll
from bot.listeners.events import dedupe, home, lifecycle
from bot.listeners.views import announcement


def register_all(app: AsyncApp) -> None:
    dedupe.register(app)  # middleware first: a redelivered event stops here
    # Features before the core: Bolt tries listeners in order, building each matcher's
    # arguments, so the hottest one (a vote click, thousands a minute) should come early.
    for feature in FEATURES:
        feature.register(app)
    for module in (community, poll, coffee, home, lifecycle, activity_actions, announcement):
        module.register(app)
