"""Announcement on the Slack side: one renderer. The smallest plug-in; copy it to start a kind."""

from __future__ import annotations

from activities.kinds.announcement.kind import KIND
from bot.kinds.announcement.renderers import RENDERERS
from bot.plugin import KindPlugin

PLUGIN = KindPlugin(kind=KIND, renderers=RENDERERS)
