"""Where an organiser may schedule things: a public channel, or a private one they are in."""

from __future__ import annotations

from typing import Literal

from activities.errors import UserError

# What Slack says of a channel for one person: public; private and they are in it;
# private and they are not; or the bot cannot see it at all (private without the bot).
ChannelAccess = Literal["public", "member", "outsider", "missing"]


def refusal(access: ChannelAccess, channel_id: str) -> str | None:
    """Why `access` rules the channel out as a target, or None when it is fine."""
    if access == "missing":
        return (
            f"I can't see <#{channel_id}>: invite me first (`/invite @Convene` in that "
            "channel), then try again."
        )
    if access == "outsider":
        return (
            f"<#{channel_id}> is private and you aren't in it, so you can't schedule posts "
            "there. Pick a public channel or one you belong to."
        )
    return None


def check_target(access: ChannelAccess, channel_id: str) -> None:
    reason = refusal(access, channel_id)
    if reason is not None:
        raise UserError(reason, field="channel")
