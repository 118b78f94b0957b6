"""What the bot changed in the local workspace since the last look, in order."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from bot.sandbox import FakeSlack

JsonDict = dict[str, Any]

MessageChange = Literal["posted", "updated", "deleted"]


@dataclass(frozen=True)
class MessageEvent:
    change: MessageChange
    channel_id: str
    message: JsonDict
    ephemeral: bool = False


@dataclass(frozen=True)
class ViewEvent:
    change: Literal["opened", "updated"]
    view: JsonDict
    user_id: str


Event = MessageEvent | ViewEvent


def _fingerprint(message: JsonDict) -> str:
    keys = ("text", "blocks", "attachments", "edited", "files")
    return json.dumps({k: message.get(k) for k in keys}, sort_keys=True, default=str)


@dataclass
class Watcher:
    """Remembers what was seen; `changes()` says what is new, updated or gone."""

    slack: FakeSlack
    _messages: dict[tuple[str, str], str] = field(default_factory=dict)
    _ephemerals: int = 0
    _views: dict[str, str] = field(default_factory=dict)

    def mark_seen(self) -> None:
        """Forget nothing, report nothing: what is there now counts as seen."""
        self.changes()

    def changes(self) -> list[Event]:
        found: list[tuple[str, Event]] = []
        current: dict[tuple[str, str], str] = {}
        for channel in self.slack.channels.values():
            for message in channel.messages:
                if not message.get("bot_id"):
                    continue  # people's messages are printed when they are typed
                key = (channel.id, str(message["ts"]))
                fingerprint = _fingerprint(message)
                current[key] = fingerprint
                before = self._messages.get(key)
                stored = {**message, "channel": channel.id}
                if before is None:
                    found.append((key[1], MessageEvent("posted", channel.id, stored)))
                elif before != fingerprint:
                    edited = str((message.get("edited") or {}).get("ts") or key[1])
                    found.append((edited, MessageEvent("updated", channel.id, stored)))
        for key in self._messages.keys() - current.keys():
            gone = {"ts": key[1], "channel": key[0]}
            found.append((key[1], MessageEvent("deleted", key[0], gone)))
        self._messages = current
        for message in self.slack.ephemeral_messages[self._ephemerals :]:
            event = MessageEvent("posted", str(message["channel"]), message, ephemeral=True)
            found.append((str(message["ts"]), event))
        self._ephemerals = len(self.slack.ephemeral_messages)
        found.sort(key=lambda pair: float(pair[0]))
        events: list[Event] = [e for _, e in found]
        for view_id, view in self.slack.views.items():
            version = str(view.get("hash"))
            before_version = self._views.get(view_id)
            if before_version == version:
                continue
            owner = self.slack.view_owner.get(view_id, "")
            change: Literal["opened", "updated"] = "opened" if before_version is None else "updated"
            events.append(ViewEvent(change, view, owner))
            self._views[view_id] = version
        return events
