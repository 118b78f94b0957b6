"""The coffee feature's plug-in points (see bot/features/__init__.py)."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

RENDERERS: dict[str, Any] = {}
PERIODIC_TASKS: list[Any] = []
HOME_SECTIONS: list[Any] = []
NEW_KIND_HANDLERS: dict[str, Any] = {}


def register(app: AsyncApp) -> None:
    """Register this feature's Bolt listeners."""
