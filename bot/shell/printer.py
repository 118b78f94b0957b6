"""Printing what the bot did: messages (numbered), modals, Home tabs, DMs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from activities.clock import Clock
from bot.sandbox import FakeSlack
from bot.shell.directory import WorkspaceNames
from bot.shell.mrkdwn import Names
from bot.shell.numbering import MessageRef, Numbering, ViewRef
from bot.shell.render import Renderer
from bot.shell.style import Style
from bot.shell.watch import MessageEvent, ViewEvent, Watcher

JsonDict = dict[str, Any]


class Printer(WorkspaceNames):
    """Who is reading (`user`) decides the time zone dates are shown in."""

    def __init__(
        self,
        slack: FakeSlack,
        clock: Clock,
        write: Callable[[str], None],
        *,
        user: str,
        colour: bool,
    ) -> None:
        super().__init__(slack)
        self.virtual_clock = clock
        self.user = user
        self._write = write
        self.style = Style(colour)
        self.numbering = Numbering()
        self.names = Names(
            user=self.user_name,
            channel=self.channel_name,
            tz=lambda: self.slack.users[self.user].tz,
            now=clock.now,
        )
        self.render = Renderer(self.names, self.style, self.numbering)
        self.watcher = Watcher(self.slack)
        self.watcher.mark_seen()

    def say(self, text: str = "") -> None:
        self._write(text + "\n")

    def fail(self, message: str) -> None:
        self.say(self.style(f"! {message}", "red"))

    def now_text(self) -> str:
        tz = self.slack.users[self.user].tz
        local = self.virtual_clock.now().astimezone(ZoneInfo(tz))
        return f"{local:%A %-d %B %Y, %H:%M} ({tz})"

    def show_changes(self) -> list[JsonDict]:
        """Print what the bot did; returns the modals it opened for the current user."""
        modals: list[JsonDict] = []
        for event in self.watcher.changes():
            if isinstance(event, MessageEvent):
                self.show_message(event)
            elif event.view.get("type") == "modal":
                if event.user_id == self.user and event.change == "opened":
                    modals.append(event.view)
                else:
                    self.show_view(event)
            else:
                self.show_home(event)
        return modals

    def show_message(self, event: MessageEvent) -> None:
        message = event.message
        ref = MessageRef(
            channel_id=event.channel_id,
            ts=str(message["ts"]),
            ephemeral=event.ephemeral,
            user_id=str(message.get("user", "")) if event.ephemeral else "",
        )
        n = self.numbering.message(ref)
        where = self.where(event.channel_id)
        if event.ephemeral:
            where = f"only @{self.user_name(ref.user_id)} sees this, in {where}"
        thread = message.get("thread_ts")
        if thread and thread != message.get("ts"):
            parent = self.numbering.message_numbers.get((event.channel_id, str(thread)))
            where += f", in the thread of ({parent})" if parent else ", in a thread"
        if event.change == "deleted":
            self.say(self.style(f"({n}) deleted from {where}", "dim"))
            return
        mark = " (updated)" if event.change == "updated" else ""
        self.say(self.style(f"({n}) Convene → {where}{mark}", "bold", "magenta"))
        for line in self.message_lines(message, ref):
            self.say("  " + line)

    def message_lines(self, message: JsonDict, ref: MessageRef) -> list[str]:
        if message.get("blocks"):
            lines = self.render.blocks(message["blocks"], ref)
        else:
            lines = self.render.mrkdwn(str(message.get("text", ""))).splitlines()
        lines += self.render.attachments(message.get("attachments") or [], ref)
        for f in message.get("files") or []:
            lines.append(f"[file: {f.get('name') or f.get('title')}]")
        reactions = message.get("reactions") or []
        if reactions:
            lines.append("  ".join(f":{r['name']}: {r['count']}" for r in reactions))
        return lines

    def show_view(self, event: ViewEvent) -> None:
        view = event.view
        title = self.render.text(view.get("title"))
        mark = " (updated)" if event.change == "updated" else ""
        who = self.user_name(event.user_id)
        self.say(self.style(f"Modal “{title}” for @{who}{mark}", "bold", "blue"))
        if event.user_id == self.user:
            for line in self.render.blocks(
                view.get("blocks") or [], ViewRef(str(view["id"]), event.user_id)
            ):
                self.say("  " + line)

    def show_home(self, event: ViewEvent, *, force: bool = False) -> None:
        who = self.user_name(event.user_id)
        if event.user_id != self.user and not force:
            self.say(self.style(f"(the Home tab of @{who} changed)", "dim"))
            return
        self.say(self.style(f"Home tab of @{who}", "bold", "blue"))
        ref = ViewRef(str(event.view["id"]), event.user_id)
        for line in self.render.blocks(event.view.get("blocks") or [], ref):
            self.say("  " + line)

    def dms(self) -> None:
        mine = sorted(
            (
                c
                for c in self.slack.channels.values()
                if (c.is_im or c.is_mpim) and self.user in c.members and c.messages
            ),
            # The most recently active last, next to the prompt, as a chat list reads.
            key=lambda c: max(float(m["ts"]) for m in c.messages),
        )
        if not mine:
            self.say("  (no DMs yet)")
        for channel in mine:
            self.conversation(channel.id, channel.messages)

    def history(self, channel_id: str, last: int) -> None:
        """The latest messages of a conversation, as Slack shows them on the way in."""
        messages = self.slack.channels[channel_id].messages[-last:]
        if not messages:
            self.say(f"  (nothing in {self.where(channel_id)} yet)")
            return
        self.conversation(channel_id, messages)

    def conversation(self, channel_id: str, messages: list[JsonDict]) -> None:
        self.say(self.style(self.where(channel_id), "bold", "magenta"))
        for message in messages:
            ref = MessageRef(channel_id, str(message["ts"]))
            n = self.numbering.message(ref)
            author = (
                "Convene"
                if message.get("bot_id")
                else "@" + self.user_name(str(message.get("user")))
            )
            self.say(f"  ({n}) {author}:")
            for line in self.message_lines(message, ref):
                self.say("    " + line)

    def _print_events(self, events: list[MessageEvent | ViewEvent]) -> None:
        for event in events:
            if isinstance(event, MessageEvent):
                self.show_message(event)
            elif event.view.get("type") == "modal":
                self.show_view(event)
            else:
                self.show_home(event)
