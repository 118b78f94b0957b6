"""The announcement post."""

from __future__ import annotations

from datetime import datetime

from activities.kinds.announcement.rules import AnnouncementSettings
from activities.text import escape_mrkdwn
from bot.blocks.common import Block, context, section, slack_date


def post(settings: AnnouncementSettings, *, late_since: datetime | None) -> tuple[str, list[Block]]:
    text = escape_mrkdwn(settings.text)
    blocks = [section(text)]
    if late_since is not None:
        blocks.append(
            context(
                f"⏰ Posted late: this was due {slack_date(late_since)} while the bot was offline."
            )
        )
    return text, blocks
