"""A faithful local fake of Slack's Web API, served over real HTTP on 127.0.0.1.

Point slack_sdk at it with ``AsyncWebClient(token="xoxb-test", base_url=fake.api_url)``.

Behaviour worth knowing (all mirrors Slack):

* Every workspace has a default team ``T0001``, the bot user ``UBOT`` (bot id ``B0001``),
  ``USLACKBOT`` (only visible in ``users.list``/``users.info``) and a ``#general`` channel
  ``C0GENERAL`` the bot is a member of; ``add_user`` puts people in ``#general`` too.
* ``add_channel`` adds the bot to the channel unless ``bot_member=False``; then posting
  answers ``not_in_channel`` (unless ``chat_write_public=True`` for public channels) and a
  private channel is invisible (``channel_not_found``). ``conversations.members`` includes
  the bot when it is a member, as Slack does.
* Methods without JSON support in Slack (``users.info``, ``conversations.members`` ...)
  ignore a JSON body; a token inside a JSON body is ignored (use the Authorization header).
* Blocks and views are checked against Block Kit limits (see ``blockkit.py``); missing
  ``block_id``/``action_id`` are filled in on stored messages, as Slack does.
* ``chat.postMessage`` to a user id posts into the bot's DM with that user.
* Response URLs and trigger ids handed out by :class:`~bot.sandbox.driver.SlackDriver`
  are served/validated here: posts to a response URL are recorded as calls to the pseudo
  method ``"response_url"``; a trigger id can be exchanged once, within 3 seconds.
"""

from __future__ import annotations

import asyncio
import base64
import copy
import json
import random
import re
import string
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from aiohttp import web

from .blockkit import check_blocks, check_view
from .running import Running

JsonDict = dict[str, Any]

DEFAULT_TEAM_ID = "T0001"
DEFAULT_TEAM_NAME = "Convene Test"
BOT_USER_ID = "UBOT"
BOT_ID = "B0001"
BOT_NAME = "convene"
APP_ID = "A0001"
GENERAL_CHANNEL_ID = "C0GENERAL"
SLACKBOT_USER_ID = "USLACKBOT"

#: Required arguments per Web API method (besides the token), as Slack documents them.
REQUIRED_ARGS: dict[str, tuple[str, ...]] = {
    "auth.test": (),
    "chat.delete": ("ts", "channel"),
    "chat.getPermalink": ("channel", "message_ts"),
    "chat.postEphemeral": ("user", "channel"),
    "chat.postMessage": ("channel",),
    "chat.update": ("ts", "channel"),
    "conversations.history": ("channel",),
    "conversations.info": ("channel",),
    "conversations.join": ("channel",),
    "conversations.list": (),
    "conversations.members": ("channel",),
    "conversations.open": (),
    "conversations.replies": ("channel", "ts"),
    "files.completeUploadExternal": ("files",),
    "files.getUploadURLExternal": ("length", "filename"),
    "files.info": ("file",),
    "reactions.add": ("name", "timestamp", "channel"),
    "reactions.get": (),
    "team.info": (),
    "users.info": ("user",),
    "users.list": (),
    "users.lookupByEmail": ("email",),
    "views.open": ("view",),
    "views.publish": ("user_id", "view"),
    "views.push": ("view",),
    "views.update": ("view",),
}

#: Methods whose Slack endpoint does not accept a JSON body (arguments must be form/query).
JSON_UNSUPPORTED: frozenset[str] = frozenset(
    {
        "chat.getPermalink",
        "conversations.history",
        "conversations.info",
        "conversations.list",
        "conversations.members",
        "conversations.replies",
        "files.getUploadURLExternal",
        "files.info",
        "reactions.get",
        "users.info",
        "users.list",
        "users.lookupByEmail",
    }
)

#: Rate-limit tier per method (informational; the fake only rate-limits on request).
RATE_TIERS: dict[str, str] = {
    "auth.test": "t5",
    "chat.delete": "t3",
    "chat.getPermalink": "t5",
    "chat.postEphemeral": "t4",
    "chat.postMessage": "t5",
    "chat.update": "t3",
    "conversations.history": "t3",
    "conversations.info": "t3",
    "conversations.join": "t3",
    "conversations.list": "t2",
    "conversations.members": "t4",
    "conversations.open": "t3",
    "conversations.replies": "t3",
    "files.completeUploadExternal": "t4",
    "files.getUploadURLExternal": "t4",
    "files.info": "t4",
    "reactions.add": "t3",
    "reactions.get": "t3",
    "team.info": "t3",
    "users.info": "t4",
    "users.list": "t2",
    "users.lookupByEmail": "t3",
    "views.open": "t4",
    "views.publish": "t4",
    "views.push": "t4",
    "views.update": "t4",
}

_MESSAGE_METHODS = frozenset({"chat.postMessage", "chat.update", "chat.postEphemeral"})
_JSON_ARGS = ("blocks", "attachments", "view", "files", "metadata")
_TRIGGER_RE = re.compile(r"^\d+\.\d+\.[0-9a-zA-Z]+$")
_PAGE_DEFAULT = 100
_PAGE_MAX = 1000
_POST_TEXT_MAX = 40000
_UPDATE_TEXT_MAX = 4000
_MPIM_MAX_USERS = 8
_RESPONSE_URL_USES = 5
_RESPONSE_URL_TTL = 30 * 60
_UPPER_ALNUM = string.ascii_uppercase + string.digits
_ALNUM = string.ascii_letters + string.digits

_TZ_LABELS = {
    "GMT": "Greenwich Mean Time",
    "BST": "British Summer Time",
    "UTC": "Coordinated Universal Time",
    "WET": "Western European Time",
    "WEST": "Western European Summer Time",
    "CET": "Central European Time",
    "CEST": "Central European Summer Time",
    "EET": "Eastern European Time",
    "EEST": "Eastern European Summer Time",
    "EST": "Eastern Standard Time",
    "EDT": "Eastern Daylight Time",
    "CST": "Central Standard Time",
    "CDT": "Central Daylight Time",
    "MST": "Mountain Standard Time",
    "MDT": "Mountain Daylight Time",
    "PST": "Pacific Standard Time",
    "PDT": "Pacific Daylight Time",
    "AKST": "Alaska Standard Time",
    "AKDT": "Alaska Daylight Time",
    "HST": "Hawaii-Aleutian Standard Time",
    "IST": "India Standard Time",
    "JST": "Japan Standard Time",
    "KST": "Korea Standard Time",
    "AEST": "Australian Eastern Standard Time",
    "AEDT": "Australian Eastern Daylight Time",
    "NZST": "New Zealand Standard Time",
    "NZDT": "New Zealand Daylight Time",
}


@dataclass
class Call:
    """One request the fake received (``args`` normalised, token removed)."""

    method: str
    args: dict[str, Any]
    at: float
    token: str | None = None
    response: JsonDict | None = None
    status: int = 200

    @property
    def ok(self) -> bool:
        """Whether the fake answered ``ok: true``."""
        return bool(self.response and self.response.get("ok"))


@dataclass
class FakeTeam:
    """A workspace."""

    id: str
    name: str
    domain: str

    def to_api(self) -> JsonDict:
        return {
            "id": self.id,
            "name": self.name,
            "domain": self.domain,
            "email_domain": "",
            "icon": {
                "image_34": "https://a.slack-edge.com/80588/img/avatars-teams/ava_0001-34.png",
                "image_default": True,
            },
        }


@dataclass
class FakeUser:
    """A workspace member (mutable: tests may flip ``deleted`` or change ``tz``)."""

    id: str
    name: str
    real_name: str
    team_id: str
    tz: str = "Europe/London"
    title: str = ""
    display_name: str = ""
    email: str = ""
    is_admin: bool = False
    is_owner: bool = False
    is_primary_owner: bool = False
    is_bot: bool = False
    deleted: bool = False
    bot_id: str | None = None

    def tz_offset(self) -> int:
        offset = datetime.now(ZoneInfo(self.tz)).utcoffset()
        return int(offset.total_seconds()) if offset is not None else 0

    def tz_label(self) -> str:
        abbr = datetime.now(ZoneInfo(self.tz)).tzname() or ""
        return _TZ_LABELS.get(abbr, abbr)

    def to_api(self) -> JsonDict:
        profile: JsonDict = {
            "title": self.title,
            "real_name": self.real_name,
            "real_name_normalized": self.real_name,
            "display_name": self.display_name,
            "display_name_normalized": self.display_name,
            "status_text": "",
            "status_emoji": "",
            "avatar_hash": "g0000000000",
            "image_48": "https://secure.gravatar.com/avatar/0000.jpg?s=48",
            "image_72": "https://secure.gravatar.com/avatar/0000.jpg?s=72",
            "team": self.team_id,
        }
        if self.email:
            profile["email"] = self.email
        if self.bot_id:
            profile["bot_id"] = self.bot_id
            profile["always_active"] = True
        return {
            "id": self.id,
            "team_id": self.team_id,
            "name": self.name,
            "deleted": self.deleted,
            "color": "9f69e7",
            "real_name": self.real_name,
            "tz": self.tz,
            "tz_label": self.tz_label(),
            "tz_offset": self.tz_offset(),
            "profile": profile,
            "is_admin": self.is_admin,
            "is_owner": self.is_owner,
            "is_primary_owner": self.is_primary_owner,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": self.is_bot,
            "is_app_user": False,
            "updated": 1700000000,
            "has_2fa": False,
        }


@dataclass
class FakeChannel:
    """A conversation: public/private channel, DM (``is_im``) or group DM (``is_mpim``)."""

    id: str
    name: str
    members: list[str]
    team_id: str
    is_private: bool = False
    is_archived: bool = False
    is_general: bool = False
    is_im: bool = False
    is_mpim: bool = False
    created: int = field(default_factory=lambda: int(time.time()))
    creator: str = ""
    topic: str = ""
    purpose: str = ""
    messages: list[JsonDict] = field(default_factory=list)

    @property
    def is_channel(self) -> bool:
        return not (self.is_im or self.is_mpim)

    def to_api(self, *, include_num_members: bool = False) -> JsonDict:
        if self.is_im:
            other = next((m for m in self.members if m != BOT_USER_ID), BOT_USER_ID)
            return {
                "id": self.id,
                "created": self.created,
                "is_im": True,
                "is_org_shared": False,
                "user": other,
                "is_user_deleted": False,
                "is_open": True,
                "priority": 0,
                "context_team_id": self.team_id,
            }
        info: JsonDict = {
            "id": self.id,
            "name": self.name,
            "is_channel": self.is_channel,
            "is_group": False,
            "is_im": False,
            "is_mpim": self.is_mpim,
            "is_private": self.is_private or self.is_mpim,
            "created": self.created,
            "is_archived": self.is_archived,
            "is_general": self.is_general,
            "unlinked": 0,
            "name_normalized": self.name,
            "is_shared": False,
            "is_org_shared": False,
            "is_ext_shared": False,
            "is_pending_ext_shared": False,
            "pending_shared": [],
            "context_team_id": self.team_id,
            "shared_team_ids": [self.team_id],
            "creator": self.creator,
            "is_member": BOT_USER_ID in self.members,
            "topic": {"value": self.topic, "creator": "", "last_set": 0},
            "purpose": {"value": self.purpose, "creator": "", "last_set": 0},
            "previous_names": [],
        }
        if include_num_members:
            info["num_members"] = len(self.members)
        return info


@dataclass
class _Failure:
    kind: Literal["error", "ratelimit", "http"]
    error: str = ""
    retry_after: int = 1
    status: int = 500
    extra: JsonDict = field(default_factory=dict)


@dataclass
class Gate:
    """One call held on arrival, before Slack acts on it, until the test releases it."""

    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    released: asyncio.Event = field(default_factory=asyncio.Event)
    token: str | None = None

    def release(self) -> None:
        self.released.set()


@dataclass
class _Trigger:
    user_id: str
    issued_at: float
    exchanged: bool = False


@dataclass
class _ResponseUrl:
    channel_id: str
    user_id: str
    message_ts: str | None
    issued_at: float
    uses: int = 0


class SlackError(Exception):
    """Raised inside a handler to answer ``{"ok": false, "error": ...}``."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


def _missing(*names: str) -> SlackError:
    return SlackError(
        "invalid_arguments",
        response_metadata={"messages": [f"[ERROR] missing required field: {n}" for n in names]},
    )


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes")
    return bool(value)


def _has_content(value: Any) -> bool:
    return value is not None and value != "" and value != []


def _json_object(raw: bytes) -> JsonDict | None:
    """A JSON request body as an object (an empty body is an empty one); None if it is not."""
    try:
        parsed = json.loads(raw) if raw.strip() else {}
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) else None


def _ts_arg(value: Any, default: str) -> str:
    if value in (None, ""):
        return default
    try:
        float(str(value))
    except ValueError:
        raise SlackError("invalid_ts_oldest") from None
    return str(value)


def _as_read(message: JsonDict, *, metadata: bool) -> JsonDict:
    """A stored message as the read methods return it: metadata only when asked for."""
    result = copy.deepcopy(message)
    if not metadata:
        result.pop("metadata", None)
    return result


class FakeSlack(Running):
    """The fake Slack Web API server plus the workspace state it serves."""

    def __init__(
        self,
        *,
        accept_any_token: bool = True,
        chat_write_public: bool = False,
        trigger_ttl: float = 3.0,
        seed: int | None = None,
    ) -> None:
        self.accept_any_token = accept_any_token
        self.chat_write_public = chat_write_public
        self.trigger_ttl = trigger_ttl
        self.bot_user_id = BOT_USER_ID
        self.bot_id = BOT_ID
        self.app_id = APP_ID
        self.default_team_id = DEFAULT_TEAM_ID

        self.calls: list[Call] = []
        self.block_errors: list[str] = []
        self.teams: dict[str, FakeTeam] = {}
        self.users: dict[str, FakeUser] = {}
        self.channels: dict[str, FakeChannel] = {}
        self.tokens: dict[str, str] = {}
        self.revoked_tokens: set[str] = set()
        self.ephemeral_messages: list[JsonDict] = []
        self.home_views: dict[str, JsonDict] = {}
        self.opened_views: list[JsonDict] = []
        self.pushed_views: list[JsonDict] = []
        self.views: dict[str, JsonDict] = {}
        self.view_owner: dict[str, str] = {}
        self.uploaded_files: dict[str, JsonDict] = {}
        self.shared_files: dict[str, JsonDict] = {}  # files people shared (files.info)

        self._rng = random.Random(seed)
        self._last_ts_us = 0
        self._failures: dict[str, deque[_Failure]] = {}
        self._delays: dict[str, float] = {}
        self._holds: dict[str, float] = {}
        self._gates: dict[str, Gate] = {}
        self._conversations_by_users: dict[frozenset[str], str] = {}
        self._pending_uploads: dict[str, JsonDict] = {}
        self._triggers: dict[str, _Trigger] = {}
        self._response_urls: dict[str, _ResponseUrl] = {}
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._handlers: dict[str, Callable[[JsonDict, FakeTeam], JsonDict]] = {
            "auth.test": self._auth_test,
            "chat.delete": self._chat_delete,
            "chat.getPermalink": self._chat_get_permalink,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.postMessage": self._chat_post_message,
            "chat.update": self._chat_update,
            "conversations.history": self._conversations_history,
            "conversations.info": self._conversations_info,
            "conversations.join": self._conversations_join,
            "conversations.list": self._conversations_list,
            "conversations.members": self._conversations_members,
            "conversations.open": self._conversations_open,
            "conversations.replies": self._conversations_replies,
            "files.completeUploadExternal": self._files_complete_upload_external,
            "files.getUploadURLExternal": self._files_get_upload_url_external,
            "files.info": self._files_info,
            "reactions.add": self._reactions_add,
            "reactions.get": self._reactions_get,
            "team.info": self._team_info,
            "users.info": self._users_info,
            "users.list": self._users_list,
            "users.lookupByEmail": self._users_lookup_by_email,
            "views.open": self._views_open,
            "views.publish": self._views_publish,
            "views.push": self._views_push,
            "views.update": self._views_update,
        }

        self.add_team(DEFAULT_TEAM_ID, DEFAULT_TEAM_NAME)
        self.users[BOT_USER_ID] = FakeUser(
            id=BOT_USER_ID,
            name=BOT_NAME,
            real_name="Convene",
            display_name="",
            team_id=DEFAULT_TEAM_ID,
            is_bot=True,
            bot_id=BOT_ID,
        )
        self.users[SLACKBOT_USER_ID] = FakeUser(
            id=SLACKBOT_USER_ID,
            name="slackbot",
            real_name="Slackbot",
            display_name="Slackbot",
            team_id=DEFAULT_TEAM_ID,
        )
        self.add_channel(GENERAL_CHANNEL_ID, "general", [], is_general=True)

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Start serving on 127.0.0.1 at a random free port."""
        if self._runner is not None:
            return
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/api/{method}", self._handle_api)
        app.router.add_post("/upload/{file_id}", self._handle_upload)
        app.router.add_get("/files-pri/{file_id}/{name}", self._handle_file_download)
        app.router.add_post("/response/{rid}", self._handle_response_url)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self._runner = runner
        address = runner.addresses[0]
        self._port = int(address[1])

    async def stop(self) -> None:
        """Stop the server (state is kept for post-mortem assertions)."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def running(self) -> bool:
        """Whether the server is listening."""
        return self._runner is not None and self._port is not None

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT`` (no trailing slash)."""
        if self._port is None:
            raise RuntimeError("FakeSlack is not started; call `await fake.start()` first")
        return f"http://127.0.0.1:{self._port}"

    @property
    def api_url(self) -> str:
        """Base URL for slack_sdk's ``AsyncWebClient(base_url=...)``."""
        return f"{self.base_url}/api/"

    # ------------------------------------------------------------------ world state

    def add_team(self, team_id: str = DEFAULT_TEAM_ID, name: str = DEFAULT_TEAM_NAME) -> FakeTeam:
        """Add (or replace) a workspace."""
        domain = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or team_id.lower()
        team = FakeTeam(id=team_id, name=name, domain=domain)
        self.teams[team_id] = team
        return team

    def add_token(self, token: str, team_id: str = DEFAULT_TEAM_ID) -> None:
        """Bind a bot token to a team (unbound ``xoxb-`` tokens map to the default team)."""
        self.tokens[token] = team_id

    def revoke_token(self, token: str) -> None:
        """Further calls with ``token`` answer ``token_revoked``."""
        self.revoked_tokens.add(token)

    def add_user(
        self,
        user_id: str,
        name: str,
        *,
        real_name: str | None = None,
        display_name: str | None = None,
        email: str | None = None,
        tz: str = "Europe/London",
        title: str = "",
        is_admin: bool = False,
        is_owner: bool = False,
        is_bot: bool = False,
        deleted: bool = False,
        team_id: str = DEFAULT_TEAM_ID,
        join_general: bool = True,
    ) -> FakeUser:
        """Add a member; they join ``#general`` unless ``join_general=False`` or a bot."""
        ZoneInfo(tz)  # fail fast on a bad tz name
        user = FakeUser(
            id=user_id,
            name=name,
            real_name=real_name if real_name is not None else name,
            display_name=display_name if display_name is not None else name,
            email=email if email is not None else f"{name}@example.com",
            team_id=team_id,
            tz=tz,
            title=title,
            is_admin=is_admin or is_owner,
            is_owner=is_owner,
            is_bot=is_bot,
            deleted=deleted,
            bot_id=("B" + self._rand(_UPPER_ALNUM, 10)) if is_bot else None,
        )
        self.users[user_id] = user
        general = self.channels.get(GENERAL_CHANNEL_ID)
        if join_general and not is_bot and general is not None and user_id not in general.members:
            general.members.append(user_id)
        return user

    def add_channel(
        self,
        channel_id: str | None = None,
        name: str = "",
        members: Iterable[str] = (),
        *,
        is_private: bool = False,
        is_archived: bool = False,
        is_general: bool = False,
        bot_member: bool = True,
        team_id: str = DEFAULT_TEAM_ID,
        topic: str = "",
        purpose: str = "",
    ) -> str:
        """Add a channel (id generated when ``None``); return its id."""
        cid = channel_id or self._new_id("C")
        member_list = list(dict.fromkeys(members))
        if bot_member and BOT_USER_ID not in member_list:
            member_list.append(BOT_USER_ID)
        if not bot_member and BOT_USER_ID in member_list:
            member_list.remove(BOT_USER_ID)
        self.channels[cid] = FakeChannel(
            id=cid,
            name=name or cid.lower(),
            members=member_list,
            team_id=team_id,
            is_private=is_private,
            is_archived=is_archived,
            is_general=is_general,
            topic=topic,
            purpose=purpose,
        )
        return cid

    def channel_members(self, channel_id: str) -> list[str]:
        """Current members of a channel (including the bot when it is in it)."""
        return list(self._channel_or_raise(channel_id).members)

    def add_member(self, channel_id: str, user_id: str) -> None:
        members = self._channel_or_raise(channel_id).members
        if user_id not in members:
            members.append(user_id)

    def remove_member(self, channel_id: str, user_id: str) -> None:
        members = self._channel_or_raise(channel_id).members
        if user_id in members:
            members.remove(user_id)

    def archive_channel(self, channel_id: str) -> None:
        self._channel_or_raise(channel_id).is_archived = True

    def add_message(
        self,
        channel_id: str,
        user_id: str,
        text: str,
        *,
        thread_ts: str | None = None,
        blocks: list[JsonDict] | None = None,
    ) -> JsonDict:
        """Store a message a human wrote (for events, reactions, threads); return it."""
        channel = self._channel_or_raise(channel_id)
        message: JsonDict = {"type": "message", "user": user_id, "text": text}
        if blocks is not None:
            message["blocks"] = blocks
        team = self.users[user_id].team_id if user_id in self.users else channel.team_id
        message["team"] = team
        self._store_message(channel, message, thread_ts=thread_ts)
        return self._with_channel(channel.id, message)

    def show_command_answer(self, channel_id: str, user_id: str, body: JsonDict) -> JsonDict:
        """Show what a slash command's HTTP answer said, as Slack does: ephemeral to the
        person who typed it, or in the channel with ``response_type: in_channel``."""
        channel = self._channel_or_raise(channel_id)
        message = self._bot_message(channel.team_id, body)
        if body.get("response_type") == "in_channel":
            self._store_message(channel, message)
            return self._with_channel(channel.id, message)
        message.update({"ts": self.next_ts(), "channel": channel.id, "user": user_id})
        message["is_ephemeral"] = True
        self.ephemeral_messages.append(message)
        return message

    def answer_view_submission(self, view_id: str, body: JsonDict) -> JsonDict | None:
        """Apply a view_submission answer's ``response_action`` (update or push) as Slack
        does; returns the modal now showing, or None when the modal closed."""
        current = self.views.get(view_id)
        action = body.get("response_action")
        new_view = body.get("view")
        if current is None or action not in ("update", "push") or not isinstance(new_view, dict):
            return None
        team = self.teams[current["team_id"]]
        owner = self.view_owner.get(view_id)
        if action == "update":
            full = self._new_view(new_view, team, view_id=view_id)
            full["root_view_id"] = current["root_view_id"]
        else:
            full = self._new_view(new_view, team)
            full["root_view_id"] = current["root_view_id"]
            full["previous_view_id"] = view_id
            self.pushed_views.append(full)
        if owner is not None:
            self.view_owner[full["id"]] = owner
        return full

    def react(self, channel_id: str, ts: str, user_id: str, name: str, *, add: bool = True) -> None:
        """A person adds (or removes) a reaction on a message."""
        message = self._find_message(self._channel_or_raise(channel_id), ts)
        if message is None:
            raise KeyError(f"no message {ts} in {channel_id}")
        reactions: list[JsonDict] = message.setdefault("reactions", [])
        reaction = next((r for r in reactions if r["name"] == name), None)
        if add:
            if reaction is None:
                reaction = {"name": name, "users": [], "count": 0}
                reactions.append(reaction)
            if user_id not in reaction["users"]:
                reaction["users"].append(user_id)
                reaction["count"] += 1
        elif reaction is not None and user_id in reaction["users"]:
            reaction["users"].remove(user_id)
            reaction["count"] -= 1
            if not reaction["count"]:
                reactions.remove(reaction)

    def snapshot(self) -> JsonDict:
        """The conversations and their messages, as JSON, to `restore` in a later session."""
        return {
            "channels": [asdict(c) for c in self.channels.values()],
            "conversations": [
                {"users": sorted(users), "channel": cid}
                for users, cid in self._conversations_by_users.items()
            ],
            "last_ts_us": self._last_ts_us,
        }

    def restore(self, state: JsonDict) -> None:
        """Bring back what `snapshot` saved (users are seeded again, not restored)."""
        for data in state.get("channels") or []:
            channel = FakeChannel(**data)
            self.channels[channel.id] = channel
        for entry in state.get("conversations") or []:
            self._conversations_by_users[frozenset(entry["users"])] = str(entry["channel"])
        self._last_ts_us = max(self._last_ts_us, int(state.get("last_ts_us") or 0))

    def add_file(
        self,
        user_id: str,
        channel_id: str,
        name: str,
        content: bytes,
        *,
        filetype: str = "text",
        mimetype: str = "text/plain",
    ) -> JsonDict:
        """A file a person shared in a channel (as a `file_share` message); returns it as
        files.info shows it. Its `url_private` serves the content to a valid bot token."""
        channel = self._channel_or_raise(channel_id)
        file_id = self._new_id("F")
        info: JsonDict = {
            "id": file_id,
            "name": name,
            "title": name,
            "filetype": filetype,
            "mimetype": mimetype,
            "size": len(content),
            "user": user_id,
            "url_private": f"{self.base_url}/files-pri/{file_id}/{name}",
            "url_private_download": f"{self.base_url}/files-pri/{file_id}/{name}?download=1",
            "channels": [channel.id] if channel.is_channel else [],
            "groups": [] if channel.is_channel else [channel.id],
        }
        self.shared_files[file_id] = {"info": info, "content": content}
        message: JsonDict = {
            "type": "message",
            "subtype": "file_share",
            "user": user_id,
            "text": "",
            "files": [copy.deepcopy(info)],
        }
        self._store_message(channel, message)
        return copy.deepcopy(info)

    def next_ts(self) -> str:
        """A new message timestamp, time based and strictly increasing."""
        now_us = int(time.time() * 1_000_000)
        self._last_ts_us = max(now_us, self._last_ts_us + 1)
        return f"{self._last_ts_us // 1_000_000}.{self._last_ts_us % 1_000_000:06d}"

    # ------------------------------------------------------------------ inspection

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def clear_calls(self) -> None:
        self.calls.clear()
        self.block_errors.clear()

    async def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109 - a polling deadline, part of the API
        where: Callable[[Call], bool] | None = None,
    ) -> list[Call]:
        """Wait until at least ``count`` matching calls were answered; return them."""
        deadline = time.monotonic() + timeout
        while True:
            matching = [c for c in self.calls_to(method) if where is None or where(c)]
            if len(matching) >= count:
                return matching
            if time.monotonic() >= deadline:
                raise AssertionError(
                    f"expected {count} call(s) to {method}"
                    f"{' matching the filter' if where else ''} within {timeout}s, "
                    f"saw {len(matching)}.\n{self.summary()}"
                )
            await asyncio.sleep(0.01)

    def summary(self, limit: int = 50) -> str:
        """A readable list of the calls seen so far."""
        if not self.calls:
            return "No calls were made to the fake Slack."
        lines = [f"Calls seen ({len(self.calls)}):"]
        for c in self.calls[-limit:]:
            outcome = "ok" if c.ok else (c.response or {}).get("error", f"HTTP {c.status}")
            args = json.dumps(c.args, default=str)
            if len(args) > 160:
                args = args[:157] + "..."
            lines.append(f"  {c.method} -> {outcome}  {args}")
        return "\n".join(lines)

    def messages(self, channel_id: str) -> list[JsonDict]:
        """Messages stored in a channel (oldest first), each with a ``channel`` key."""
        channel = self._channel_or_raise(channel_id)
        return [self._with_channel(channel.id, m) for m in channel.messages]

    def get_message(self, channel_id: str, ts: str) -> JsonDict | None:
        channel = self.channels.get(channel_id)
        if channel is None:
            return None
        message = self._find_message(channel, ts)
        return self._with_channel(channel.id, message) if message else None

    def last_message(self, channel_id: str | None = None) -> JsonDict:
        """The newest message the bot posted (in ``channel_id`` if given)."""
        best: tuple[str, str, JsonDict] | None = None
        for channel in self.channels.values():
            if channel_id is not None and channel.id != channel_id:
                continue
            for m in channel.messages:
                if m.get("bot_id") == self.bot_id and (best is None or m["ts"] > best[0]):
                    best = (m["ts"], channel.id, m)
        if best is None:
            raise AssertionError(
                f"the bot posted no message{f' in {channel_id}' if channel_id else ''}.\n"
                + self.summary()
            )
        return self._with_channel(best[1], best[2])

    def open_dm(self, user_id: str) -> str:
        """Open (or find) the bot's DM with ``user_id``, as Slack's App Home has one."""
        user = self.users[user_id]
        return self._open_conversation([user_id], self.teams[user.team_id]).id

    def dm_channel(self, user_id: str) -> str | None:
        """Id of the bot's DM with ``user_id`` (if opened)."""
        return self._conversations_by_users.get(frozenset({user_id, BOT_USER_ID}))

    def dm_messages(self, user_id: str) -> list[JsonDict]:
        """Messages in the bot's DM with ``user_id`` (empty if never opened)."""
        cid = self.dm_channel(user_id)
        return self.messages(cid) if cid else []

    def ephemerals_to(self, user_id: str) -> list[JsonDict]:
        return [m for m in self.ephemeral_messages if m.get("user") == user_id]

    # ------------------------------------------------------------------ failure injection

    def fail_next(
        self,
        method: str,
        error: str = "channel_not_found",
        times: int = 1,
        **extra: Any,
    ) -> None:
        """The next ``times`` calls to ``method`` answer ``ok: false`` with ``error``."""
        queue = self._failures.setdefault(method, deque())
        queue.extend(_Failure("error", error=error, extra=dict(extra)) for _ in range(times))

    def rate_limit_next(self, method: str, retry_after: int = 1, times: int = 1) -> None:
        """The next ``times`` calls answer HTTP 429 with ``Retry-After``."""
        queue = self._failures.setdefault(method, deque())
        queue.extend(_Failure("ratelimit", retry_after=retry_after) for _ in range(times))

    def fail_next_http(self, method: str, status: int = 500, times: int = 1) -> None:
        """The next ``times`` calls answer a bare HTTP error page with ``status``."""
        queue = self._failures.setdefault(method, deque())
        queue.extend(_Failure("http", status=status) for _ in range(times))

    def delay(self, method: str, seconds: float) -> None:
        """Answer every call to ``method`` after ``seconds`` (0 removes the delay)."""
        if seconds > 0:
            self._delays[method] = seconds
        else:
            self._delays.pop(method, None)

    def hold_answers(self, method: str, seconds: float) -> None:
        """Act on every call to ``method`` at once but answer it after ``seconds``.

        That is Slack under strain, or a connection lost on the way back: the message is
        posted while its sender is still waiting (0 removes the hold).
        """
        if seconds > 0:
            self._holds[method] = seconds
        else:
            self._holds.pop(method, None)

    def hold_next(self, method: str) -> Gate:
        """Hold the next call to ``method`` as it arrives, not acted on, until released.

        A failure queued for the method is taken by that call on arrival, so a later
        call (another sender's) is not the one that gets it. Then it is answered as usual.
        """
        gate = self._gates[method] = Gate()
        return gate

    # ------------------------------------------------------------------ driver hooks

    def issue_trigger_id(self, user_id: str) -> str:
        """A fresh trigger id for ``user_id``, valid once for ``trigger_ttl`` seconds."""
        tid = (
            f"{self._rng.randint(10**12, 10**13 - 1)}."
            f"{self._rng.randint(10**12, 10**13 - 1)}."
            f"{self._rand(string.hexdigits.lower()[:16], 32)}"
        )
        self._triggers[tid] = _Trigger(user_id=user_id, issued_at=time.monotonic())
        return tid

    def issue_response_url(
        self,
        channel_id: str,
        user_id: str,
        *,
        message_ts: str | None = None,
        kind: str = "commands",
    ) -> str:
        """A response URL served by this fake (5 uses, 30 minutes)."""
        rid = f"{kind}-{self._rand(_ALNUM, 24)}"
        self._response_urls[rid] = _ResponseUrl(
            channel_id=channel_id,
            user_id=user_id,
            message_ts=message_ts,
            issued_at=time.monotonic(),
        )
        return f"{self.base_url}/response/{rid}"

    # ------------------------------------------------------------------ HTTP plumbing

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        at = time.time()
        args, token, parse_error = await self._parse_request(request, method)
        call = Call(method=method, args=args, at=at, token=token)
        gate = self._gates.pop(method, None)
        queue = self._failures.get(method)
        failure = queue.popleft() if queue and gate is not None else None
        if gate is not None:
            gate.token = token
            gate.arrived.set()
            await gate.released.wait()
        delay = self._delays.get(method)
        if delay:
            await asyncio.sleep(delay)
        try:
            if gate is None:
                queue = self._failures.get(method)
                failure = queue.popleft() if queue else None
            if failure is not None and failure.kind == "ratelimit":
                body: JsonDict = {"ok": False, "error": "ratelimited"}
                return self._answer(call, body, 429, {"Retry-After": str(failure.retry_after)})
            if failure is not None and failure.kind == "http":
                call.status = failure.status
                self.calls.append(call)
                return web.Response(
                    status=failure.status,
                    text=f"<html><body><h1>{failure.status} Server Error</h1></body></html>",
                    content_type="text/html",
                )
            if failure is not None:
                return self._answer(call, {"ok": False, "error": failure.error, **failure.extra})
            if method not in self._handlers:
                return self._answer(
                    call, {"ok": False, "error": "unknown_method", "req_method": method}
                )
            if parse_error is not None:
                raise parse_error
            team = self._authenticate(token)
            self._check_required(method, args)
            body = self._handlers[method](args, team)
            hold = self._holds.get(method)
            if hold:
                await asyncio.sleep(hold)
            return self._answer(call, {"ok": True, **body})
        except SlackError as err:
            return self._answer(call, {"ok": False, "error": err.error, **err.extra})

    def _answer(
        self,
        call: Call,
        body: JsonDict,
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> web.Response:
        call.response = body
        call.status = status
        self.calls.append(call)
        return web.json_response(body, status=status, headers=headers)

    async def _parse_request(
        self, request: web.Request, method: str
    ) -> tuple[JsonDict, str | None, SlackError | None]:
        args: JsonDict = {}
        for key, value in request.query.items():
            args.setdefault(key, value)
        token: str | None = None
        error: SlackError | None = None
        auth = request.headers.get("Authorization", "")
        if auth.lower().startswith("bearer "):
            token = auth[7:].strip()
        if request.method == "POST" and request.body_exists:
            ctype = request.content_type
            if ctype == "application/json":
                parsed = _json_object(await request.read())
                if parsed is None:
                    error = SlackError("invalid_json")
                elif method not in JSON_UNSUPPORTED:
                    parsed.pop("token", None)  # Slack only takes the header with JSON bodies
                    args.update(parsed)
            elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
                form = await request.post()
                for key, field_value in form.items():
                    if isinstance(field_value, str):
                        args[key] = field_value
                    elif isinstance(field_value, web.FileField):
                        args[key] = {
                            "filename": field_value.filename,
                            "content": field_value.file.read(),
                        }
                    else:
                        args[key] = bytes(field_value)
            else:
                await request.read()
        body_token = args.pop("token", None)
        if token is None and isinstance(body_token, str):
            token = body_token
        for key in _JSON_ARGS:
            raw_value = args.get(key)
            if isinstance(raw_value, str):
                try:
                    args[key] = json.loads(raw_value)
                except ValueError:
                    if error is None:
                        kind = "invalid_blocks_format" if key == "blocks" else "invalid_arguments"
                        error = SlackError(
                            kind,
                            response_metadata={"messages": [f"[ERROR] invalid `{key}`"]},
                        )
        users = args.get("users")
        if method == "conversations.open" and isinstance(users, str):
            args["users"] = [u.strip() for u in users.split(",") if u.strip()]
        return args, token, error

    def _authenticate(self, token: str | None) -> FakeTeam:
        if not token:
            raise SlackError("not_authed")
        if token in self.revoked_tokens:
            raise SlackError("token_revoked")
        team_id = self.tokens.get(token)
        if team_id is None:
            if not (self.accept_any_token and token.startswith("xoxb-")):
                raise SlackError("invalid_auth")
            team_id = self.default_team_id
        team = self.teams.get(team_id)
        if team is None:
            raise SlackError("invalid_auth")
        return team

    def _check_required(self, method: str, args: JsonDict) -> None:
        missing = [name for name in REQUIRED_ARGS.get(method, ()) if args.get(name) is None]
        if missing:
            raise _missing(*missing)
        if method in _MESSAGE_METHODS and not any(
            _has_content(args.get(k)) for k in ("text", "blocks", "attachments")
        ):
            raise SlackError("no_text")
        if method == "conversations.open" and not args.get("users") and not args.get("channel"):
            raise SlackError("users_list_not_supplied")

    def _check_blocks(self, method: str, blocks: Any, surface: Literal["message"]) -> None:
        problems = check_blocks(blocks, surface=surface)
        if problems:
            self.block_errors.extend(f"{method}: {p}" for p in problems)
            raise SlackError("invalid_blocks", errors=problems)

    def _check_view(self, method: str, view: Any) -> None:
        problems = check_view(view)
        if problems:
            self.block_errors.extend(f"{method}: {p}" for p in problems)
            raise SlackError("invalid_blocks", errors=problems)

    async def _handle_upload(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        pending = self._pending_uploads.get(file_id)
        if pending is None:
            return web.Response(status=404, text="file not found", content_type="text/plain")
        if request.content_type == "multipart/form-data":
            form = await request.post()
            content = b""
            for part in form.values():
                if isinstance(part, web.FileField):
                    content = part.file.read()
                    break
        else:
            content = await request.read()
        pending["content"] = content
        return web.Response(text=f"OK - {len(content)}", content_type="text/plain")

    async def _handle_file_download(self, request: web.Request) -> web.Response:
        """`url_private`: the content for a request with a valid bot token, as Slack does
        (without one Slack answers with its sign-in page, never the file)."""
        found = self.shared_files.get(request.match_info["file_id"])
        header = request.headers.get("Authorization", "")
        token = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else None
        try:
            self._authenticate(token)
        except SlackError:
            return web.Response(status=200, text="<html>sign in</html>", content_type="text/html")
        if found is None:
            return web.Response(status=404, text="file not found", content_type="text/plain")
        return web.Response(body=found["content"], content_type=found["info"]["mimetype"])

    async def _handle_response_url(self, request: web.Request) -> web.Response:
        rid = request.match_info["rid"]
        body = _json_object(await request.read()) or {}
        call = Call(method="response_url", args=body, at=time.time())

        def reply(status: int, text: str) -> web.Response:
            call.status = status
            call.response = {"ok": status == 200, **({} if status == 200 else {"error": text})}
            self.calls.append(call)
            return web.Response(status=status, text=text, content_type="text/plain")

        ctx = self._response_urls.get(rid)
        if ctx is None:
            return reply(404, "invalid_url")
        if time.monotonic() - ctx.issued_at > _RESPONSE_URL_TTL:
            return reply(404, "expired_url")
        ctx.uses += 1
        if ctx.uses > _RESPONSE_URL_USES:
            return reply(404, "used_url")
        channel = self.channels.get(ctx.channel_id)
        if _truthy(body.get("delete_original")):
            if ctx.message_ts and channel is not None:
                original = self._find_message(channel, ctx.message_ts)
                if original is not None:
                    channel.messages.remove(original)
            return reply(200, "ok")
        if not any(_has_content(body.get(k)) for k in ("text", "blocks", "attachments")):
            return reply(400, "no_text")
        if "blocks" in body:
            problems = check_blocks(body["blocks"])
            if problems:
                self.block_errors.extend(f"response_url: {p}" for p in problems)
                return reply(400, "invalid_blocks")
        if _truthy(body.get("replace_original")) and ctx.message_ts and channel is not None:
            original = self._find_message(channel, ctx.message_ts)
            if original is not None:
                self._apply_update(original, body)
                return reply(200, "ok")
        if body.get("response_type") == "in_channel" and channel is not None:
            message = self._bot_message(channel.team_id, body)
            self._store_message(channel, message, thread_ts=body.get("thread_ts"))
        else:
            ephemeral = self._bot_message(
                channel.team_id if channel else self.default_team_id, body
            )
            ephemeral.update({"ts": self.next_ts(), "channel": ctx.channel_id, "user": ctx.user_id})
            ephemeral["is_ephemeral"] = True
            self.ephemeral_messages.append(ephemeral)
        return reply(200, "ok")

    # ------------------------------------------------------------------ helpers

    def _rand(self, alphabet: str, n: int) -> str:
        return "".join(self._rng.choice(alphabet) for _ in range(n))

    def _new_id(self, prefix: str) -> str:
        while True:
            candidate = prefix + self._rand(_UPPER_ALNUM, 10)
            if candidate not in self.channels and candidate not in self.views:
                return candidate

    def _channel_or_raise(self, channel_id: str) -> FakeChannel:
        channel = self.channels.get(channel_id)
        if channel is None:
            raise KeyError(f"no channel {channel_id!r} in the fake Slack")
        return channel

    @staticmethod
    def _with_channel(channel_id: str, message: JsonDict) -> JsonDict:
        result = copy.deepcopy(message)
        result["channel"] = channel_id
        return result

    def _visible_channel(self, channel_ref: Any, team: FakeTeam) -> FakeChannel:
        """Resolve an id (or ``#name``) to a channel the bot can see."""
        if not isinstance(channel_ref, str) or not channel_ref:
            raise SlackError("channel_not_found")
        channel = self.channels.get(channel_ref)
        if channel is None:
            name = channel_ref.lstrip("#")
            channel = next(
                (
                    c
                    for c in self.channels.values()
                    if c.is_channel and c.name == name and c.team_id == team.id
                ),
                None,
            )
        if channel is None or channel.team_id != team.id:
            raise SlackError("channel_not_found")
        if (channel.is_private or not channel.is_channel) and BOT_USER_ID not in channel.members:
            raise SlackError("channel_not_found")
        return channel

    def _postable_channel(self, channel_ref: Any, team: FakeTeam) -> FakeChannel:
        """Resolve a channel for posting; a user id means the bot's DM with that user."""
        if isinstance(channel_ref, str) and channel_ref[:1] in ("U", "W"):
            user = self.users.get(channel_ref)
            if user is not None and channel_ref not in self.channels:
                if user.deleted:
                    raise SlackError("user_disabled")
                return self._open_conversation([channel_ref], team)
        channel = self._visible_channel(channel_ref, team)
        if channel.is_archived:
            raise SlackError("is_archived")
        if BOT_USER_ID not in channel.members and not (
            self.chat_write_public and channel.is_channel and not channel.is_private
        ):
            raise SlackError("not_in_channel")
        return channel

    @staticmethod
    def _find_message(channel: FakeChannel, ts: str) -> JsonDict | None:
        return next((m for m in channel.messages if m.get("ts") == ts), None)

    def _fill_ids(self, blocks: Any) -> Any:
        """Copy ``blocks`` adding the block_id/action_id values Slack generates."""
        if not isinstance(blocks, list):
            return blocks
        result = copy.deepcopy(blocks)
        for block in result:
            if not isinstance(block, dict):
                continue
            block.setdefault("block_id", self._rand(_ALNUM, 5))
            elements: list[Any] = []
            if isinstance(block.get("accessory"), dict):
                elements.append(block["accessory"])
            if isinstance(block.get("element"), dict):
                elements.append(block["element"])
            if block.get("type") == "actions" and isinstance(block.get("elements"), list):
                elements.extend(block["elements"])
            for element in elements:
                if isinstance(element, dict) and "type" in element:
                    element.setdefault("action_id", self._rand(_ALNUM, 5))
        return result

    def _bot_message(self, team_id: str, args: JsonDict) -> JsonDict:
        message: JsonDict = {
            "type": "message",
            "user": BOT_USER_ID,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "team": team_id,
            "text": args.get("text") or "",
            "bot_profile": {
                "id": self.bot_id,
                "app_id": self.app_id,
                "name": BOT_NAME,
                "deleted": False,
                "team_id": team_id,
            },
        }
        if _has_content(args.get("blocks")):
            message["blocks"] = self._fill_ids(args["blocks"])
            if not message["text"]:
                message["text"] = "This content can't be displayed."
        if _has_content(args.get("attachments")):
            message["attachments"] = copy.deepcopy(args["attachments"])
        if args.get("metadata") is not None:
            message["metadata"] = copy.deepcopy(args["metadata"])
        return message

    def _store_message(
        self, channel: FakeChannel, message: JsonDict, *, thread_ts: Any = None
    ) -> None:
        message["ts"] = self.next_ts()
        if isinstance(thread_ts, str) and thread_ts:
            parent = self._find_message(channel, thread_ts)
            if parent is not None:
                message["thread_ts"] = thread_ts
                message["parent_user_id"] = parent.get("user", "")
                parent["thread_ts"] = thread_ts
                parent["reply_count"] = int(parent.get("reply_count", 0)) + 1
                reply_users = parent.setdefault("reply_users", [])
                if message.get("user") and message["user"] not in reply_users:
                    reply_users.append(message["user"])
                parent["reply_users_count"] = len(reply_users)
                parent["latest_reply"] = message["ts"]
            else:
                message["thread_ts"] = thread_ts  # Slack keeps a dangling thread_ts as is
        channel.messages.append(message)

    def _apply_update(self, message: JsonDict, args: JsonDict) -> None:
        if "text" in args and args["text"] is not None:
            message["text"] = args["text"]
        if "blocks" in args and args["blocks"] is not None:
            if args["blocks"]:
                message["blocks"] = self._fill_ids(args["blocks"])
            else:
                message.pop("blocks", None)
        if "attachments" in args and args["attachments"] is not None:
            if args["attachments"]:
                message["attachments"] = copy.deepcopy(args["attachments"])
            else:
                message.pop("attachments", None)
        if args.get("metadata") is not None:
            message["metadata"] = copy.deepcopy(args["metadata"])
        message["edited"] = {"user": BOT_USER_ID, "ts": self.next_ts()}

    def _messages_page(
        self, messages: list[JsonDict], args: JsonDict, extra: JsonDict | None = None
    ) -> JsonDict:
        """One page of `messages` as conversations.replies and .history answer it (the
        method's `extra` fields before the cursor), as read back from Slack."""
        by_ts = {m["ts"]: m for m in messages}
        page, next_cursor = self._page([m["ts"] for m in messages], args)
        metadata = _truthy(args.get("include_all_metadata"))
        return {
            "messages": [_as_read(by_ts[t], metadata=metadata) for t in page],
            "has_more": bool(next_cursor),
            **(extra or {}),
            "response_metadata": {"next_cursor": next_cursor},
        }

    def _page(self, items: list[str], args: JsonDict) -> tuple[list[str], str]:
        """Cursor pagination as Slack does it: returns (page, next_cursor or "")."""
        raw_limit = args.get("limit")
        try:
            limit = int(raw_limit) if raw_limit not in (None, "") else _PAGE_DEFAULT
        except (TypeError, ValueError):
            raise SlackError("invalid_limit") from None
        if limit <= 0:
            limit = _PAGE_DEFAULT
        limit = min(limit, _PAGE_MAX)
        start = 0
        cursor = args.get("cursor")
        if cursor:
            try:
                decoded = base64.b64decode(str(cursor), validate=True).decode()
            except ValueError:
                raise SlackError("invalid_cursor") from None
            kind, _, after = decoded.partition(":")
            if kind != "next" or after not in items:
                raise SlackError("invalid_cursor")
            start = items.index(after)
        page = items[start : start + limit]
        next_cursor = ""
        if start + limit < len(items):
            next_cursor = base64.b64encode(f"next:{items[start + limit]}".encode()).decode()
        return page, next_cursor

    def _open_conversation(self, user_ids: list[str], team: FakeTeam) -> FakeChannel:
        key = frozenset([*user_ids, BOT_USER_ID])
        existing = self._conversations_by_users.get(key)
        if existing is not None:
            return self.channels[existing]
        others = [u for u in dict.fromkeys(user_ids) if u != BOT_USER_ID]
        if len(others) <= 1:
            cid = self._new_id("D")
            channel = FakeChannel(
                id=cid,
                name=cid,
                members=[*others, BOT_USER_ID],
                team_id=team.id,
                is_im=True,
                is_private=True,
            )
        else:
            cid = self._new_id("G")
            names = "--".join(self.users[u].name for u in [BOT_USER_ID, *others])
            channel = FakeChannel(
                id=cid,
                name=f"mpdm-{names}-1",
                members=[BOT_USER_ID, *others],
                team_id=team.id,
                is_mpim=True,
                is_private=True,
            )
        self.channels[cid] = channel
        self._conversations_by_users[key] = cid
        return channel

    def _new_view(self, view: JsonDict, team: FakeTeam, *, view_id: str | None = None) -> JsonDict:
        vid = view_id or self._new_id("V")
        full: JsonDict = {
            "id": vid,
            "team_id": team.id,
            "type": view.get("type"),
            "title": view.get("title"),
            "submit": view.get("submit"),
            "close": view.get("close"),
            "blocks": self._fill_ids(view.get("blocks") or []),
            "private_metadata": view.get("private_metadata") or "",
            "callback_id": view.get("callback_id") or "",
            "external_id": view.get("external_id") or "",
            "state": {"values": {}},
            "hash": f"{int(time.time())}.{self._rand(string.hexdigits.lower()[:16], 8)}",
            "clear_on_close": bool(view.get("clear_on_close", False)),
            "notify_on_close": bool(view.get("notify_on_close", False)),
            "root_view_id": vid,
            "previous_view_id": None,
            "app_id": self.app_id,
            "app_installed_team_id": team.id,
            "bot_id": self.bot_id,
        }
        self.views[vid] = full
        return full

    def _exchange_trigger(self, args: JsonDict) -> str | None:
        """Validate ``trigger_id``/``interactivity_pointer``; return the user it was for."""
        trigger = args.get("trigger_id") or args.get("interactivity_pointer")
        if not trigger:
            raise _missing("trigger_id")
        if not isinstance(trigger, str) or not _TRIGGER_RE.match(trigger):
            raise SlackError("invalid_trigger_id")
        known = self._triggers.get(trigger)
        if known is None:
            return None
        if known.exchanged:
            raise SlackError("exchanged_trigger_id")
        if time.monotonic() - known.issued_at > self.trigger_ttl:
            raise SlackError("expired_trigger_id")
        known.exchanged = True
        return known.user_id

    def _view_arg(self, method: str, args: JsonDict, expected_type: str) -> JsonDict:
        view = args.get("view")
        if not isinstance(view, dict):
            raise SlackError(
                "invalid_arguments", response_metadata={"messages": ["[ERROR] invalid `view`"]}
            )
        if view.get("type") != expected_type:
            raise SlackError(
                "invalid_arguments",
                response_metadata={
                    "messages": [
                        f"[ERROR] must be a valid enum value: {expected_type} "
                        "[json-pointer:/view/type]"
                    ]
                },
            )
        self._check_view(method, view)
        return view

    # ------------------------------------------------------------------ method handlers

    def _auth_test(self, args: JsonDict, team: FakeTeam) -> JsonDict:
        return {
            "url": f"https://{team.domain}.slack.com/",
            "team": team.name,
            "user": BOT_NAME,
            "team_id": team.id,
            "user_id": BOT_USER_ID,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _chat_post_message(self, args: JsonDict, team: FakeTeam) -> JsonDict:
        if args.get("blocks") is not None:
            self._check_blocks("chat.postMessage", args["blocks"], "message")
        channel = self._postable_channel(args.get("channel"), team)
        message = self._bot_message(team.id, args)
        message["text"] = message["text"][:_POST_TEXT_MAX]  # Slack truncates, no error
        self._store_message(channel, message, thread_ts=args.get("thread_ts"))
        return {"channel": channel.id, "ts": message["ts"], "message": copy.deepcopy(message)}

    def _message_at(
        self, args: JsonDict, team: FakeTeam, ts_key: str, missing: str = "message_not_found"
    ) -> tuple[FakeChannel, str, JsonDict]:
        """The message a method names by `args`' channel and its `ts_key` (each method calls
        the ts its own way): the channel, that ts and the message, else the error `missing`."""
        channel = self._visible_channel(args.get("channel"), team)
        ts = str(args.get(ts_key))
        message = self._find_message(channel, ts)
        if message is None:
            raise SlackError(missing)
        return channel, ts, message

    def _own_message(
        self, args: JsonDict, team: FakeTeam, not_ours: str
    ) -> tuple[FakeChannel, JsonDict]:
        """The message at `args`' channel and ts, which the bot must have posted itself
        (else the error `not_ours`), as chat.update and chat.delete find it."""
        channel, _, message = self._message_at(args, team, "ts")
        if message.get("bot_id") != self.bot_id:
            raise SlackError(not_ours)
        return channel, message

    def _chat_update(self, args: JsonDict, team: FakeTeam) -> JsonDict:
        if args.get("blocks") is not None:
            self._check_blocks("chat.update", args["blocks"], "message")
        text = args.get("text")
        if isinstance(text, str) and len(text) > _UPDATE_TEXT_MAX:
            raise SlackError("msg_too_long")
        channel, message = self._own_message(args, team, "cant_update_message")
        if channel.is_archived:
            raise SlackError("is_inactive")
        self._apply_update(message, args)
        return {
            "channel": channel.id,
            "ts": message["ts"],
            "text": message.get("text", ""),
            "message": copy.deepcopy(message),
        }

    def _chat_post_ephemeral(self, args: JsonDict, team: FakeTeam) -> JsonDict:
        if args.get("blocks") is not None:
            self._check_blocks("chat.postEphemeral", args["blocks"], "message")
        channel = self._postable_channel(args.get("channel"), team)
        user_id = str(args.get("user"))
        if user_id not in channel.members:
            raise SlackError("user_not_in_channel")
        message = self._bot_message(team.id, args)
        message.update(
            {"ts": self.next_ts(), "channel": channel.id, "user": user_id, "is_ephemeral": True}
        )
        if args.get("thread_ts"):
            message["thread_ts"] = args["thread_ts"]
        self.ephemeral_messages.append(message)
        return {"message_ts": message["ts"]}

    def _chat_delete(self, args: JsonDict, team: FakeTeam) -> JsonDict:
        channel, message = self._own_message(args, team, "cant_delete_message")
        channel.messages.remove(message)
        return {"channel": channel.id, "ts": message["ts"]}

    def _chat_get_permalink(self, args: JsonDict, team: FakeTeam) -> JsonDict:
        channel, ts, message = self._message_at(args, team, "message_ts")
        link = f"https://{team.domain}.slack.com/archives/{channel.id}/p{ts.replace('.', '')}"
        parent = message.get("thread_ts")
        if parent and parent != ts:
            link += f"?thread_ts={parent}&cid={channel.id}"
        return {"channel": channel.id, "permalink": link}

    def _conversations_info(self, args: JsonDict, team: FakeTeam) -> JsonDict:
        channel = self._visible_channel(args.get("channel"), team)
        include = _truthy(args.get("include_num_members"))
        return {"channel": channel.to_api(include_num_members=include)}

    def _conversations_join(self, args: JsonDict, team: FakeTeam) -> JsonDict:
        channel = self._visible_channel(args.get("channel"), team)
        if not channel.is_channel:
            raise SlackError("method_not_supported_for_channel_type")
        if channel.is_archived:
            raise SlackError("is_archived")
        body: JsonDict = {}
        if BOT_USER_ID in channel.members:
            body = {
                "warning": "already_in_channel",
                "response_metadata": {"warnings": ["already_in_channel"]},
            }
        else:
            channel.members.append(BOT_USER_ID)
        return {"channel": channel.to_api(), **body}

    def _conversations_members(self, args: JsonDict, team: FakeTeam) -> JsonDict:
        channel = self._visible_channel(args.get("channel"), team)
        page, next_cursor = self._page(channel.members, args)
        return {"members": page, "response_metadata": {"next_cursor": next_cursor}}

    def _conversations_list(self, args: JsonDict, team: FakeTeam) -> JsonDict:
        wanted = {t.strip() for t in str(args.get("types") or "public_channel").split(",")}
        ids = [
            c.id
            for c in self.channels.values()
            if c.team_id == team.id
            and c.is_channel
            and ("private_channel" if c.is_private else "public_channel") in wanted
            and not (c.is_archived and _truthy(args.get("exclude_archived")))
        ]
        page, next_cursor = self._page(ids, args)
        return {
            "channels": [self.channels[cid].to_api() for cid in page],
            "response_metadata": {"next_cursor": next_cursor},
        }

    def _conversations_open(self, args: JsonDict, team: FakeTeam) -> JsonDict:
        users = args.get("users")
        if not users:
            channel = self._visible_channel(args.get("channel"), team)
            if channel.is_channel:
                raise SlackError("method_not_supported_for_channel_type")
        else:
            if isinstance(users, str):
                users = [u.strip() for u in users.split(",") if u.strip()]
            if not isinstance(users, list):
                raise SlackError("users_list_not_supplied")
            ids = list(dict.fromkeys(str(u) for u in users))
            if len(ids) > _MPIM_MAX_USERS:
                raise SlackError("too_many_users")
            for uid in ids:
                user = self.users.get(uid)
                if user is None or user.team_id != team.id:
                    raise SlackError("user_not_found")
                if user.deleted:
                    raise SlackError("user_disabled")
            channel = self._open_conversation(ids, team)
        if _truthy(args.get("return_im")):
            return {"channel": channel.to_api()}
        return {"channel": {"id": channel.id}}

    def _conversations_replies(self, args: JsonDict, team: FakeTeam) -> JsonDict:
        channel, ts, parent = self._message_at(args, team, "ts", "thread_not_found")
        thread = [parent] + [
            m for m in channel.messages if m.get("thread_ts") == ts and m["ts"] != ts
        ]
        return self._messages_page(thread, args)

    def _conversations_history(self, args: JsonDict, team: FakeTeam) -> JsonDict:
        channel = self._visible_channel(args.get("channel"), team)
        if BOT_USER_ID not in channel.members:
            raise SlackError("not_in_channel")
        inclusive = _truthy(args.get("inclusive"))
        oldest = _ts_arg(args.get("oldest"), "0")
        latest = _ts_arg(args.get("latest"), "9999999999.999999")

        def in_range(ts: str) -> bool:
            value = float(ts)
            if inclusive:
                return float(oldest) <= value <= float(latest)
            return float(oldest) < value < float(latest)

        # The channel's own timeline, newest first: thread replies stay in their threads.
        timeline = [
            m
            for m in reversed(channel.messages)
            if m.get("thread_ts") in (None, m["ts"]) and in_range(m["ts"])
        ]
        return self._messages_page(timeline, args, {"pin_count": 0})

    def _files_get_upload_url_external(self, args: JsonDict, team: FakeTeam) -> JsonDict:
        try:
            length = int(args["length"])
        except (TypeError, ValueError):
            raise SlackError("invalid_arguments") from None
        if length < 1:
            raise SlackError("invalid_arguments")
        file_id = self._new_id("F")
        self._pending_uploads[file_id] = {
            "filename": str(args["filename"]),
            "length": length,
            "content": None,
            "team_id": team.id,
        }
        return {"upload_url": f"{self.base_url}/upload/{file_id}", "file_id": file_id}

    def _files_complete_upload_external(self, args: JsonDict, team: FakeTeam) -> JsonDict:
        files = args.get("files")
        if not isinstance(files, list) or not files:
            raise SlackError(
                "invalid_arguments", response_metadata={"messages": ["[ERROR] invalid `files`"]}
            )
        entries: list[tuple[str, JsonDict, str]] = []
        for item in files:
            fid = item.get("id") if isinstance(item, dict) else None
            pending = self._pending_uploads.get(str(fid))
            if pending is None or pending["content"] is None:
                raise SlackError("file_not_found")
            title = item.get("title") or pending["filename"]
            entries.append((str(fid), pending, str(title)))
        channel_ids: list[str] = []
        if args.get("channel_id"):
            channel_ids.append(str(args["channel_id"]))
        if isinstance(args.get("channels"), str):
            channel_ids.extend(c for c in args["channels"].split(",") if c)
        channels = [self._postable_channel(cid, team) for cid in channel_ids]
        initial_comment = args.get("initial_comment")
        result = []
        for fid, pending, title in entries:
            self.uploaded_files[fid] = {
                "filename": pending["filename"],
                "content": pending["content"],
                "channel_id": channels[0].id if channels else None,
                "title": title,
                "initial_comment": initial_comment,
                "thread_ts": args.get("thread_ts"),
            }
            del self._pending_uploads[fid]
            result.append({"id": fid, "title": title, "name": pending["filename"]})
        for channel in channels:
            share = self._bot_message(team.id, {"text": initial_comment or ""})
            share["subtype"] = "file_share"
            share["files"] = copy.deepcopy(result)
            self._store_message(channel, share, thread_ts=args.get("thread_ts"))
        return {"files": result}

    def _files_info(self, args: JsonDict, team: FakeTeam) -> JsonDict:
        found = self.shared_files.get(str(args.get("file")))
        if found is None:
            raise SlackError("file_not_found")
        return {"file": copy.deepcopy(found["info"])}

    def _reactions_add(self, args: JsonDict, team: FakeTeam) -> JsonDict:
        _, _, message = self._message_at(args, team, "timestamp")
        name = str(args.get("name")).strip(":")
        if not name:
            raise SlackError("invalid_name")
        reactions: list[JsonDict] = message.setdefault("reactions", [])
        reaction = next((r for r in reactions if r["name"] == name), None)
        if reaction is None:
            reaction = {"name": name, "users": [], "count": 0}
            reactions.append(reaction)
        if BOT_USER_ID in reaction["users"]:
            raise SlackError("already_reacted")
        reaction["users"].append(BOT_USER_ID)
        reaction["count"] += 1
        return {}

    def _reactions_get(self, args: JsonDict, team: FakeTeam) -> JsonDict:
        if not args.get("channel") or not args.get("timestamp"):
            raise SlackError("no_item_specified")
        channel, _, message = self._message_at(args, team, "timestamp")
        return {"type": "message", "channel": channel.id, "message": copy.deepcopy(message)}

    def _team_info(self, args: JsonDict, team: FakeTeam) -> JsonDict:
        wanted = args.get("team")
        if wanted:
            found = self.teams.get(str(wanted))
            if found is None:
                raise SlackError("team_not_found")
            team = found
        return {"team": team.to_api()}

    def _users_info(self, args: JsonDict, team: FakeTeam) -> JsonDict:
        user = self.users.get(str(args.get("user")))
        if user is None:
            raise SlackError("user_not_found")
        data = user.to_api()
        if _truthy(args.get("include_locale")):
            data["locale"] = "en-GB"
        return {"user": data}

    def _users_list(self, args: JsonDict, team: FakeTeam) -> JsonDict:
        ids = [u.id for u in self.users.values() if u.team_id == team.id]
        page, next_cursor = self._page(ids, args)
        return {
            "members": [self.users[uid].to_api() for uid in page],
            "cache_ts": int(time.time()),
            "response_metadata": {"next_cursor": next_cursor},
        }

    def _users_lookup_by_email(self, args: JsonDict, team: FakeTeam) -> JsonDict:
        email = str(args.get("email")).lower()
        user = next((u for u in self.users.values() if u.email.lower() == email), None)
        if user is None:
            raise SlackError("users_not_found")
        return {"user": user.to_api()}

    def _views_open(self, args: JsonDict, team: FakeTeam) -> JsonDict:
        return self._new_modal("views.open", args, team, self.opened_views)

    def _views_push(self, args: JsonDict, team: FakeTeam) -> JsonDict:
        return self._new_modal("views.push", args, team, self.pushed_views)

    def _new_modal(
        self, method: str, args: JsonDict, team: FakeTeam, shown: list[JsonDict]
    ) -> JsonDict:
        """views.open and views.push alike: a modal for the trigger's person, kept in `shown`."""
        view = self._view_arg(method, args, "modal")
        user_id = self._exchange_trigger(args)
        full = self._new_view(view, team)
        if user_id is not None:
            self.view_owner[full["id"]] = user_id
        shown.append(full)
        return {"view": copy.deepcopy(full)}

    def _views_update(self, args: JsonDict, team: FakeTeam) -> JsonDict:
        view_arg = args.get("view")
        expected = (
            "home" if isinstance(view_arg, dict) and view_arg.get("type") == "home" else "modal"
        )
        view = self._view_arg("views.update", args, expected)
        vid = args.get("view_id")
        external = args.get("external_id")
        current: JsonDict | None = None
        if vid:
            current = self.views.get(str(vid))
        elif external:
            current = next((v for v in self.views.values() if v["external_id"] == external), None)
        else:
            raise _missing("view_id")
        if current is None:
            raise SlackError("not_found")
        if args.get("hash") and args["hash"] != current["hash"]:
            raise SlackError("hash_conflict")
        full = self._new_view(view, team, view_id=current["id"])
        full["root_view_id"] = current["root_view_id"]
        full["previous_view_id"] = current.get("previous_view_id")
        for user_id, home in list(self.home_views.items()):
            if home["id"] == full["id"]:
                self.home_views[user_id] = full
        for views in (self.opened_views, self.pushed_views):
            for i, old in enumerate(views):
                if old["id"] == full["id"]:
                    views[i] = full
        return {"view": copy.deepcopy(full)}

    def _views_publish(self, args: JsonDict, team: FakeTeam) -> JsonDict:
        user_id = str(args.get("user_id"))
        user = self.users.get(user_id)
        if user is None or user.team_id != team.id:
            raise SlackError(
                "invalid_arguments", response_metadata={"messages": ["invalid `user_id`"]}
            )
        view = self._view_arg("views.publish", args, "home")
        current = self.home_views.get(user_id)
        if current is not None and args.get("hash") and args["hash"] != current["hash"]:
            raise SlackError("hash_conflict")
        full = self._new_view(view, team, view_id=current["id"] if current else None)
        self.home_views[user_id] = full
        self.view_owner[full["id"]] = user_id
        return {"view": copy.deepcopy(full)}
