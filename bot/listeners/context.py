"""The one listener wrapper: ack, services, the acting person, and errors as ephemeral replies.

Every slash command, button and modal submission goes through `command`, `action`
or `submission` below. The handler gets a `Caller` (who, where, when, with what)
and returns a `Reply` or nothing; a refusal or bad input is raised as a
`UserError` and becomes an ephemeral reply here, the same way everywhere.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.errors import SlackApiError
from sqlmodel.ext.asyncio.session import AsyncSession

from activities import roles
from activities.actor import Actor
from activities.errors import UserError
from activities.kind import Named
from activities.roles import ADMIN_ONLY, ORGANISER, ORGANISER_ONLY, Needs, Standing
from activities.schedule import ScheduleError
from activities.text import escape_mrkdwn, unescape_slack
from bot.blocks.common import Block, section
from bot.blocks.home import carry_home_state, home_state, opened_from_home
from bot.parsing import parse_channel, parse_user, tokenize
from bot.services import Services
from storage.models import Activity

log = logging.getLogger(__name__)

BAD_VALUE = "That button or form value isn't one I made, so nothing was changed."


def services_of(context: AsyncBoltContext) -> Services:
    services = context["services"]
    assert isinstance(services, Services)
    return services


@dataclass
class Reply:
    """An ephemeral answer to the person who asked."""

    text: str
    blocks: list[Block] = field(default_factory=list)
    # Where a modal's confirmation is told (the channel it was about), when not the one
    # the modal was opened from.
    channel_id: str | None = None
    # A click's answer that redraws the (ephemeral) message clicked, e.g. the calendar.
    replace_original: bool = False

    def message(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "blocks": self.blocks or [section(self.text)],
            "response_type": "ephemeral",
        }


class LoadActivity(Protocol):
    """How a kind loads the activity a button or a form names (e.g. `KindLookup.load`)."""

    async def __call__(
        self, session: AsyncSession, *, team_id: str, activity_id: int
    ) -> Activity: ...


class FindActivity(Protocol):
    """How a kind finds the activity a command means: the one named, else its channel's
    (e.g. `KindLookup.find`)."""

    async def __call__(
        self, session: AsyncSession, *, team_id: str, activity_id: int | None, channel_id: str
    ) -> Activity: ...


@dataclass
class Caller:
    """The person acting (a command, a click, a submission): who, where, when, with what."""

    services: Services
    team_id: str
    user_id: str
    channel_id: str
    trigger_id: str
    client: Any
    now: datetime
    _standing: Standing | None = None
    # The modal a button was clicked in (its state holds what was typed so far), if any.
    view: dict[str, Any] = field(default_factory=dict)
    # The message a button was clicked on, if any (a poll checks its buttons are its own).
    message_ts: str = ""
    # Set once this interaction redrew the person's Home tab (see _interaction).
    home_published: bool = False
    # Set by redraw_homes: others' tabs to redraw, this person's own (see after_changes).
    redraws_asked: bool = False
    home_due: bool = False

    @classmethod
    def of(cls, body: dict[str, Any], context: AsyncBoltContext, client: Any) -> Caller:
        services = services_of(context)
        user = body.get("user")
        user_id = user["id"] if isinstance(user, dict) else body.get("user_id", "")
        container = body.get("container")
        container = container if isinstance(container, dict) else {}
        channel = body.get("channel")
        channel_id = container.get("channel_id") or (
            channel.get("id", "") if isinstance(channel, dict) else ""
        )
        team = body.get("team")
        team_id = context.team_id or (team.get("id", "") if isinstance(team, dict) else "")
        return cls(
            services=services,
            team_id=team_id or body.get("team_id", ""),
            user_id=str(user_id),
            channel_id=channel_id or body.get("channel_id", ""),
            trigger_id=body.get("trigger_id", ""),
            client=client,
            now=services.clock.now(),
            view=_view_of(body),
            message_ts=str(container.get("message_ts") or ""),
        )

    @property
    def actor(self) -> Actor:
        return Actor(team_id=self.team_id, user_id=self.user_id, now=self.now)

    async def standing(self) -> Standing:
        if self._standing is None:
            self._standing = await self.services.standing(self.team_id, self.user_id)
        return self._standing

    async def require(self, needs: Needs) -> None:
        """Refuse, saying why, unless the person's standing allows what `needs` it."""
        if needs == "member":
            return
        standing = await self.standing()
        if not standing.allows(needs):
            raise UserError(standing.refusal(needs))

    async def require_organiser(self) -> None:
        await self.require("organiser")

    async def require_admin(self) -> None:
        await self.require("admin")

    async def timezone(self) -> str:
        return await self.services.timezone_of(self.team_id, self.user_id)

    async def resolve_user(self, token: str, example: str) -> str:
        """The user a `<@U…>` or plain `@name` token names, or a UserError saying so."""
        ref = parse_user(token)
        found = ref.id or await self.services.directory.find_user(self.team_id, ref.name or "")
        if found is None:
            raise UserError(
                f"I couldn't find the person `{escape_mrkdwn(token)}`. Example: `{example}`"
            )
        return found

    async def named(self, token: str, example: str) -> Named:
        """The person a token names (as `resolve_user`), with what Slack says of them."""
        return await self.person(await self.resolve_user(token, example))

    async def person(self, user_id: str) -> Named:
        """`user_id` with what Slack says of them (a users.info call)."""
        return Named(user_id, await self.services.directory.profile(self.team_id, user_id))

    async def resolve_channel(self, token: str, example: str) -> str:
        """The channel a `<#C…>` or plain `#name` token names, or a UserError saying so."""
        ref = parse_channel(token)
        found = ref.id or await self.services.directory.find_channel(self.team_id, ref.name or "")
        if found is None:
            raise UserError(
                f"I couldn't find the channel `{escape_mrkdwn(token)}`. Example: `{example}`",
                field="channel",
            )
        return found

    async def load(self, session: AsyncSession, load: LoadActivity, activity_id: int) -> Activity:
        """The activity `activity_id` of this workspace, as the kind's `load` finds it."""
        return await load(session, team_id=self.team_id, activity_id=activity_id)

    async def find(
        self, session: AsyncSession, find: FindActivity, activity_id: int | None
    ) -> Activity:
        """The activity this person means: `activity_id`, else the one of the channel they
        are in (as the kind's `find` decides)."""
        return await find(
            session, team_id=self.team_id, activity_id=activity_id, channel_id=self.channel_id
        )

    async def open_view(self, view: Block) -> None:
        """Open a modal; one opened from the Home tab (or from a modal opened there)
        remembers that tab, so its submission redraws it where it was."""
        await self.client.views_open(trigger_id=self.trigger_id, view=self._carrying_home(view))

    async def update_view(self, view: Block) -> None:
        """Redraw the modal this click came from (it keeps the Home tab it came from)."""
        await self.client.views_update(
            view_id=self.view["id"], hash=self.view.get("hash"), view=self._carrying_home(view)
        )

    def _carrying_home(self, view: Block) -> Block:
        if self.view.get("type") == "home" or opened_from_home(self.view):
            return carry_home_state(view, *home_state(self.view))
        return view

    async def tell(self, text: str, channel_id: str | None = None) -> None:
        """An ephemeral note in the channel; in the app's DM when the person can't see it
        there (a modal can name a channel its submitter is not in; Home has no channel)."""
        channel = channel_id or self.channel_id
        if channel:
            try:
                await self.client.chat_postEphemeral(channel=channel, user=self.user_id, text=text)
                return
            except SlackApiError as exc:
                log.info(
                    "ephemeral refused, sending a DM", extra={"error": exc.response.get("error")}
                )
        opened = await self.client.conversations_open(users=self.user_id)
        await self.client.chat_postMessage(channel=opened["channel"]["id"], text=text)

    async def publish_home(self, page: int | None = None, focus: str | None = None) -> None:
        """Redraw the person's Home tab; from a click on it (or a modal opened on it), on
        the page and with the waiting items opened that it showed, unless told otherwise."""
        self.home_published = True
        if self.view.get("type") == "home" or opened_from_home(self.view):
            shown_page, shown_focus = home_state(self.view)
            page = shown_page if page is None else page
            focus = shown_focus if focus is None else focus
        # From elsewhere (a command, a message's button), what the tab last showed.
        await self.services.publish_home(self.client, self.team_id, self.user_id, page, focus)

    async def redraw_homes(
        self, session: AsyncSession, user_ids: Iterable[str] = (), *, admins: bool = False
    ) -> None:
        """In the change's own transaction (`session`): ask for the open Home tabs of the
        people it affects (`user_ids`, and with `admins` every admin) to be redrawn, so
        the requests commit with the change or not at all. The others' are drawn by the
        courier, on the page they last showed; this person's here, where it was, once the handler
        has returned (`after_changes`), unless the handler has redrawn it already."""
        people = set(user_ids)
        shown = await self.services.redraw_homes(
            session, self.team_id, people, admins=admins, but=self.user_id
        )
        self.redraws_asked = self.redraws_asked or bool(shown - {self.user_id})
        on_home = self.view.get("type") == "home" or opened_from_home(self.view)
        if self.user_id in shown or (self.user_id in people and on_home):
            self.home_due = True

    async def redraw_organisers(self, session: AsyncSession) -> None:
        """After a change the organisers see (an activity's, or a contribution that waits
        for them: a tip, a talk, a book, a topic), in its transaction: redraw the open
        Home tabs of the organisers and the admins."""
        terms = await roles.current(session, team_id=self.team_id, today=self.now.date())
        await self.redraw_homes(
            session, [t.user_id for t in terms if t.role == ORGANISER], admins=True
        )

    async def after_changes(self) -> None:
        """Once the handler has returned (its transactions committed): the courier goes
        for the redraws it asked for, and this person's own tab is redrawn if due."""
        if self.redraws_asked:
            self.services.courier.wake()
        if self.home_due and not self.home_published:
            await _redraw_home(self)


def _view_of(body: dict[str, Any]) -> dict[str, Any]:
    view = body.get("view")
    return view if isinstance(view, dict) else {}


def refusal(exc: Exception) -> tuple[Reply, str | None]:
    """What to say for an error raised by a handler, and the field it is about (if any)."""
    if isinstance(exc, ScheduleError):
        # It quotes what the person typed: escape it so nothing in it can ping anyone.
        return Reply(f"⚠️ {escape_mrkdwn(str(exc))}"), exc.field or "schedule"
    if isinstance(exc, UserError):
        # Messages quote typed text escaped where they build it (CommandSyntaxError too).
        return Reply(f"⚠️ {exc}"), exc.field
    if isinstance(exc, SlackApiError):
        error = exc.response.get("error") if exc.response is not None else "error"
        log.warning("a Slack call failed", extra={"error": error})
        return Reply(f"⚠️ Slack refused that ({error}). Try again in a moment."), None
    if isinstance(exc, (ValueError, KeyError, json.JSONDecodeError)):
        # A forged or stale button/form value: never echo Python's own text.
        log.info("bad value in a request", extra={"error": type(exc).__name__})
        return Reply(f"⚠️ {BAD_VALUE}"), None
    raise exc


CommandHandler = Callable[[Caller, str], Awaitable[Reply | None]]
ActionHandler = Callable[[Caller, dict[str, Any]], Awaitable[Reply | None]]
SubmissionHandler = Callable[[Caller, dict[str, Any]], Awaitable[Reply | None]]
BoltListener = Callable[..., Awaitable[None]]

# Slack shows "operation_timeout" when a command is not acknowledged within 3 s.
ACK_BUDGET_SECONDS = 2.5


async def _answer(caller: Caller, work: Awaitable[Reply | None]) -> Reply | None:
    try:
        reply = await work
    except Exception as exc:  # every refusal becomes an answer; bugs re-raise in refusal()
        reply, _ = refusal(exc)
    await caller.after_changes()
    return reply


Subcommand = Callable[[Caller, list[str]], Awaitable[Reply | None]]


@dataclass(frozen=True, slots=True)
class Sub:
    """One word of a command: who may use it, and what it does (or more words under it)."""

    handler: Subcommand | None = None
    needs: Needs = "member"
    words: Mapping[str, Sub] | None = None
    default: str = ""  # with `words`: what no further word means


Table = Mapping[str, Sub]


def by_word(
    name: str, table: Mapping[str, Subcommand], usage: str, *, default: str = "help"
) -> Subcommand:
    """A kind's own words (`/community bookclub propose …`): the first word picks the
    handler, which gets the words after it; no word means `default`."""

    async def handle(caller: Caller, args: list[str]) -> Reply | None:
        verb = args[0].lower() if args else default
        handler = table.get(verb)
        if handler is None:
            raise UserError(f"Unknown `{name} {escape_mrkdwn(verb[:40])}`. {usage}")
        return await handler(caller, args[1:])

    return handle


async def route(
    caller: Caller, text: str, table: Table, *, usage: str, default: str = "help"
) -> Reply | None:
    """Tokenise a command's text and hand the rest to the subcommand its words name,
    once the person's standing allows it."""
    # Slack sends what people type with &, < and > as entities; mentions stay markup.
    tokens = [unescape_slack(token) for token in tokenize(text)]
    return await dispatch(caller, tokens, table, usage=usage, default=default)


async def dispatch(
    caller: Caller, tokens: list[str], table: Table, *, usage: str, default: str
) -> Reply | None:
    verb = tokens[0].lower() if tokens else default
    sub = table.get(verb)
    if sub is None:
        raise UserError(f"Unknown subcommand `{escape_mrkdwn(tokens[0][:40])}`. {usage}")
    await caller.require(sub.needs)
    if sub.words is not None:
        return await dispatch(caller, tokens[1:], sub.words, usage=usage, default=sub.default)
    assert sub.handler is not None
    return await sub.handler(caller, tokens[1:])


def command(handler: CommandHandler) -> BoltListener:
    """A slash command: acknowledged with the reply when it is ready within the budget;
    otherwise "working on it" at once and the reply through the response URL."""

    async def listener(
        ack: AsyncAck,
        respond: AsyncRespond,
        body: dict[str, Any],
        context: AsyncBoltContext,
        client: Any,
    ) -> None:
        caller = Caller.of(body, context, client)
        text = body.get("text") or ""
        task = asyncio.ensure_future(_answer(caller, handler(caller, text)))
        done, _ = await asyncio.wait({task}, timeout=ACK_BUDGET_SECONDS)
        if task not in done:
            await ack(text="⏳ Working on it…", response_type="ephemeral")
            reply = await task
            if reply is not None:
                await respond(**reply.message(), replace_original=False)
            return
        reply = task.result()
        await (ack(**reply.message()) if reply is not None else ack())

    return listener


def action(handler: ActionHandler, *, needs: Needs = "member") -> BoltListener:
    """A button, overflow or select: acked at once; refused unless the person's standing
    allows `needs`; the reply goes ephemeral through the click's response URL, or by DM
    where there is none (the Home tab)."""
    return _interaction(handler, needs, _clicked)


def _clicked(body: dict[str, Any]) -> dict[str, Any]:
    """The element clicked: a block_actions body's one action (as Bolt's `action`)."""
    clicked: dict[str, Any] = body["actions"][0]
    return clicked


def _shortcut(body: dict[str, Any]) -> dict[str, Any]:
    """A shortcut's payload is its whole body (as Bolt's `shortcut`)."""
    return body


def _interaction(
    handler: ActionHandler, needs: Needs, payload_of: Callable[[dict[str, Any]], dict[str, Any]]
) -> BoltListener:
    """A click or a shortcut: ack at once, answer through the response URL or by DM."""

    async def listener(
        ack: AsyncAck,
        body: dict[str, Any],
        context: AsyncBoltContext,
        client: Any,
        respond: AsyncRespond,
    ) -> None:
        await ack()
        caller = Caller.of(body, context, client)
        reply = await _answer(caller, _guarded(caller, needs, handler, payload_of(body)))
        if caller.view.get("type") == "home" and not caller.home_published:
            # A click on the Home tab may change what it shows (an RSVP, a vote, a role):
            # redraw it, unless the handler already did (with its own page).
            await _redraw_home(caller)
        if reply is None:
            return
        if body.get("response_url"):
            await respond(**reply.message(), replace_original=reply.replace_original)
        else:
            await caller.tell(reply.text)

    return listener


async def _guarded(
    caller: Caller, needs: Needs, handler: ActionHandler, payload: dict[str, Any]
) -> Reply | None:
    await caller.require(needs)
    return await handler(caller, payload)


async def _redraw_home(caller: Caller) -> None:
    try:
        await caller.publish_home()
    except Exception:  # the answer still goes out; the tab redraws on its next opening
        log.warning("could not redraw the Home tab", extra={"team_id": caller.team_id})


def on_action(
    app: AsyncApp, action_ids: Sequence[str], handler: ActionHandler, *, needs: Needs = "member"
) -> None:
    """Register `handler` for each of `action_ids`, through the wrapper, with who may click.

    The ids and the standing are kept on the listener: the generated authorization test
    reads them from the app, so a button cannot be added without being tried by it.
    """
    for action_id in action_ids:
        listener = action(handler, needs=needs)
        listener.convene_action = (action_id, needs)  # type: ignore[attr-defined]
        app.action(action_id)(listener)


def on_shortcut(
    app: AsyncApp, callback_id: str, handler: ActionHandler, *, needs: Needs = "member"
) -> None:
    """Register a message (or global) shortcut like a button: acked at once, refused unless
    the person's standing allows `needs`; `handler` gets the shortcut's payload (for a
    message shortcut, the message it was used on)."""

    listener = _interaction(handler, needs, _shortcut)
    listener.convene_shortcut = (callback_id, needs)  # type: ignore[attr-defined]
    app.shortcut(callback_id)(listener)


def submission(
    handler: SubmissionHandler, *, field_blocks: Mapping[str, str] | None = None
) -> BoltListener:
    """A modal submission: an error about a field is shown under it (the modal stays
    open); any other refusal closes nothing either and is shown under the first input;
    success closes the modal and the reply is told in the channel or by DM."""

    async def listener(
        ack: AsyncAck,
        body: dict[str, Any],
        view: dict[str, Any],
        context: AsyncBoltContext,
        client: Any,
    ) -> None:
        caller = Caller.of(body, context, client)
        try:
            reply = await handler(caller, view)
        except Exception as exc:
            answer, field_name = refusal(exc)
            if field_blocks and field_name:
                field_name = field_blocks.get(field_name, field_name)
            known = field_name is not None and _has_block(view, field_name)
            block_id = field_name if known and field_name else _first_input(view)
            message = answer.text.removeprefix("⚠️ ").split(" Example:")[0]
            await ack(response_action="errors", errors={block_id: message[:300]})
            return
        await ack()
        await caller.after_changes()
        if opened_from_home(view) and not caller.home_published:
            # Saved from a modal opened on the Home tab: redraw the tab beneath it.
            await _redraw_home(caller)
        if reply is not None:
            where = reply.channel_id or str(metadata_of(view).get("channel") or "")
            await caller.tell(reply.text, channel_id=where or None)

    return listener


def opens_modal(load: LoadActivity, modal: Callable[[Activity], Block]) -> ActionHandler:
    """A button whose value is an activity's id and that opens that activity's `modal`."""

    async def handler(caller: Caller, clicked: dict[str, Any]) -> None:
        async with caller.services.db.session() as session:
            activity = await caller.load(session, load, int(clicked.get("value", "")))
        await caller.open_view(modal(activity))

    return handler


def metadata_of(view: dict[str, Any]) -> dict[str, Any]:
    """The JSON the bot put in a modal's private_metadata when it opened it."""
    try:
        found = json.loads(view.get("private_metadata") or "{}")
    except json.JSONDecodeError:
        return {}
    return found if isinstance(found, dict) else {}


def _has_block(view: dict[str, Any], block_id: str | None) -> bool:
    return block_id is not None and any(
        b.get("block_id") == block_id for b in view.get("blocks") or []
    )


def _first_input(view: dict[str, Any]) -> str:
    for block in view.get("blocks") or []:
        if block.get("type") == "input" and block.get("block_id"):
            return str(block["block_id"])
    return "channel"


__all__ = [
    "ADMIN_ONLY",
    "ORGANISER_ONLY",
    "Caller",
    "FindActivity",
    "LoadActivity",
    "Reply",
    "Sub",
    "Table",
    "action",
    "command",
    "metadata_of",
    "on_action",
    "on_shortcut",
    "opens_modal",
    "refusal",
    "route",
    "services_of",
    "submission",
]
