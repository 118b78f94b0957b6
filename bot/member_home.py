"""Members' part of the Home tab that needs Slack's view of them: open polls in the
channels they are in that they have not voted in. (Upcoming events with RSVP buttons are
the calendar's "Coming up", bot/calendar_home.py.)"""

from __future__ import annotations

from activities.kind import Directory
from activities.kinds.poll import home as poll_home
from activities.text import escape_mrkdwn
from bot.blocks.common import Block, message_link, section, slack_date
from bot.home import HomeRequest, HomeSection


async def _channels(directory: Directory, home: HomeRequest) -> list[str]:
    found = await directory.channels_of(home.team_id, [home.user_id])
    return sorted(found.get(home.user_id, frozenset()))


def unvoted_polls_section(directory: Directory, secret: str) -> HomeSection:
    """Open polls in the person's channels they have not voted in, each linked."""

    async def make(home: HomeRequest) -> list[Block]:
        channels = await _channels(directory, home)
        found = await poll_home.not_voted(
            home.session,
            team_id=home.team_id,
            user_id=home.user_id,
            channel_ids=channels,
            secret=secret,
        )
        if not found:
            return []
        lines = []
        for poll, ts in found:
            question = escape_mrkdwn(poll.question[:150])
            title = f"<{message_link(poll.channel_id, ts)}|{question}>" if ts else question
            when = f" · closes {slack_date(poll.closes_at)}" if poll.closes_at else ""
            lines.append(f"• *{title}* in <#{poll.channel_id}>{when}")
        return [section("*Open polls you haven't voted in*\n" + "\n".join(lines))]

    return make
