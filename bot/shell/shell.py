"""The REPL: each line becomes what a person does in Slack; what the bot does is printed."""

from __future__ import annotations

import difflib
import logging
from collections.abc import Callable
from typing import Any, Protocol

from bot.sandbox import ElementNotFoundError, FakeChannel, Response, SlackDriver
from bot.shell import form
from bot.shell.engine import Engine
from bot.shell.errors import ShellError
from bot.shell.lines import ClockError, Line, parse_clock, slack_text
from bot.shell.numbering import MessageRef, Target, ViewRef
from bot.shell.printer import Printer
from bot.shell.watch import MessageEvent, ViewEvent

log = logging.getLogger(__name__)

JsonDict = dict[str, Any]

HELP = """Type what you would do in Slack:
  /poll "Which event next?" "Book club" "Coffee"   a slash command, exactly as in Slack
  hello everyone · say help       a message in the current channel
  reply N text                    a reply in the thread of message (N); `last`: the newest here
  react N :tada: · unreact N :tada:
  click N [value]                 press button or option [N]; a picker takes a value (@bob)
  click Close poll                press the newest button with those words
  as @bob · as admin              act as another member
  in #channel · in dm             move (dm: your DM with the bot)
  users · channels · dms · home   who is here, the channels, your DMs, your Home tab
  history [N]                     the last N messages here (default 10)
  clock                           the virtual time
  clock +3d · +2h · 2026-12-24 09:00   move it forward, running everything due on the way
  clock next monday 09:00 · next 14:00   to the next such moment
  help · quit
In a modal: answer each field; an empty answer keeps the value in [brackets]; /cancel closes it."""


# The shell's own words (a line starting with none of these is a message).
WORDS = (
    "as",
    "channels",
    "click",
    "clock",
    "dms",
    "exit",
    "help",
    "history",
    "home",
    "in",
    "quit",
    "react",
    "reply",
    "say",
    "unreact",
    "users",
)


class LineSource(Protocol):
    interactive: bool

    async def read(self, prompt: str) -> Line | None: ...


class Shell(Printer):
    """The session: who you are, where, and what each line does."""

    def __init__(
        self,
        engine: Engine,
        source: LineSource,
        write: Callable[[str], None],
        *,
        colour: bool = False,
        stop_on_error: bool = False,
    ) -> None:
        community = engine.community
        assert community is not None, "start the engine first"
        first = community.member_ids[0] if community.member_ids else community.admin_id
        super().__init__(engine.slack, engine.clock, write, user=first, colour=colour)
        self.engine = engine
        self.source = source
        self.stop_on_error = stop_on_error
        self.channel = community.channel_id
        self.failed_line: int | None = None
        self.failed_message = ""

    def prompt(self) -> str:
        here = self.where(self.channel)
        here = "DM" if here.startswith("DM with") else here
        return f"[@{self.user_name(self.user)} in {here}] > "

    # ------------------------------------------------------------ the loop

    def banner(self) -> None:
        members = len(self.engine.community.member_ids) if self.engine.community else 0
        self.say(
            self.style("Convene", "bold")
            + f" in a local Slack workspace: {members} members and an admin in #community."
        )
        self.say(f"It is {self.now_text()}. Type `help` for what you can do.")
        if self.engine.options.workspace:
            self.say("The kept session goes on: `history` shows what was said here, `dms` yours.")

    async def run(self) -> int:
        """Read and run lines until quit or the end; the exit status."""
        self.banner()
        while True:
            line = await self.source.read(self.prompt())
            if line is None:
                return 0
            if not self.source.interactive:
                # The transcript: comments as narration, commands after their prompt.
                stripped = line.text.strip()
                if not stripped or stripped == "#" or stripped.startswith("# "):
                    self.say(self.style(stripped, "dim"))
                else:
                    self.say(self.prompt() + line.text)
            try:
                if await self.run_line(line.text) == "quit":
                    return 0
            except ShellError as exc:
                problem = str(exc)
            except Exception as exc:
                # A fault in the shell itself (the bot's own are logged by the bot): the
                # traceback goes to the log, and the prompt comes back.
                log.exception("the shell could not run this line", extra={"line": line.number})
                problem = f"that went wrong inside the shell: {exc!r}"
            else:
                continue
            self.fail(problem)
            if self.stop_on_error:
                self.failed_line = line.number
                self.failed_message = problem
                return 1

    async def run_line(self, text: str) -> str | None:
        stripped = text.strip()
        if not stripped or stripped == "#" or stripped.startswith("# "):
            return None  # blank lines and comments
        word, _, rest = stripped.partition(" ")
        rest = rest.strip()
        if stripped.startswith("/"):
            await self.slash(word, rest)
        elif word in ("quit", "exit"):
            return "quit"
        elif word == "help":
            self.say(HELP)
        elif word == "as":
            self.switch_user(rest)
        elif word == "in":
            await self.move(rest)
        elif word == "users":
            self.list_users()
        elif word == "channels":
            self.list_channels()
        elif word == "click":
            await self.click(rest)
        elif word in ("reply", "react", "unreact"):
            await self.on_message(word, rest)
        elif word == "home":
            await self.home()
        elif word == "dms":
            self.dms()
        elif word == "history":
            self.history(self.channel, self.count(rest, default=10))
        elif word == "clock":
            await self.clock(rest)
        elif word == "say":
            await self.post(rest)
        else:
            self.refuse_near_miss(word, rest)
            await self.post(stripped)
        return None

    def count(self, rest: str, *, default: int) -> int:
        if not rest:
            return default
        if not rest.isdigit() or int(rest) < 1:
            raise ShellError(f"{rest!r} is not a number of messages: e.g. `history 5`")
        return int(rest)

    def refuse_near_miss(self, word: str, rest: str) -> None:
        """`clik 3` is a typo for a command, not a message to the channel."""
        close = difflib.get_close_matches(word.lower(), WORDS, n=1, cutoff=0.75)
        if close and len(rest.split()) <= 2:
            typed = f"{word} {rest}".strip()
            raise ShellError(
                f"unknown command {word!r}: did you mean `{close[0]}`? "
                f"(`say {typed}` sends it as a message; `help` lists all)"
            )

    async def after(self) -> None:
        """Let the bot finish, print what it did, fill the modals it opened."""
        await self.engine.settle()
        for view in self.show_changes():
            await self.fill(view)

    # ------------------------------------------------------------ people's actions

    def typed(self, text: str) -> str:
        return slack_text(text, user_id=self.user_id, channel_id=self.channel_id)

    async def slash(self, command: str, text: str) -> None:
        channel = self.slack.channels[self.channel]
        name = "directmessage" if channel.is_im else channel.name
        response = await self.engine.say.command(
            self.user, command, self.typed(text), channel_id=self.channel, channel_name=name
        )
        if response.status == 404:
            raise ShellError(f"the bot has no command {command}: try /community, /poll or /coffee")
        self.check(response, command)
        body = response.json if isinstance(response.json, dict) else None
        if body and any(body.get(k) for k in ("text", "blocks", "attachments")):
            self.slack.show_command_answer(self.channel, self.user, body)
        await self.after()

    def check(self, response: Response, what: str) -> None:
        if response.status >= 400:
            raise ShellError(f"the bot answered {what} with HTTP {response.status}")

    def check_event(self, response: Response, what: str) -> None:
        # 404: no listener for this event type, as when the app does not subscribe to it.
        if response.status != 404:
            self.check(response, what)

    async def post(self, text: str) -> None:
        await self.send_message(self.channel, text)

    async def send_message(self, channel_id: str, text: str, thread_ts: str | None = None) -> None:
        channel = self.slack.channels[channel_id]
        slack_text_ = self.typed(text)
        message = self.slack.add_message(channel_id, self.user, slack_text_, thread_ts=thread_ts)
        ref = MessageRef(channel_id, str(message["ts"]))
        n = self.numbering.message(ref)
        where = "DM with Convene" if channel.is_im else self.where(channel_id)
        where += ", in a thread" if thread_ts else ""
        self.say(self.style(f"({n}) @{self.user_name(self.user)} → {where}: ", "bold") + text)
        event: JsonDict = {
            "type": "message",
            "channel": channel_id,
            "user": self.user,
            "text": slack_text_,
            "ts": message["ts"],
            "channel_type": _channel_type(channel),
            "team": self.engine.say.team_id,
        }
        if thread_ts:
            event["thread_ts"] = thread_ts
        self.check_event(await self.engine.say.event(event), "the message")
        await self.after()

    def message_ref(self, arg: str) -> MessageRef:
        if arg == "last":
            return self.last_message()
        number = arg.strip().strip("()")
        if not number.isdigit():
            raise ShellError(f"{arg!r} is not a message number: use the (N) before a message")
        ref = self.numbering.messages.get(int(number))
        if ref is None:
            raise ShellError(f"there is no message ({number}): message numbers are shown as (N)")
        return ref

    def last_message(self) -> MessageRef:
        """The newest message in the current conversation (`reply last …`)."""
        messages = self.slack.channels[self.channel].messages
        if not messages:
            raise ShellError(f"nothing has been said in {self.where(self.channel)} yet")
        ref = MessageRef(self.channel, str(messages[-1]["ts"]))
        self.numbering.message(ref)
        return ref

    async def on_message(self, verb: str, rest: str) -> None:
        number, _, arg = rest.partition(" ")
        arg = arg.strip()
        if not arg:
            example = "reply 3 thanks!" if verb == "reply" else f"{verb} 3 :tada:"
            example += " (or `last` for the newest message here)"
            raise ShellError(f"{verb} needs a message number and more: {example}")
        ref = self.message_ref(number)
        if ref.ephemeral:
            raise ShellError(f"({number}) is ephemeral: nobody can {verb} to it")
        stored = self.slack.get_message(ref.channel_id, ref.ts)
        if stored is None:
            raise ShellError(f"message ({number}) was deleted")
        self.must_see(ref.channel_id)
        if verb == "reply":
            await self.send_message(ref.channel_id, arg, str(stored.get("thread_ts") or ref.ts))
            return
        name = arg.strip(":")
        self.slack.react(ref.channel_id, ref.ts, self.user, name, add=verb == "react")
        event = {
            "type": "reaction_added" if verb == "react" else "reaction_removed",
            "user": self.user,
            "reaction": name,
            "item": {"type": "message", "channel": ref.channel_id, "ts": ref.ts},
            "item_user": stored.get("user", ""),
        }
        self.check_event(await self.engine.say.event(event), verb)
        n = self.numbering.message(ref)
        self.say(self.style(f"@{self.user_name(self.user)} {verb}ed :{name}: on ({n})", "dim"))
        await self.after()

    def must_see(self, channel_id: str) -> None:
        """A DM or group DM is only there for its members."""
        channel = self.slack.channels.get(channel_id)
        if channel is not None and not channel.is_channel and self.user not in channel.members:
            raise ShellError(
                f"@{self.user_name(self.user)} is not in that {self.where(channel_id)}"
            )

    def switch_user(self, rest: str) -> None:
        if not rest:
            raise ShellError("as whom? e.g. `as @bob` or `as admin` (`users` lists everyone)")
        found = self.user_id(rest)
        if found is None or self.slack.users[found].is_bot:
            raise ShellError(f"no member {rest}: type `users` to see who is here")
        here = self.slack.channels[self.channel]
        self.user = found
        if here.is_im or (not here.is_channel and found not in here.members):
            self.channel = self.slack.open_dm(found)  # someone else's DM is not theirs to see
        self.say(f"You are now @{self.user_name(found)}.")

    async def move(self, rest: str) -> None:
        if rest == "dm":
            self.channel = self.slack.open_dm(self.user)
            return
        found = self.channel_id(rest)
        if found is None:
            raise ShellError(f"no channel {rest}: type `channels`, or `in dm` for your DM")
        channel = self.slack.channels[found]
        if self.user not in channel.members:
            if channel.is_private:
                raise ShellError(
                    f"#{channel.name} is private and @{self.user_name(self.user)} is not in it"
                )
            # As Slack's "Join channel": the member joins, and the bot hears of it.
            self.check_event(
                await self.engine.say.member_joined_channel(self.user, found), "the join"
            )
            self.say(f"@{self.user_name(self.user)} joined #{channel.name}.")
            self.channel = found
            await self.after()
            return
        self.channel = found

    def list_users(self) -> None:
        for user in self.slack.users.values():
            if user.is_bot or user.id == "USLACKBOT" or user.deleted:
                continue
            role = " · admin" if user.is_admin else ""
            me = "  ← you" if user.id == self.user else ""
            self.say(f"  @{user.name:<10} {user.real_name} · {user.title} · {user.tz}{role}{me}")

    def list_channels(self) -> None:
        for channel in self.slack.channels.values():
            if channel.is_channel:
                people = [m for m in channel.members if m != self.slack.bot_user_id]
                bot = "" if self.slack.bot_user_id in channel.members else " (the bot is not in it)"
                self.say(f"  #{channel.name:<12} {len(people)} members{bot}")

    # ------------------------------------------------------------ clicks

    async def click(self, rest: str) -> None:
        number, _, value = rest.partition(" ")
        if not number.strip("[]").isdigit():
            found = self.numbering.find(rest) if rest else None
            if found is None:
                raise ShellError(
                    "click takes a number shown as [N], e.g. `click 3` "
                    "(or a button's words, e.g. `click Close poll`)"
                )
            number, value = str(found), ""
        n = int(number.strip("[]"))
        target = self.numbering.targets.get(n)
        if target is None:
            if n in self.numbering.messages:
                raise ShellError(f"({n}) is a message; click takes a button's [N]")
            raise ShellError(f"there is no [{n}]: click a number shown in brackets, like [3]")
        chosen = target.value
        if target.needs_value:
            if not value.strip():
                raise ShellError(f"[{n}] is a picker: give it a value, e.g. `click {n} @bob`")
            chosen = self.picked(target, value.strip())
        try:
            response = await self.press(target, chosen)
        except ElementNotFoundError:
            raise ShellError(
                f"[{n}] is no longer there (the message changed): use newer numbers"
            ) from None
        self.check(response, f"the click on [{n}]")
        await self.after()

    def picked(self, target: Target, value: str) -> str:
        if target.kind.startswith(("users", "multi_users")):
            found = self.user_id(value)
        elif "conversations" in target.kind or "channels" in target.kind:
            found = self.channel_id(value)
        else:
            return value
        if found is None:
            raise ShellError(f"no {value} here: type `users` or `channels`")
        return found

    async def press(self, target: Target, value: str | None) -> Response:
        surface = target.surface
        say = self.engine.say
        if isinstance(surface, ViewRef):
            view = self.slack.views.get(surface.view_id)
            if view is None:
                raise ShellError("that view is gone")
            owner = self.slack.view_owner.get(surface.view_id)
            if owner is not None and owner != self.user:
                raise ShellError(
                    f"that is @{self.user_name(owner)}'s; `as @{self.user_name(owner)}` first"
                )
            return await say.click_view(self.user, view, target.action_id, value=value)
        if surface.ephemeral and surface.user_id != self.user:
            name = self.user_name(surface.user_id)
            raise ShellError(f"only @{name} sees that message: `as @{name}` first")
        self.must_see(surface.channel_id)
        message = {
            "ts": surface.ts,
            "channel": surface.channel_id,
            "is_ephemeral": surface.ephemeral,
        }
        return await say.click(self.user, message, target.action_id, value=value)

    # ------------------------------------------------------------ surfaces

    async def home(self) -> None:
        self.check(await self.engine.say.app_home_opened(self.user), "app_home_opened")
        await self.engine.settle()
        home_id = (self.slack.home_views.get(self.user) or {}).get("id")
        shown = False
        for event in self.watcher.changes():
            if isinstance(event, ViewEvent) and event.view.get("id") == home_id:
                shown = True
                self.show_home(event, force=True)
            elif isinstance(event, MessageEvent):
                self.show_message(event)
            elif event.view.get("type") == "home":
                self.show_home(event)
        if not shown:
            view = self.slack.home_views.get(self.user)
            if view is None:
                raise ShellError("the bot published no Home tab")
            self.show_home(ViewEvent("opened", view, self.user), force=True)

    # ------------------------------------------------------------ the clock

    async def clock(self, rest: str) -> None:
        if not rest:
            self.say(f"It is {self.now_text()}.")
            return
        now = self.engine.clock.now()
        try:
            target = parse_clock(rest, now=now, tz=self.slack.users[self.user].tz)
        except ClockError as exc:
            raise ShellError(str(exc)) from None
        if target < now:
            raise ShellError(f"the clock only moves forward: it is {self.now_text()}; try +1d")
        while await self.engine.step_towards(target):
            self.after_step_print()
        self.say(self.style(f"⏱ It is {self.now_text()}.", "dim"))

    def after_step_print(self) -> None:
        events = self.watcher.changes()
        if not events:
            return
        self.say(self.style(f"⏱ {self.now_text()}", "yellow"))
        self._print_events(events)

    # ------------------------------------------------------------ modals

    @property
    def driver(self) -> SlackDriver:
        return self.engine.say

    async def fill(self, view: JsonDict) -> None:
        await form.fill(self, view)

    async def ask(self, prompt: str) -> Line | None:
        line = await self.source.read(prompt)
        while line is not None and line.text.strip().startswith("# "):
            line = await self.source.read(prompt)
        if line is not None and not self.source.interactive:
            self.say(prompt + line.text)
        return line


def _channel_type(channel: FakeChannel) -> str:
    if channel.is_im:
        return "im"
    if channel.is_mpim:
        return "mpim"
    return "group" if channel.is_private else "channel"
