"""Names in the local workspace: ids as @names and #names, and back; where a message is."""

from __future__ import annotations

from bot.sandbox import FakeSlack


class WorkspaceNames:
    def __init__(self, slack: FakeSlack) -> None:
        self.slack = slack

    def user_name(self, user_id: str) -> str:
        user = self.slack.users.get(user_id)
        return user.name if user else user_id

    def channel_name(self, channel_id: str) -> str:
        channel = self.slack.channels.get(channel_id)
        return channel.name if channel else channel_id

    def user_id(self, name: str) -> str | None:
        name = name.lstrip("@").lower()
        for user in self.slack.users.values():
            if user.name.lower() == name and not user.deleted:
                return user.id
        return None

    def channel_id(self, name: str) -> str | None:
        name = name.lstrip("#").lower()
        for channel in self.slack.channels.values():
            if channel.is_channel and channel.name.lower() == name:
                return channel.id
        return None

    def where(self, channel_id: str) -> str:
        channel = self.slack.channels.get(channel_id)
        if channel is None:
            return channel_id
        if channel.is_im:
            other = next((m for m in channel.members if m != self.slack.bot_user_id), "")
            return f"DM with @{self.user_name(other)}"
        if channel.is_mpim:
            people = [m for m in channel.members if m != self.slack.bot_user_id]
            return "group DM with " + ", ".join("@" + self.user_name(m) for m in people)
        return "#" + channel.name
