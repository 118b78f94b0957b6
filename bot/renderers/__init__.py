"""Every intent's renderer, by intent kind."""

from __future__ import annotations

from bot.delivery import Renderer
from bot.renderers import core


def all_renderers() -> dict[str, Renderer]:
    # Imported here, not at the top: feature modules import their renderer modules,
    # which are in this package.
    from bot.features import FEATURES

    renderers: dict[str, Renderer] = {}
    renderers.update(core.RENDERERS)
    for feature in FEATURES:
        renderers.update(feature.RENDERERS)
    return renderers
