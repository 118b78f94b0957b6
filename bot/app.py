"""Build the Bolt app and the web server, wire the listeners, start and stop everything."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from datetime import datetime
from typing import Any

import aiohttp
from aiohttp import web
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore

from activities.calendar import Calendars
from activities.clock import Clock, SystemClock
from activities.intents import CORE_INTENTS
from activities.report.intents import INTENTS as REPORT_INTENTS
from activities.roadmap import ROADMAP_INTENTS
from bot.calendar_feed import add_routes as add_calendar_routes
from bot.calendar_home import coming_up_section
from bot.clients import ClientProvider
from bot.core_renderers import RENDERERS as CORE_RENDERERS
from bot.delivery import Courier
from bot.directory import SlackDirectory
from bot.guards import install as install_guards
from bot.home import role_volunteers
from bot.kinds.advent.plugin import PLUGIN as ADVENT
from bot.kinds.announcement.plugin import PLUGIN as ANNOUNCEMENT
from bot.kinds.bookclub.plugin import PLUGIN as BOOKCLUB
from bot.kinds.coffee.plugin import BREAKFAST_PLUGIN as BREAKFAST
from bot.kinds.coffee.plugin import COFFEE_PLUGIN as COFFEE
from bot.kinds.discussion.plugin import PLUGIN as DISCUSSION
from bot.kinds.poll.plugin import PLUGIN as POLL
from bot.kinds.talks.plugin import PLUGIN as TALKS
from bot.listeners.actions import activities as activity_actions
from bot.listeners.actions import governance as governance_actions
from bot.listeners.actions import recognition as recognition_actions
from bot.listeners.actions import rsvp as rsvp_actions
from bot.listeners.commands import community
from bot.listeners.events import charter, dedupe, engagement, home, lifecycle
from bot.logs import tame_library_logs
from bot.member_home import unvoted_polls_section
from bot.plugin import KindPlugin, Plugins
from bot.ratelimit import RateLimiter
from bot.report_renderers import RENDERERS as REPORT_RENDERERS
from bot.respond import PooledRespond
from bot.scheduler import next_due, start_scheduler, tick, tick_outage_notes
from bot.services import Services
from bot.settings import Settings
from bot.web import build_web_app
from storage.db import Database
from storage.migrate import migrate

log = logging.getLogger(__name__)

# The activity kinds this bot runs: one line a kind (bot/kinds/<kind>/plugin.py).
# Polls first: Bolt tries listeners in order, building each matcher's arguments, and a
# vote click (thousands a minute) is the hottest request there is.
KINDS: tuple[KindPlugin, ...] = (
    POLL,
    ANNOUNCEMENT,
    COFFEE,
    BREAKFAST,
    BOOKCLUB,
    TALKS,
    ADVENT,
    DISCUSSION,
)


def build_plugins(kinds: tuple[KindPlugin, ...] = KINDS) -> Plugins:
    """Check the list once: every intent has a renderer, no subcommand is claimed twice."""
    return Plugins(
        kinds,
        core_renderers={**CORE_RENDERERS, **REPORT_RENDERERS},
        core_intents=(*CORE_INTENTS, *ROADMAP_INTENTS, *REPORT_INTENTS),
        reserved_words=community.CORE_WORDS,
    )


# Keep in step with manifest.yaml (a test checks they agree). The *:history scopes let
# the courier look for a message it may have posted just before a crash.
BOT_SCOPES = [
    "channels:history",
    "channels:read",
    "groups:history",
    "groups:read",
    "chat:write",
    "chat:write.public",
    "commands",
    "files:write",
    "im:history",
    "im:write",
    "mpim:history",
    "mpim:write",
    "users:read",
    "reactions:read",
    "channels:history",
    "groups:history",
    "files:read",
]


# Bolt names its listeners' loggers after the app; without a name it takes the caller's
# file name from inspect.stack(), which walks every frame's source: ~25 ms of the start.
BOLT_APP_NAME = "app.py"


def register_all(app: AsyncApp, plugins: Plugins) -> None:
    dedupe.register(app)  # middleware first: a redelivered event stops here
    for register in plugins.listeners():  # the kinds' own first (see KINDS)
        register(app)
    community.register(
        app,
        community.Community(
            plugins.catalog,
            plugins.community,
            plugins.help_lines(),
            renderers=plugins.renderers,
        ),
    )
    for module in (
        home,
        lifecycle,
        engagement,
        activity_actions,
        rsvp_actions,
        governance_actions,
        recognition_actions,
        charter,
    ):
        module.register(app)


def build_bolt_app(
    services: Services,
    plugins: Plugins,
    installation_store: Any | None = None,
    state_store: Any | None = None,
) -> AsyncApp:
    settings = services.settings
    tame_library_logs()
    oauth_settings = (
        AsyncOAuthSettings(
            client_id=settings.slack_client_id,
            client_secret=settings.slack_client_secret,
            scopes=BOT_SCOPES,
            installation_store=installation_store,
            state_store=state_store,
        )
        if installation_store is not None
        else None
    )
    bolt = AsyncApp(
        name=BOLT_APP_NAME,
        signing_secret=settings.slack_signing_secret,
        # bot/web.py has checked the signature and timestamp of every request before it
        # reaches Bolt (and Socket Mode requests carry none): Bolt's own check would be
        # the same HMAC of the same body a second time.
        request_verification_enabled=False,
        oauth_settings=oauth_settings,
        client=services.clients.default,
    )

    def provide_services(context: AsyncBoltContext) -> None:
        context["services"] = services
        if context.response_url and services.http is not None:
            context["respond"] = PooledRespond(
                response_url=context.response_url, session=services.http
            )

    # Before any listener: the right workspace, a database that answers, no replay, then
    # the services in the context (one middleware); and one error handler that gives
    # every failed request an answer.
    install_guards(bolt, services, admitted=provide_services)

    register_all(bolt, plugins)
    return bolt


class Runtime:
    """The whole bot: database, Slack app, web server, scheduler and courier."""

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock | None = None,
        run_scheduler: bool = True,
        limiter: RateLimiter | None = None,
        freeze_gc: bool = True,
        plugins: Plugins | None = None,
    ) -> None:
        self.settings = settings
        self.clock = clock or SystemClock()
        self.run_scheduler = run_scheduler
        self.freeze_gc = freeze_gc
        self.db = Database(settings.database_url)
        self.installation_store = (
            AsyncSQLAlchemyInstallationStore(
                client_id=settings.slack_client_id, engine=self.db.engine
            )
            if settings.oauth
            else None
        )
        self.state_store = (
            AsyncSQLAlchemyOAuthStateStore(expiration_seconds=600, engine=self.db.engine)
            if settings.oauth
            else None
        )
        self.plugins = plugins or build_plugins()
        clients = ClientProvider(settings, self.installation_store)
        directory = SlackDirectory(self.db, clients, self.clock)
        self.services = Services(
            settings=settings,
            db=self.db,
            clock=self.clock,
            clients=clients,
            directory=directory,
            courier=Courier(
                self.db,
                clients,
                self.clock,
                self.plugins.renderers,
                limiter=limiter or RateLimiter(),
                # Quiet hours need each recipient's time zone from their Slack profile.
                profiles=directory.refresh_zones,
            ),
            catalog=self.plugins.catalog,
            home_sections=self.plugins.home_sections(),
            # Besides the kinds' items: role volunteers waiting for an admin.
            waiting=(*self.plugins.waiting(), role_volunteers),
        )
        self.services.work_soon = self._work_soon
        # Other people's Home tabs are redrawn by the courier (home.redraw rows).
        self.services.courier.draw_home = self.services.home_view
        self.services.courier.redraw_members = self.services.redraw_channel
        self.services.home_sections += (
            coming_up_section(Calendars(self.plugins.catalog, self.services.directory)),
            unvoted_polls_section(self.services.directory, settings.anonymity_secret),
        )
        self._soon: asyncio.Task[None] | None = None
        self._ticks: set[asyncio.Task[object]] = set()
        self._tick_outage = tick_outage_notes()
        self.bolt = build_bolt_app(
            self.services, self.plugins, self.installation_store, self.state_store
        )
        self.web_app: web.Application = build_web_app(
            self.bolt, self.db, signing_secret=settings.slack_signing_secret, oauth=settings.oauth
        )
        add_calendar_routes(self.web_app, self.services)
        self._runner: web.AppRunner | None = None
        self._scheduler: AsyncIOScheduler | None = None
        self._courier_task: asyncio.Task[None] | None = None
        self.port: int | None = None

    async def start(self, *, host: str | None = None, port: int | None = None) -> None:
        self.services.http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
        if not self.settings.vote_secret:
            log.warning(
                "VOTE_SECRET is not set: anonymous voters are keyed with the signing secret, "
                "so rotating that secret would let them vote again in open polls"
            )
        await migrate(self.db)
        if self.installation_store is not None:
            # slack_sdk's own tables for installs and OAuth state (not part of our migrations).
            await self.installation_store.create_tables()  # type: ignore[no-untyped-call]
        if self.state_store is not None:
            await self.state_store.create_tables()  # type: ignore[no-untyped-call]
        self._runner = web.AppRunner(self.web_app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(
            self._runner, host or self.settings.host, self.settings.port if port is None else port
        )
        await site.start()
        server = site._server
        sockets = getattr(server, "sockets", None) or []
        self.port = sockets[0].getsockname()[1] if sockets else port
        self._courier_task = asyncio.create_task(
            self.services.courier.run_forever(), name="courier"
        )
        if self.run_scheduler:
            self._scheduler = start_scheduler(self.services, self._scheduled_tick)
        if self.freeze_gc:
            # Everything built so far lives as long as the process: keep it out of the
            # cyclic collector's sweeps, which otherwise pause the loop (and so the acks)
            # under load — p99 ack in bench/polls.py went from ~300 ms to ~210 ms.
            # No collection first: the start leaves ~2,000 garbage objects of ~170,000,
            # not worth a full sweep (~8 % of the start's CPU) on the way to /healthz.
            gc.freeze()
        log.info("convene listening", extra={"port": self.port})

    async def _scheduled_tick(self) -> None:
        # Tracked, so a stop waits for a tick under way instead of closing the database
        # under it.
        task = asyncio.current_task()
        if task is not None:
            self._ticks.add(task)
        try:
            await tick(self.services, self.plugins.periodic(), self._tick_outage)
        finally:
            self._ticks.discard(task)

    def _work_soon(self) -> None:
        if self._soon is None or self._soon.done():
            self._soon = asyncio.create_task(
                tick(self.services, self.plugins.periodic(), self._tick_outage),
                name="tick-soon",
            )

    async def tick(self) -> None:
        """Run one scheduler pass now (tests move a clock and call this)."""
        await tick(self.services, self.plugins.periodic(), self._tick_outage)

    async def next_due(self) -> datetime | None:
        """The first moment after now at which a tick would do anything (the shell's
        clock jumps there)."""
        return await next_due(self.services, self.plugins.periodic())

    @property
    def ticking(self) -> bool:
        """Whether a scheduled tick is under way."""
        return bool(self._ticks)

    async def stop(self) -> None:
        if self._scheduler is not None:
            # Paused, not shut down, while a tick under way finishes: the shutdown cancels
            # running jobs, which would cut a tick off mid-transaction (and log its
            # CancelledError as an error). One loop turn lets a tick just handed out start.
            self._scheduler.pause()
            await asyncio.sleep(0)
        if self._ticks:
            await asyncio.gather(*self._ticks, return_exceptions=True)
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None
        if self._soon is not None:
            await self._soon
        if self._courier_task is not None:
            # A graceful stop lets messages already handed to Slack record their ts,
            # so they are not sent again after the restart.
            self.services.courier.stop()
            try:
                await asyncio.wait_for(asyncio.shield(self._courier_task), timeout=15)
            except TimeoutError:
                self._courier_task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._courier_task
        if self._runner is not None:
            await self._runner.cleanup()
        if self.services.http is not None:
            await self.services.http.close()
        await self.db.dispose()
