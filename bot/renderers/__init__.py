"""Every intent's renderer, by intent kind."""

from __future__ import annotations

from bot.delivery import Renderer
from bot.renderers import core


def all_renderers() -> dict[str, Renderer]:
    renderers: dict[str, Renderer] = {}
    for module in (core,):
        renderers.update(module.RENDERERS)
    return renderers
