"""The Home section of a kind whose activities each offer members one button."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from activities.text import escape_mrkdwn
from bot.blocks.common import Block, button, section
from storage.models import Activity

LIMIT = 5  # activities of one kind listed on Home


@dataclass(frozen=True, slots=True)
class LiveSection:
    """A kind's Home section: its first five activities, each a `line` (with `{title}`
    and `{channel}`) and one button (value: the activity id), under `heading` if given;
    nothing when there are none."""

    line: str
    label: str
    action_id: str
    heading: str = ""

    def __call__(self, activities: Sequence[Activity]) -> list[Block]:
        rows = [
            section(
                self.line.format(title=escape_mrkdwn(a.title), channel=a.channel_id),
                accessory=button(self.label, self.action_id, str(a.id)),
            )
            for a in [a for a in activities if a.id is not None][:LIMIT]
        ]
        return [section(self.heading), *rows] if self.heading and rows else rows
