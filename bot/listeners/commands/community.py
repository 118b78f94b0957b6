"""`/community`: organisers' and admins' command, and the generic form modal's submission."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from slack_bolt.async_app import AsyncApp
from sqlmodel.ext.asyncio.session import AsyncSession

from activities import charter, governance, manage, rehearsal, roles
from activities.errors import UserError
from activities.kind import KindCatalog
from activities.roles import Needs
from activities.text import escape_mrkdwn
from bot.blocks import activities as activity_blocks
from bot.blocks import governance as governance_blocks
from bot.blocks.common import Block, divider, section, sections
from bot.blocks.forms import FORM_CALLBACK
from bot.blocks.help import community_help
from bot.blocks.preview import inert
from bot.delivery import Post, Renderer
from bot.governance_renderers import charter_for
from bot.listeners import forms
from bot.listeners.commands import recognition
from bot.listeners.commands.calendar import CALENDAR
from bot.listeners.commands.report import REPORT
from bot.listeners.commands.roadmap import ROADMAP
from bot.listeners.commands.role_poll import ROLE_POLL
from bot.listeners.commands.settings import channel_setting
from bot.listeners.context import Caller, Reply, Sub, Subcommand, command, route, submission
from bot.parsing import row_id
from storage import activities as activity_store
from storage import governance as governance_store
from storage.models import Activity

log = logging.getLogger(__name__)

USAGE = "Try `/community help`."


def activity_id_of(args: list[str], verb: str) -> int:
    if not args:
        raise UserError(
            f"Which activity? Example: `/community {verb} 3` (ids: `/community activities`)."
        )
    found = row_id(args[0])
    if found is None:
        raise UserError(
            f"`{escape_mrkdwn(args[0][:40])}` isn't an activity id. Example: `/community {verb} 3`."
        )
    return found


CORE_WORDS = (
    "help",
    "activities",
    "list",
    "new",
    "edit",
    "pause",
    "resume",
    "cancel",
    "run",
    "preview",
    "roles",
    "charter",
    "settings",
    "audit",
    "calendar",
    "roadmap",
    "report",
    "win",
    "thanks",
    "me",
)


SETTINGS_CHANNEL = channel_setting(
    "/community settings channel #community",
    charter.set_home_channel,
    "✅ The community's home channel is now {channel}.",
)


class Community:
    """The `/community` command: core subcommands plus those the kinds' plug-ins add."""

    def __init__(
        self,
        catalog: KindCatalog,
        extra: Mapping[str, Sub],
        help_lines: Sequence[str] = (),
        renderers: Mapping[str, Renderer] | None = None,
    ) -> None:
        self.catalog = catalog
        # The kinds' renderers, so a preview shows the next post exactly as it will be sent.
        self.renderers: Mapping[str, Renderer] = renderers or {}
        self.help_text = community_help(
            [(kind.label, kind.form.example) for kind in catalog.values()], help_lines
        )
        organiser: Needs = "organiser"
        self.table: dict[str, Sub] = {
            "help": Sub(self.help),
            "activities": Sub(self.activities, organiser),
            "list": Sub(self.activities, organiser),
            "new": Sub(self.new, organiser),
            "edit": Sub(self.edit, organiser),
            "pause": Sub(self._state_change("pause", "⏸️ Paused"), organiser),
            "resume": Sub(self._state_change("resume", "▶️ Resumed"), organiser),
            "cancel": Sub(self._state_change("cancel", "⏹️ Cancelled"), organiser),
            "run": Sub(self.run, organiser),
            "preview": Sub(self.preview, organiser),
            "calendar": CALENDAR,
            "report": REPORT,
            "roadmap": ROADMAP,
            "win": recognition.WIN,
            "thanks": recognition.THANKS,
            "me": recognition.ME,
            "roles": Sub(
                words={
                    "": Sub(self.roles_list),
                    "list": Sub(self.roles_list),
                    "assign": Sub(self.roles_assign, "admin"),
                    "end": Sub(self.roles_end, "admin"),
                    "new": Sub(self.roles_new, "admin"),
                    "poll": ROLE_POLL,
                }
            ),
            "charter": Sub(
                words={
                    "": Sub(self.charter),
                    "show": Sub(self.charter),
                    "edit": Sub(self.charter_edit, organiser),
                }
            ),
            "settings": Sub(
                words={"channel": Sub(SETTINGS_CHANNEL, "admin"), **recognition.SETTINGS}
            ),
            "audit": Sub(self.audit, "admin"),
        }
        self.table.update(extra)

    async def handle(self, caller: Caller, text: str) -> Reply | None:
        return await route(caller, text, self.table, usage=USAGE)

    async def help(self, caller: Caller, args: list[str]) -> Reply:
        return Reply(self.help_text, sections(self.help_text))

    async def activities(self, caller: Caller, args: list[str]) -> Reply:
        async with caller.services.db.session() as session:
            items = await activity_store.list_activities(session, team_id=caller.team_id)
        text, blocks = activity_blocks.activity_list(items)
        return Reply(text, blocks)

    async def new(self, caller: Caller, args: list[str]) -> Reply | None:
        kinds = ", ".join(self.catalog.names())
        if not args:
            raise UserError(f"New what? Kinds: {kinds}. Example: `/community new coffee #random`")
        kind = self.catalog.get(args[0].lower())
        if kind is None:
            raise UserError(
                f"Unknown activity kind `{escape_mrkdwn(args[0][:40])}`. Kinds: {kinds}."
            )
        if len(args) == 1:
            await forms.open_new_modal(caller, kind)
            return None
        inputs = forms.inputs_from_args(kind.form, args[1:], with_channel=True)
        return await forms.create(caller, kind, inputs)

    async def edit(self, caller: Caller, args: list[str]) -> Reply | None:
        activity_id = activity_id_of(args, "edit")
        async with caller.services.db.session() as session:
            activity = await manage.load(session, team_id=caller.team_id, activity_id=activity_id)
        kind = self.catalog.require(activity.kind)
        if len(args) == 1:
            await forms.open_edit_modal(caller, kind, activity)
            return None
        changes = forms.inputs_from_args(kind.form, args[1:], with_channel=False)
        return await forms.edit(caller, kind, activity, changes)

    def _state_change(self, action: str, done: str) -> Subcommand:
        async def handler(caller: Caller, args: list[str]) -> Reply:
            activity_id = activity_id_of(args, action)
            async with caller.services.db.session() as session:
                activity = await manage.change_state(
                    session, caller.actor, activity_id=activity_id, action=action
                )
                await caller.redraw_organisers(session)  # the organisers' list of activities
            label = self.catalog.label_of(activity.kind)
            return Reply(f"{done} *#{activity_id}* ({label} in <#{activity.channel_id}>).")

        return handler

    async def run(self, caller: Caller, args: list[str]) -> Reply:
        activity_id = activity_id_of(args, "run")
        async with caller.services.db.session() as session:
            outcome = await manage.run_now(
                session,
                caller.actor,
                activity_id=activity_id,
                directory=caller.services.directory,
                catalog=self.catalog,
            )
            await caller.redraw_organisers(session)  # the organisers' lists of activities
        caller.services.work_soon()
        assert outcome.run is not None
        return Reply(f"▶️ Running *#{activity_id}* now (run {outcome.run.id}).")

    async def preview(self, caller: Caller, args: list[str]) -> Reply:
        activity_id = activity_id_of(args, "preview")
        zone = await caller.timezone()
        async with caller.services.db.session() as session:
            activity = await manage.load(session, team_id=caller.team_id, activity_id=activity_id)
            times = manage.preview(activity, now=caller.now)
            text = activity_blocks.preview_text(activity, times)
            text += f"\n_Times in your time zone ({zone})._"
            posts = await self._rehearse(caller, session, activity, times)
            # Nothing the rehearsal wrote is kept: the next post is shown, not sent.
            await session.rollback()
        blocks: list[Block] = [section(text)]
        for post in posts:
            to = f"<#{post.channel}>" if post.channel else f"{len(post.users)} people, by DM"
            blocks += [section(f"*The next post*, to {to}, exactly as it will be sent:"), divider()]
            blocks += inert(post.blocks or [section(post.text)])
        if times and not posts:
            blocks.append(section("_Nothing is posted at the slot itself._"))
        return Reply(text, blocks)

    async def _rehearse(
        self,
        caller: Caller,
        session: AsyncSession,
        activity: Activity,
        times: Sequence[datetime],
    ) -> list[Post]:
        """The posts the next slot will send, rendered by the kind's own renderers."""
        if not times:
            return []
        rows = await rehearsal.rehearse(
            session,
            activity=activity,
            kind=self.catalog.require(activity.kind),
            directory=caller.services.directory,
            at=times[0],
        )
        posts = []
        for row in rows:
            renderer = self.renderers.get(row.intent)
            delivery = await renderer.render(session, row) if renderer else None
            if isinstance(delivery, Post):
                posts.append(delivery)
        return posts

    async def roles_list(self, caller: Caller, args: list[str]) -> Reply:
        if args:
            raise UserError(
                f"Unknown `roles {escape_mrkdwn(args[0][:40])}`. Use `/community roles`, "
                f"`{roles.ASSIGN_EXAMPLE}` or `{roles.END_EXAMPLE}`."
            )
        async with caller.services.db.session() as session:
            found = await governance.summary(
                session, team_id=caller.team_id, today=caller.now.date()
            )
        text, blocks = governance_blocks.summary_blocks(found)
        return Reply(text, blocks)

    async def roles_end(self, caller: Caller, args: list[str]) -> Reply:
        if not args:
            raise UserError(f"Whose role? Example: `{roles.END_EXAMPLE}`")
        user_id = await caller.resolve_user(args[0], roles.END_EXAMPLE)
        async with caller.services.db.session() as session:
            role = roles.ORGANISER
            if len(args) > 1:
                role = await governance.resolve_role(
                    session, team_id=caller.team_id, text=" ".join(args[1:])
                )
            await roles.end(session, actor=caller.actor, user_id=user_id, role=role)
            # Their terms; the admins' roles list.
            await caller.redraw_homes(session, [user_id], admins=True)
        if role == roles.ORGANISER:
            return Reply(f"<@{user_id}> is no longer an organiser.")
        return Reply(f"<@{user_id}> no longer holds {escape_mrkdwn(role)}.")

    async def roles_assign(self, caller: Caller, args: list[str]) -> Reply:
        if not args:
            raise UserError(f"Whose role? Example: `{roles.ASSIGN_EXAMPLE}`")
        user_id = await caller.resolve_user(args[0], roles.ASSIGN_EXAMPLE)
        # The words are checked before Slack is asked for the profile: a typo in `until`
        # gets its hint, and costs no users.info call.
        name, until = _assign_args(args[1:], today=caller.now.date())
        person = await caller.person(user_id)
        async with caller.services.db.session() as session:
            role = await governance.resolve_role(session, team_id=caller.team_id, text=name)
            term = await roles.assign(
                session,
                actor=caller.actor,
                user_id=user_id,
                profile=person.profile,
                role=role,
                until=until,
                channel_id=caller.channel_id,
            )
            # Their terms; the admins' roles list.
            await caller.redraw_homes(session, [user_id], admins=True)
        caller.services.work_soon()  # a term that starts inside a reminder window hears now
        article = "an" if term.role[:1] in "aeiou" else "a"
        return Reply(f"✅ <@{user_id}> is {article} {term.role} until {term.ends_on.isoformat()}.")

    async def roles_new(self, caller: Caller, args: list[str]) -> Reply:
        name, flags = _flags(args, ("activity", "involves", "checklist"))
        activity_id = (
            activity_id_of([flags["activity"]], "roles new") if "activity" in flags else None
        )
        async with caller.services.db.session() as session:
            role = await governance.create_role(
                session,
                actor=caller.actor,
                name=name,
                activity_id=activity_id,
                involves=flags.get("involves", ""),
                checklist=flags.get("checklist", ""),
                channel_id=caller.channel_id,
            )
            # The admins' Home lists it among empty roles.
            await caller.redraw_homes(session, admins=True)
        caller.services.work_soon()
        tied = f" for activity #{activity_id}" if activity_id else ""
        return Reply(
            f"✅ New role *{escape_mrkdwn(role.name)}*{tied}. A call for volunteers is out; "
            f'or assign it: `/community roles assign @ada "{escape_mrkdwn(role.name)}"`.'
        )

    async def charter(self, caller: Caller, args: list[str]) -> Reply:
        async with caller.services.db.session() as session:
            text = await charter_for(session, team_id=caller.team_id, today=caller.now.date())
        return Reply(text, governance_blocks.charter_blocks(text))

    async def charter_edit(self, caller: Caller, args: list[str]) -> None:
        async with caller.services.db.session() as session:
            settings = await governance_store.settings_of(session, team_id=caller.team_id)
        await caller.open_view(governance_blocks.charter_modal(settings))

    async def audit(self, caller: Caller, args: list[str]) -> Reply:
        what = args[0].lower() if args else ""
        if what not in ("", "role", "roles", "activity", "activities"):
            raise UserError("Use `/community audit`, `/community audit role` or `… activity`.")
        async with caller.services.db.session() as session:
            entries = await charter.audit_entries(
                session,
                team_id=caller.team_id,
                about=what.rstrip("s").replace("activitie", "activity"),
            )
        text, blocks = governance_blocks.audit_blocks(entries)
        return Reply(text, blocks)


def _flags(args: list[str], known: tuple[str, ...]) -> tuple[str, dict[str, str]]:
    """Positional words (joined) and `--flag value` pairs, refusing unknown flags."""
    words: list[str] = []
    flags: dict[str, str] = {}
    rest = list(args)
    while rest:
        token = rest.pop(0)
        if token.startswith("--"):
            flag = token[2:].lower()
            if flag not in known or not rest:
                raise UserError(
                    f"`{escape_mrkdwn(token[:40])}` needs one of "
                    f"{', '.join('--' + k for k in known)} and a value. "
                    f"Example: `{governance.NEW_EXAMPLE}`"
                )
            flags[flag] = rest.pop(0)
        else:
            words.append(token)
    return " ".join(words), flags


def _assign_args(args: list[str], *, today: date) -> tuple[str, date | None]:
    words: list[str] = []
    rest = list(args)
    while rest and rest[0].lower() != "until":
        words.append(rest.pop(0))
    role = " ".join(words) or roles.ORGANISER
    until = None
    if rest and rest[0].lower() == "until":
        rest = rest[1:]
        if not rest:
            raise UserError(f"Until when? Example: `{roles.ASSIGN_EXAMPLE}`")
    if rest:
        until = roles.parse_until(rest[0], today=today)
    return role, until


def register(app: AsyncApp, community: Community) -> None:
    app.command("/community")(command(community.handle))

    async def on_form(caller: Caller, view: dict[str, Any]) -> Reply:
        return await forms.submitted(caller, community.catalog, view)

    app.view(FORM_CALLBACK)(submission(on_form))
    forms.register(app)
