"""Every intent's renderer, by intent kind."""

from __future__ import annotations

from bot.delivery import Renderer
from bot.features import FEATURES
from bot.renderers import core


def all_renderers() -> dict[str, Renderer]:
    renderers: dict[str, Renderer] = {}
    renderers.update(core.RENDERERS)
    for feature in FEATURES:
        renderers.update(feature.RENDERERS)
    return renderers
