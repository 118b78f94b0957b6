"""What listeners and jobs share: settings, database, clock, Slack clients, the courier."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from sqlmodel.ext.asyncio.session import AsyncSession

from activities import intents, roles
from activities.calendar import Calendars
from activities.clock import Clock
from activities.kind import KindCatalog
from activities.kinds.poll.use_cases import VoteQueue
from bot.blocks.home import home_state
from bot.clients import ClientProvider
from bot.delivery import Courier
from bot.directory import SlackDirectory
from bot.home import HomeSection, WaitingItems, build_home
from bot.settings import Settings
from storage import homes
from storage.db import Database

# Member ids looked up (among Home viewers) per query when a whole channel is affected.
REDRAW_BATCH = 500


@dataclass
class Services:
    settings: Settings
    db: Database
    clock: Clock
    clients: ClientProvider
    directory: SlackDirectory
    courier: Courier
    # The kinds this bot runs, and their Home sections (from the plug-in list).
    catalog: KindCatalog
    home_sections: tuple[HomeSection, ...] = ()
    waiting: tuple[WaitingItems, ...] = ()
    # Runs a scheduler pass soon, in the background (set by the runtime): a manual
    # `/community run` then goes out at once instead of at the next tick.
    work_soon: Callable[[], None] = field(default=lambda: None)
    # One HTTP session for replies through response URLs (set while the runtime runs).
    http: aiohttp.ClientSession | None = None
    # Group commit for vote clicks (built from db and settings).
    votes: VoteQueue = field(init=False)

    def __post_init__(self) -> None:
        self.votes = VoteQueue(self.db, secret=self.settings.anonymity_secret, clock=self.clock)

    @property
    def calendars(self) -> Calendars:
        """The community's calendar and each person's, as this bot's kinds and Slack see them."""
        return Calendars(self.catalog, self.directory)

    async def standing(self, team_id: str, user_id: str) -> roles.Standing:
        """Admin: Slack's flag (fetched now) or the bootstrap list. Organiser: a current term."""
        is_admin = user_id in self.settings.admin_user_ids
        if not is_admin:
            profile = await self.directory.refresh(team_id, user_id)
            is_admin = bool(profile and profile.is_admin)
        async with self.db.session() as session:
            return await roles.standing(
                session,
                team_id=team_id,
                user_id=user_id,
                is_admin=is_admin,
                today=self.clock.now().date(),
            )

    async def timezone_of(self, team_id: str, user_id: str) -> str:
        profile = await self.directory.profile(team_id, user_id)
        return profile.timezone if profile and profile.timezone else self.settings.default_timezone

    async def home_view(
        self, team_id: str, user_id: str, page: int | None = None, focus: str | None = None
    ) -> dict[str, Any]:
        """The person's Home tab as it stands now (the courier draws home.redraw rows so),
        on the page and with the waiting items opened that it last showed unless told."""
        if page is None or focus is None:
            async with self.db.session() as session:
                last_page, last_focus = await homes.shown(session, team_id=team_id, user_id=user_id)
            page = last_page if page is None else page
            focus = last_focus if focus is None else focus
        return await build_home(
            self.db,
            sections=self.home_sections,
            waiting=self.waiting,
            team_id=team_id,
            user_id=user_id,
            standing=await self.standing(team_id, user_id),
            now=self.clock.now(),
            page=page,
            focus=focus,
        )

    async def publish_home(
        self,
        client: Any,
        team_id: str,
        user_id: str,
        page: int | None = None,
        focus: str | None = None,
    ) -> None:
        """Draw the person's tab, where it last was unless told; what a click chose to show
        (a page, a list opened) is remembered, so later redraws keep it."""
        view = await self.home_view(team_id, user_id, page, focus)
        if page is not None or focus is not None:
            # Remembered before it is sent: a redraw the courier draws from now on keeps it.
            shown_page, shown_focus = home_state(view)
            async with self.db.session() as session:
                await homes.mark_shown(
                    session, team_id=team_id, user_id=user_id, page=shown_page, focus=shown_focus
                )
        await client.views_publish(user_id=user_id, view=view)

    async def home_opened(self, client: Any, team_id: str, user_id: str) -> None:
        """The person opened the Home tab: remember it (changes redraw it from now on) and
        draw it from the top (the first page, nothing opened)."""
        async with self.db.session() as session:
            await homes.mark_opened(session, team_id=team_id, user_id=user_id, now=self.clock.now())
        await self.publish_home(client, team_id, user_id)

    async def redraw_homes(
        self,
        session: AsyncSession,
        team_id: str,
        user_ids: Iterable[str],
        *,
        admins: bool = False,
        but: str = "",
    ) -> set[str]:
        """In the transaction of a change (`session`): ask the courier to redraw the open
        Home tabs of the people it affects (with `admins`, and every admin's: the bootstrap
        list and the workspace admins), each once however many changes come in a row; not
        `but`'s (see intents.redraw_homes). Returns those viewers. Wake the courier once
        it has committed."""
        wanted = [*user_ids, *(self.settings.admin_user_ids if admins else ())]
        return await intents.redraw_homes(
            session, team_id=team_id, user_ids=wanted, now=self.clock.now(), admins=admins, but=but
        )

    async def redraw_channel(self, team_id: str, channel_id: str, but: str = "") -> set[str]:
        """A home.redraw_channel row, as the courier sends it (a poll opened or closed):
        the channel's members are read now, out of the request that changed the poll, and
        the open Home tabs among them asked for, in batches of ids (not `but`'s). A failed
        read raises, so the courier tries the row again."""
        members = await self.directory.channel_members(team_id, channel_id)
        shown: set[str] = set()
        for start in range(0, len(members), REDRAW_BATCH):
            async with self.db.session() as session:
                batch = members[start : start + REDRAW_BATCH]
                shown |= await self.redraw_homes(session, team_id, batch, but=but)
        if shown - {but}:
            self.courier.wake()
        return shown
