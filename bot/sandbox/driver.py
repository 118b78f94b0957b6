"""Drive the bot over HTTP the way Slack does: signed slash commands, events and clicks."""

from __future__ import annotations

import copy
import hashlib
import hmac
import itertools
import json
import secrets
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import aiohttp

from .blockkit import options_of
from .running import Running
from .server import BOT_USER_ID, FakeSlack

JsonDict = dict[str, Any]

_counter = itertools.count(1)


FORM = "application/x-www-form-urlencoded"


@dataclass
class Response:
    """What the bot answered."""

    status: int
    body: str
    json: Any  # None when the body is not JSON
    elapsed: float = 0.0


class ElementNotFoundError(LookupError):
    """The bot's blocks hold no element with that action_id (and value)."""


# ---------------------------------------------------------------- element_state helpers


def _option(value: str, text: str | None = None) -> JsonDict:
    return {"text": {"type": "plain_text", "text": text or value, "emoji": True}, "value": value}


def _state(kind: str, key: str, doc: str) -> Callable[[Any], JsonDict]:
    """The state helper of an element whose whole state is one `key`."""

    def value(v: Any) -> JsonDict:
        return {"type": kind, key: v}

    value.__doc__ = doc
    return value


text_value = _state("plain_text_input", "value", "State of a ``plain_text_input``.")
channel_value = _state(
    "conversations_select", "selected_conversation", "State of a ``conversations_select``."
)
channels_select_value = _state(
    "channels_select", "selected_channel", "State of a ``channels_select``."
)
user_value = _state("users_select", "selected_user", "State of a ``users_select``.")
time_value = _state("timepicker", "selected_time", 'State of a ``timepicker`` ("HH:MM").')
date_value = _state("datepicker", "selected_date", 'State of a ``datepicker`` ("YYYY-MM-DD").')
number_value = _state(
    "number_input", "value", "State of a ``number_input`` (Slack sends the number as a string)."
)


def users_value(users: list[str]) -> JsonDict:
    """State of a ``multi_users_select``."""
    return {"type": "multi_users_select", "selected_users": list(users)}


def select_value(v: str | None, text: str | None = None) -> JsonDict:
    """State of a ``static_select`` (``text`` defaults to the value)."""
    return {"type": "static_select", "selected_option": None if v is None else _option(v, text)}


def multi_select_value(values: list[str]) -> JsonDict:
    """State of a ``multi_static_select``."""
    return {"type": "multi_static_select", "selected_options": [_option(v) for v in values]}


def checkboxes_value(values: list[str]) -> JsonDict:
    """State of ``checkboxes``."""
    return {"type": "checkboxes", "selected_options": [_option(v) for v in values]}


def radio_value(v: str | None) -> JsonDict:
    """State of ``radio_buttons``."""
    return {"type": "radio_buttons", "selected_option": None if v is None else _option(v)}


# What an untouched input's state holds, by element type: (state key, initial key).
_INITIAL_KEYS: dict[str, tuple[str, str]] = {
    "plain_text_input": ("value", "initial_value"),
    "static_select": ("selected_option", "initial_option"),
    "radio_buttons": ("selected_option", "initial_option"),
    "conversations_select": ("selected_conversation", "initial_conversation"),
    "channels_select": ("selected_channel", "initial_channel"),
    "users_select": ("selected_user", "initial_user"),
    "timepicker": ("selected_time", "initial_time"),
    "datepicker": ("selected_date", "initial_date"),
    "checkboxes": ("selected_options", "initial_options"),
    "number_input": ("value", "initial_value"),
}


def _initial_state(element: Mapping[str, Any]) -> JsonDict:
    kind = str(element.get("type"))
    state_key, initial_key = _INITIAL_KEYS.get(kind, ("value", "initial_value"))
    default: Any = [] if kind == "checkboxes" else None
    return {"type": kind, state_key: copy.deepcopy(element.get(initial_key, default))}


def _view_state(view: Mapping[str, Any], values: Mapping[str, Mapping[str, Any]]) -> JsonDict:
    """A view's `state.values` as Slack sends it, with a submission or a click inside
    the view: every input's state, what was not touched keeping its initial value."""
    state: JsonDict = {
        block_id: {str(el["action_id"]): _initial_state(el)}
        for block_id, el in _iter_elements(view.get("blocks"))
        if "initial_value" in el or str(el.get("type")) in _INITIAL_KEYS
    }
    state.update(copy.deepcopy({k: dict(v) for k, v in values.items()}))
    return state


# ---------------------------------------------------------------- block search


def _iter_elements(blocks: Any) -> Iterator[tuple[str, JsonDict]]:
    """Yield ``(block_id, element)`` for every interactive element in ``blocks``."""
    if not isinstance(blocks, list):
        return
    for block in blocks:
        if not isinstance(block, Mapping):
            continue
        block_id = str(block.get("block_id", ""))
        candidates: list[Any] = []
        if block.get("type") == "actions":
            candidates.extend(block.get("elements") or [])
        if "accessory" in block:
            candidates.append(block["accessory"])
        if block.get("type") == "input" and "element" in block:
            candidates.append(block["element"])
        for element in candidates:
            if isinstance(element, Mapping) and "action_id" in element:
                yield block_id, dict(element)


def _clean_option(option: Mapping[str, Any]) -> JsonDict:
    return {k: copy.deepcopy(v) for k, v in option.items() if k in ("text", "value", "description")}


def build_action(
    blocks: Any, action_id: str, value: str | None = None, *, action_ts: str | None = None
) -> JsonDict:
    """Build the ``actions[0]`` entry for clicking ``action_id`` in ``blocks``.

    Raises :class:`ElementNotFoundError` when no such element (with that value) exists.
    """
    ts = action_ts or f"{time.time():.6f}"
    seen: list[str] = []
    for block_id, element in _iter_elements(blocks):
        seen.append(f"{element.get('action_id')}({element.get('type')})")
        if element.get("action_id") != action_id:
            continue
        kind = element.get("type")
        base: JsonDict = {
            "type": kind,
            "action_id": action_id,
            "block_id": block_id,
            "action_ts": ts,
        }
        if kind == "button":
            if value is not None and element.get("value") != value:
                continue
            base["text"] = copy.deepcopy(element.get("text"))
            if "value" in element:
                base["value"] = element["value"]
            if "style" in element:
                base["style"] = element["style"]
            return base
        if kind in ("overflow", "static_select", "radio_buttons", "external_select"):
            options = options_of(element)
            chosen = next((o for o in options if value is None or o.get("value") == value), None)
            if value is None and len(options) != 1:
                raise ElementNotFoundError(
                    f"{kind} {action_id!r} needs value= (options: "
                    f"{[o.get('value') for o in options]})"
                )
            if chosen is None:
                continue
            base["selected_option"] = _clean_option(chosen)
            if kind != "overflow" and "placeholder" in element:
                base["placeholder"] = copy.deepcopy(element["placeholder"])
            return base
        if kind in ("multi_static_select", "checkboxes"):
            options = options_of(element)
            chosen = next((o for o in options if o.get("value") == value), None)
            if chosen is None:
                continue
            base["selected_options"] = [_clean_option(chosen)]
            return base
        simple = {
            "users_select": "selected_user",
            "conversations_select": "selected_conversation",
            "channels_select": "selected_channel",
            "datepicker": "selected_date",
            "timepicker": "selected_time",
        }
        if kind in simple:
            base[simple[kind]] = value
            return base
        if kind == "multi_users_select":
            base["selected_users"] = [value] if value is not None else []
            return base
        base["value"] = value
        return base
    wanted = f"{action_id!r}" + (f" with value {value!r}" if value is not None else "")
    raise ElementNotFoundError(
        f"no interactive element {wanted} in the blocks; elements present: {seen or 'none'}"
    )


# ---------------------------------------------------------------- the driver


class SlackDriver(Running):
    """Sends signed requests to the bot's HTTP endpoint exactly as Slack would."""

    def __init__(
        self,
        app_url: str,
        signing_secret: str,
        *,
        team_id: str = "T0001",
        slack: FakeSlack | None = None,
        api_app_id: str | None = None,
        team_domain: str | None = None,
        commands_url: str | None = None,
        events_url: str | None = None,
        interactivity_url: str | None = None,
    ) -> None:
        self.app_url = app_url
        self.signing_secret = signing_secret
        self.team_id = team_id
        self.slack = slack
        self.api_app_id = api_app_id or (slack.app_id if slack else "A0001")
        team = slack.teams.get(team_id) if slack else None
        self.team_domain = team_domain or (team.domain if team else "convene-test")
        self.commands_url = commands_url or app_url
        self.events_url = events_url or app_url
        self.interactivity_url = interactivity_url or app_url
        self.bot_user_id = slack.bot_user_id if slack else BOT_USER_ID
        self._session: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        """Nothing to open: the HTTP session opens with the first request."""

    async def stop(self) -> None:
        """Close the HTTP session (a later request opens another)."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _get_session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
        return self._session

    # ------------------------------------------------------------ signing & sending

    def sign(self, body: str, timestamp: int) -> str:
        """``v0=`` + hex HMAC-SHA256(secret, ``v0:{ts}:{body}``)."""
        base = f"v0:{timestamp}:{body}".encode()
        digest = hmac.new(self.signing_secret.encode(), base, hashlib.sha256).hexdigest()
        return f"v0={digest}"

    async def post(
        self,
        url: str,
        body: str,
        content_type: str,
        *,
        sign: bool = True,
        timestamp: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """POST a raw body with Slack's headers; ``sign=False`` sends a wrong signature."""
        ts = int(time.time()) if timestamp is None else timestamp
        signature = self.sign(body, ts) if sign else "v0=" + "0" * 64
        all_headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(ts),
            "X-Slack-Signature": signature,
            "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
        }
        all_headers.update(headers or {})
        started = time.monotonic()
        async with self._get_session().post(url, data=body.encode(), headers=all_headers) as resp:
            text = await resp.text()
            status = resp.status
        elapsed = time.monotonic() - started
        parsed: Any | None = None
        if text.strip():
            try:
                parsed = json.loads(text)
            except ValueError:
                parsed = None
        return Response(status=status, body=text, json=parsed, elapsed=elapsed)

    async def _post_form(
        self,
        url: str,
        fields: Mapping[str, str],
        *,
        sign: bool = True,
        timestamp: int | None = None,
    ) -> Response:
        return await self.post(
            url,
            urlencode(fields),
            "application/x-www-form-urlencoded",
            sign=sign,
            timestamp=timestamp,
        )

    async def _post_payload(
        self, payload: JsonDict, *, sign: bool = True, timestamp: int | None = None
    ) -> Response:
        return await self._post_form(
            self.interactivity_url,
            {"payload": json.dumps(payload, separators=(",", ":"))},
            sign=sign,
            timestamp=timestamp,
        )

    # ------------------------------------------------------------ ids & users

    def _trigger_id(self, user_id: str) -> str:
        if self.slack is not None:
            return self.slack.issue_trigger_id(user_id)
        n = next(_counter)
        return f"{int(time.time())}{n:03d}.{secrets.randbelow(10**12)}.{secrets.token_hex(16)}"

    def _response_url(
        self, kind: str, channel_id: str, user_id: str, message_ts: str | None = None
    ) -> str:
        if self.slack is not None and self.slack.running:
            return self.slack.issue_response_url(
                channel_id, user_id, message_ts=message_ts, kind=kind
            )
        return (
            f"https://hooks.slack.com/{kind}/{self.team_id}/"
            f"{secrets.randbelow(10**12)}/{secrets.token_hex(12)}"
        )

    def _user_name(self, user_id: str, user_name: str | None = None) -> str:
        if user_name:
            return user_name
        if self.slack is not None and user_id in self.slack.users:
            return self.slack.users[user_id].name
        return user_id.lower()

    def _user_obj(self, user_id: str) -> JsonDict:
        name = self._user_name(user_id)
        return {"id": user_id, "username": name, "name": name, "team_id": self.team_id}

    def _channel_name(self, channel_id: str) -> str:
        if self.slack is not None and channel_id in self.slack.channels:
            channel = self.slack.channels[channel_id]
            return "directmessage" if channel.is_im else channel.name
        return "general" if channel_id == "C0GENERAL" else channel_id.lower()

    def _team_obj(self) -> JsonDict:
        return {"id": self.team_id, "domain": self.team_domain}

    def _interactive(self, kind: str, user_id: str) -> JsonDict:
        """What every interactive payload carries: its type, who, the app, the team (and
        no Enterprise Grid); each adds its own parts (a trigger_id where Slack sends one)."""
        return {
            "type": kind,
            "user": self._user_obj(user_id),
            "api_app_id": self.api_app_id,
            "token": "legacy-verification-token",
            "team": self._team_obj(),
            "enterprise": None,
            "is_enterprise_install": False,
        }

    # ------------------------------------------------------------ slash commands

    async def command(
        self,
        user_id: str,
        command: str,
        text: str = "",
        *,
        channel_id: str = "C0GENERAL",
        channel_name: str | None = None,
        user_name: str | None = None,
        sign: bool = True,
        timestamp: int | None = None,
    ) -> Response:
        """Send a slash command (form-encoded, as Slack does)."""
        if not command.startswith("/"):
            command = "/" + command
        fields = {
            "token": "legacy-verification-token",
            "team_id": self.team_id,
            "team_domain": self.team_domain,
            "channel_id": channel_id,
            "channel_name": channel_name or self._channel_name(channel_id),
            "user_id": user_id,
            "user_name": self._user_name(user_id, user_name),
            "command": command,
            "text": text,
            "api_app_id": self.api_app_id,
            "is_enterprise_install": "false",
            "response_url": self._response_url("commands", channel_id, user_id),
            "trigger_id": self._trigger_id(user_id),
        }
        return await self._post_form(self.commands_url, fields, sign=sign, timestamp=timestamp)

    # ------------------------------------------------------------ events

    async def event(
        self,
        event: Mapping[str, Any],
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
        sign: bool = True,
        timestamp: int | None = None,
    ) -> Response:
        """Deliver an Events API ``event_callback``; pass ``retry_num`` to mimic a retry."""
        body_event = dict(event)
        now = time.time()
        body_event.setdefault("event_ts", f"{now:.6f}")
        envelope: JsonDict = {
            "token": "legacy-verification-token",
            "team_id": self.team_id,
            "context_team_id": self.team_id,
            "context_enterprise_id": None,
            "api_app_id": self.api_app_id,
            "event": body_event,
            "type": "event_callback",
            "event_id": event_id or new_event_id(),
            "event_time": int(now),
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": self.team_id,
                    "user_id": self.bot_user_id,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
        }
        headers: dict[str, str] = {}
        if retry_num is not None:
            headers["X-Slack-Retry-Num"] = str(retry_num)
            headers["X-Slack-Retry-Reason"] = retry_reason
        return await self.post(
            self.events_url,
            json.dumps(envelope),
            "application/json",
            sign=sign,
            timestamp=timestamp,
            headers=headers,
        )

    async def url_verification(self, challenge: str, *, sign: bool = True) -> Response:
        """Send the ``url_verification`` handshake."""
        body = {"token": "legacy-verification-token", "challenge": challenge}
        body["type"] = "url_verification"
        return await self.post(self.events_url, json.dumps(body), "application/json", sign=sign)

    async def app_home_opened(self, user_id: str, *, tab: str = "home") -> Response:
        """Deliver ``app_home_opened`` (with the currently published view, if any)."""
        event: JsonDict = {
            "type": "app_home_opened",
            "user": user_id,
            "channel": self.slack.open_dm(user_id)
            if self.slack is not None and user_id in self.slack.users
            else "D0HOME",
            "tab": tab,
        }
        if self.slack is not None and user_id in self.slack.home_views:
            event["view"] = copy.deepcopy(self.slack.home_views[user_id])
        return await self.event(event)

    async def member_joined_channel(
        self, user_id: str, channel_id: str, *, inviter: str | None = None
    ) -> Response:
        """Deliver ``member_joined_channel`` (also adds the member in the fake)."""
        if self.slack is not None and channel_id in self.slack.channels:
            self.slack.add_member(channel_id, user_id)
        event: JsonDict = {
            "type": "member_joined_channel",
            "user": user_id,
            "channel": channel_id,
            "channel_type": "C",
            "team": self.team_id,
        }
        if inviter:
            event["inviter"] = inviter
        return await self.event(event)

    async def reaction(
        self,
        user_id: str,
        message: Mapping[str, Any],
        name: str,
        *,
        added: bool = True,
        event_ts: str | None = None,
        event_id: str | None = None,
        retry_num: int | None = None,
    ) -> Response:
        """Deliver ``reaction_added`` (or ``reaction_removed``) for a message in a channel.

        Pass the same ``event_id`` with ``retry_num`` to mimic Slack's redelivery, and an
        earlier ``event_ts`` to deliver events out of order.
        """
        channel = str(message.get("channel", ""))
        event: JsonDict = {
            "type": "reaction_added" if added else "reaction_removed",
            "user": user_id,
            "reaction": name,
            "item": {"type": "message", "channel": channel, "ts": str(message.get("ts"))},
            "item_user": message.get("user", self.bot_user_id),
        }
        if event_ts is not None:
            event["event_ts"] = event_ts
        return await self.event(event, event_id=event_id, retry_num=retry_num)

    async def reply(
        self,
        user_id: str,
        message: Mapping[str, Any],
        text: str,
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
    ) -> Response:
        """A member replies in the thread of ``message``: stored in the fake, then the
        ``message`` event (``channel_type`` from the channel) is delivered."""
        channel = str(message.get("channel", ""))
        parent = str(message.get("ts"))
        if self.slack is not None:
            stored = self.slack.add_message(channel, user_id, text, thread_ts=parent)
        else:
            stored = {"type": "message", "user": user_id, "text": text, "ts": f"{time.time():.6f}"}
        event: JsonDict = {
            "type": "message",
            "channel": channel,
            "channel_type": "group" if channel.startswith("G") else "channel",
            "user": user_id,
            "text": text,
            "ts": stored["ts"],
            "thread_ts": parent,
            "event_ts": stored["ts"],
        }
        return await self.event(event, event_id=event_id, retry_num=retry_num)

    async def file_shared(self, info: Mapping[str, Any]) -> Response:
        """Deliver ``file_shared`` for a file a member shared: ``info`` as the fake's
        ``add_file`` returned it (files.info's shape)."""
        channel_id = [*info.get("channels", []), *info.get("groups", [])][0]
        event: JsonDict = {
            "type": "file_shared",
            "file_id": info["id"],
            "user_id": info["user"],
            "file": {"id": info["id"]},
            "channel_id": channel_id,
        }
        return await self.event(event)

    # ------------------------------------------------------------ interactivity

    async def click(
        self,
        user_id: str,
        message: Mapping[str, Any],
        action_id: str,
        *,
        value: str | None = None,
        channel_id: str | None = None,
        state: Mapping[str, Mapping[str, Any]] | None = None,
        sign: bool = True,
    ) -> Response:
        """Click ``action_id`` (with ``value``) in a message the bot posted."""
        body = self.click_body(
            user_id, message, action_id, value=value, channel_id=channel_id, state=state
        )
        return await self.post(self.interactivity_url, body, FORM, sign=sign)

    def click_body(
        self,
        user_id: str,
        message: Mapping[str, Any],
        action_id: str,
        *,
        value: str | None = None,
        channel_id: str | None = None,
        state: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> str:
        """The form body Slack would send for that click (a load generator prepares these)."""
        ts = message.get("ts")
        if not isinstance(ts, str):
            raise ValueError("the message has no ts; pass a message stored by the fake")
        cid = channel_id or message.get("channel")
        if self.slack is not None:
            message = self._stored_message(ts, cid if isinstance(cid, str) else None, message)
            cid = message.get("channel", cid)
        if not isinstance(cid, str):
            cid = "C0GENERAL"
        action = build_action(message.get("blocks"), action_id, value)
        ephemeral = bool(message.get("is_ephemeral"))
        clean = {
            k: copy.deepcopy(v)
            for k, v in message.items()
            if k not in ("channel", "is_ephemeral") and not (ephemeral and k == "user")
        }
        payload = self._interactive("block_actions", user_id) | {
            "container": {
                "type": "message",
                "message_ts": ts,
                "channel_id": cid,
                "is_ephemeral": ephemeral,
            },
            "trigger_id": self._trigger_id(user_id),
            "channel": {"id": cid, "name": self._channel_name(cid)},
            "state": {"values": copy.deepcopy(dict(state or {}))},
            "response_url": self._response_url(
                "actions", cid, user_id, message_ts=None if ephemeral else ts
            ),
            "actions": [action],
        }
        if not ephemeral:
            payload["message"] = clean
        return urlencode({"payload": json.dumps(payload, separators=(",", ":"))})

    def _stored_message(
        self, ts: str, channel_id: str | None, given: Mapping[str, Any]
    ) -> Mapping[str, Any]:
        """The fake's current copy of a message (so only real, current blocks are clickable)."""
        assert self.slack is not None
        if given.get("is_ephemeral"):
            for eph in self.slack.ephemeral_messages:
                if eph["ts"] == ts and (channel_id is None or eph["channel"] == channel_id):
                    return eph
            raise ElementNotFoundError(f"the bot sent no ephemeral message with ts {ts}")
        for channel in self.slack.channels.values():
            if channel_id is not None and channel.id != channel_id:
                continue
            stored = self.slack.get_message(channel.id, ts)
            if stored is not None:
                return stored
        where = f" in {channel_id}" if channel_id else ""
        raise ElementNotFoundError(f"no message with ts {ts}{where} in the fake (deleted?)")

    async def click_view(
        self,
        user_id: str,
        view: Mapping[str, Any],
        action_id: str,
        *,
        value: str | None = None,
        values: Mapping[str, Mapping[str, Any]] | None = None,
        sign: bool = True,
    ) -> Response:
        """Click ``action_id`` inside a modal or Home tab ``view``."""
        action = build_action(view.get("blocks"), action_id, value)
        full_view = copy.deepcopy(dict(view))
        full_view["state"] = {"values": _view_state(view, values or {})}
        payload = self._interactive("block_actions", user_id) | {
            "container": {"type": "view", "view_id": view.get("id")},
            "trigger_id": self._trigger_id(user_id),
            "view": full_view,
            "actions": [action],
        }
        return await self._post_payload(payload, sign=sign)

    async def click_home(
        self, user_id: str, action_id: str, value: str | None = None, *, sign: bool = True
    ) -> Response:
        """Click ``action_id`` on the Home tab the bot last published for ``user_id``."""
        if self.slack is None:
            raise RuntimeError("click_home needs SlackDriver(slack=FakeSlack)")
        view = self.slack.home_views.get(user_id)
        if view is None:
            raise ElementNotFoundError(f"the bot never published a Home tab for {user_id}")
        return await self.click_view(user_id, view, action_id, value=value, sign=sign)

    async def raw_action(
        self, user_id: str, payload_overrides: Mapping[str, Any], *, sign: bool = True
    ) -> Response:
        """Send a (possibly forged) ``block_actions`` payload; overrides win."""
        payload = self._interactive("block_actions", user_id) | {
            "container": {"type": "message", "message_ts": "0.0", "channel_id": "C0GENERAL"},
            "trigger_id": self._trigger_id(user_id),
            "channel": {"id": "C0GENERAL", "name": "general"},
            "state": {"values": {}},
            "response_url": self._response_url("actions", "C0GENERAL", user_id),
            "actions": [],
        }
        payload.update(copy.deepcopy(dict(payload_overrides)))
        return await self._post_payload(payload, sign=sign)

    async def message_shortcut(
        self,
        user_id: str,
        message: Mapping[str, Any],
        callback_id: str,
        *,
        channel_id: str | None = None,
        sign: bool = True,
    ) -> Response:
        """Use the message shortcut ``callback_id`` on a stored ``message`` (the ⋮ menu)."""
        ts = message.get("ts")
        if not isinstance(ts, str):
            raise ValueError("the message has no ts; pass a message stored by the fake")
        cid = channel_id or message.get("channel")
        if not isinstance(cid, str):
            raise ValueError("which channel is the message in? pass channel_id")
        if self.slack is not None:
            message = self._stored_message(ts, cid, message)
        clean = {k: copy.deepcopy(v) for k, v in message.items() if k != "channel"}
        payload = self._interactive("message_action", user_id) | {
            "callback_id": callback_id,
            "trigger_id": self._trigger_id(user_id),
            "channel": {"id": cid, "name": self._channel_name(cid)},
            "message_ts": ts,
            "message": clean,
            "response_url": self._response_url("actions", cid, user_id),
        }
        return await self._post_payload(payload, sign=sign)

    async def submit_view(
        self,
        user_id: str,
        view: Mapping[str, Any],
        values: Mapping[str, Mapping[str, Any]],
        *,
        sign: bool = True,
    ) -> Response:
        """Submit a modal the bot opened, with ``{block_id: {action_id: element_state}}``."""
        if self.slack is not None:
            stored = self.slack.views.get(str(view.get("id")))
            if stored is None:
                raise ElementNotFoundError(f"the bot never opened a view with id {view.get('id')}")
            view = stored
        known_inputs = {
            (block_id, str(el.get("action_id")))
            for block_id, el in _iter_elements(view.get("blocks"))
        }
        for block_id, by_action in values.items():
            for action_id in by_action:
                if (block_id, action_id) not in known_inputs:
                    raise ElementNotFoundError(
                        f"the view has no input {block_id}/{action_id}; "
                        f"inputs present: {sorted(known_inputs)}"
                    )
        full_view = copy.deepcopy(dict(view))
        full_view["state"] = {"values": _view_state(view, values)}
        payload = self._interactive("view_submission", user_id) | {
            "trigger_id": self._trigger_id(user_id),
            "view": full_view,
            "response_urls": [],
        }
        return await self._post_payload(payload, sign=sign)

    async def close_view(
        self, user_id: str, view: Mapping[str, Any], *, sign: bool = True
    ) -> Response:
        """Send ``view_closed`` (only sent by Slack when the view set notify_on_close)."""
        payload = self._interactive("view_closed", user_id) | {
            "view": copy.deepcopy(dict(view)),
            "is_cleared": False,
        }
        return await self._post_payload(payload, sign=sign)


def new_event_id() -> str:
    """A unique ``Ev...`` event id."""
    return f"Ev{next(_counter):04d}{secrets.token_hex(4).upper()}"
