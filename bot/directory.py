"""The Slack-backed `Directory`: channel members and profiles, cached in the database."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError

from activities.channels import ChannelAccess
from activities.clock import Clock
from activities.kind import Profile
from bot.clients import ClientProvider
from storage import members
from storage.db import Database
from storage.models import Member, MemberBase

log = logging.getLogger(__name__)

PROFILE_MAX_AGE = timedelta(hours=12)
# Who is in which channel changes slowly, and reading it costs a call per channel.
CHANNELS_MAX_AGE = timedelta(days=1)
MAX_CHANNELS = 200
# Above this many unknown people one paginated users.list beats many users.info calls.
BULK_THRESHOLD = 20


def profile_from_user(team_id: str, user: dict[str, Any]) -> MemberBase:
    profile = user.get("profile") or {}
    return MemberBase(
        team_id=team_id,
        user_id=user["id"],
        name=user.get("name") or "",
        real_name=user.get("real_name") or profile.get("real_name") or "",
        timezone=user.get("tz") or "UTC",
        title=profile.get("title") or "",
        is_admin=bool(user.get("is_admin") or user.get("is_owner")),
        is_bot=bool(user.get("is_bot")) or user.get("id") == "USLACKBOT",
        deleted=bool(user.get("deleted")),
    )


async def _paginate(
    method: Callable[..., Awaitable[Any]], key: str, **kwargs: Any
) -> AsyncIterator[dict[str, Any]]:
    """Every item of a cursor-paginated list method, page after page."""
    cursor = ""
    while True:
        resp = await method(limit=200, cursor=cursor, **kwargs)
        for item in resp.get(key) or []:
            yield item
        cursor = (resp.get("response_metadata") or {}).get("next_cursor") or ""
        if not cursor:
            return


# One person's Slack user object (users.info's `user`), read however the caller may.
UserInfo = Callable[[str], Awaitable[dict[str, Any]]]


def _stale(known: Mapping[str, Member], user_ids: Sequence[str], now: datetime) -> list[str]:
    """Those of `user_ids` whose profile is unknown or older than PROFILE_MAX_AGE."""
    return [u for u in user_ids if u not in known or now - known[u].refreshed_at > PROFILE_MAX_AGE]


class SlackDirectory:
    def __init__(self, db: Database, clients: ClientProvider, clock: Clock) -> None:
        self._db = db
        self._clients = clients
        self._clock = clock

    async def channel_members(self, team_id: str, channel_id: str) -> list[str]:
        """Every member id, following `next_cursor` to the last page."""
        client = await self._clients.for_team(team_id)
        pages = _paginate(client.conversations_members, "members", channel=channel_id)
        return [str(member) async for member in pages]

    async def find_user(self, team_id: str, name: str) -> str | None:
        """A user id from a plain `@name` (commands without `should_escape`)."""
        wanted = name.lstrip("@").lower()
        client = await self._clients.for_team(team_id)
        async for user in _paginate(client.users_list, "members"):
            profile = user.get("profile") or {}
            names = {user.get("name"), profile.get("display_name"), profile.get("real_name")}
            if not user.get("deleted") and wanted in {n.lower() for n in names if n}:
                return str(user["id"])
        return None

    async def find_channel(self, team_id: str, name: str) -> str | None:
        """A channel id from a plain `#name`."""
        wanted = name.lstrip("#").lower()
        client = await self._clients.for_team(team_id)
        pages = _paginate(
            client.conversations_list,
            "channels",
            types="public_channel,private_channel",
            exclude_archived=True,
        )
        async for channel in pages:
            if str(channel.get("name", "")).lower() == wanted:
                return str(channel["id"])
        return None

    async def profile(self, team_id: str, user_id: str) -> Profile | None:
        found = await self.profiles(team_id, [user_id])
        return found.get(user_id)

    async def refresh(self, team_id: str, user_id: str) -> Profile | None:
        """Fetch one profile from Slack now (admin checks must not trust a stale cache)."""
        client = await self._clients.for_team(team_id)
        resp = await client.users_info(user=user_id)
        base = profile_from_user(team_id, resp["user"])
        async with self._db.session() as session:
            await members.upsert_member(session, profile=base, now=self._clock.now())
            member = await members.get_member(session, team_id=team_id, user_id=user_id)
        return Profile.of(member) if member else None

    async def profiles(self, team_id: str, user_ids: Sequence[str]) -> dict[str, Profile]:
        now = self._clock.now()
        async with self._db.session() as session:
            known = await members.get_members(session, team_id=team_id, user_ids=user_ids)
        stale = _stale(known, user_ids, now)
        if stale:
            fetched = await self._fetch(team_id, stale)
            async with self._db.session() as session:
                await members.upsert_members(session, profiles=fetched, now=now)
                known = await members.get_members(session, team_id=team_id, user_ids=user_ids)
        return {uid: Profile.of(m) for uid, m in known.items()}

    async def refresh_zones(self, team_id: str, user_ids: Sequence[str], read: UserInfo) -> None:
        """Re-read the profiles of `user_ids` that are unknown or stale, one `read` each
        (the courier's quiet hours: `read` is users.info in the courier's rate-limit turn,
        never sleeping on a 429). On a Slack or network error a person's profile, and so
        their zone, stays as last read (unknown: UTC)."""
        now = self._clock.now()
        async with self._db.session(priority=True) as session:
            known = await members.get_members(session, team_id=team_id, user_ids=user_ids)
        for user_id in _stale(known, user_ids, now):
            try:
                user = await read(user_id)
            except (SlackApiError, ClientError, TimeoutError, OSError) as exc:
                log.warning(
                    "profile not read: its zone as last read",
                    extra={"team_id": team_id, "user": user_id, "error": str(exc)},
                )
                continue
            async with self._db.session(priority=True) as session:
                base = profile_from_user(team_id, user)
                await members.upsert_member(session, profile=base, now=now)

    async def channels_of(self, team_id: str, user_ids: Sequence[str]) -> dict[str, frozenset[str]]:
        """The public channels each person is in (matching prefers people who share few).

        Read from Slack at most once a day (conversations.list, then the members of each
        channel); on a Slack error the last known sets are used.
        """
        now = self._clock.now()
        async with self._db.session() as session:
            known = await members.get_members(session, team_id=team_id, user_ids=user_ids)
        fresh = all(
            u in known
            and known[u].channels_at is not None
            and now - known[u].channels_at <= CHANNELS_MAX_AGE  # type: ignore[operator]
            for u in user_ids
        )
        if not fresh:
            try:
                found = await self._read_channels(team_id, set(user_ids))
            except SlackApiError as exc:
                log.warning(
                    "could not read channel memberships",
                    extra={"team_id": team_id, "error": exc.response.get("error")},
                )
            else:
                async with self._db.session() as session:
                    await members.record_channels(session, team_id=team_id, channels=found, now=now)
                return {u: frozenset(found.get(u, ())) for u in user_ids}
        return {u: frozenset(known[u].channels) if u in known else frozenset() for u in user_ids}

    async def channel_access(self, team_id: str, channel_id: str, user_id: str) -> ChannelAccess:
        """Public, private with `user_id` in it, private without, or unseen by the bot."""
        client = await self._clients.for_team(team_id)
        try:
            info = await client.conversations_info(channel=channel_id)
        except SlackApiError as exc:
            if exc.response.get("error") in ("channel_not_found", "not_in_channel"):
                return "missing"
            raise
        channel = info.get("channel") or {}
        if not channel.get("is_private"):
            return "public"
        async for member in _paginate(client.conversations_members, "members", channel=channel_id):
            if str(member) == user_id:
                return "member"
        return "outsider"

    async def _read_channels(self, team_id: str, wanted: set[str]) -> dict[str, set[str]]:
        client = await self._clients.for_team(team_id)
        found: dict[str, set[str]] = {u: set() for u in wanted}
        pages = _paginate(
            client.conversations_list, "channels", types="public_channel", exclude_archived=True
        )
        count = 0
        async for channel in pages:
            count += 1
            if count > MAX_CHANNELS:
                break
            channel_id = str(channel["id"])
            async for member in _paginate(
                client.conversations_members, "members", channel=channel_id
            ):
                if str(member) in found:
                    found[str(member)].add(channel_id)
        return found

    async def _fetch(self, team_id: str, user_ids: Sequence[str]) -> list[MemberBase]:
        client = await self._clients.for_team(team_id)
        if len(user_ids) > BULK_THRESHOLD:
            wanted = set(user_ids)
            return [
                profile_from_user(team_id, user)
                async for user in _paginate(client.users_list, "members")
                if user["id"] in wanted
            ]
        result: list[MemberBase] = []
        for user_id in user_ids:
            try:
                resp = await client.users_info(user=user_id)
            except SlackApiError as exc:  # an unknown user is skipped, not fatal to the caller
                log.warning(
                    "users.info failed",
                    extra={"team_id": team_id, "user": user_id, "error": str(exc)},
                )
                continue
            result.append(profile_from_user(team_id, resp["user"]))
        return result
