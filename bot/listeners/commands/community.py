"""`/community`: organisers' and admins' command."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_bolt.context.async_context import AsyncBoltContext

from activities import announcement, manage, roles
from activities.errors import UserError
from bot.blocks import activities as activity_blocks
from bot.blocks import roles as role_blocks
from bot.blocks.common import slack_date
from bot.blocks.help import COMMUNITY_HELP
from bot.blocks.modals import announcement_modal
from bot.listeners.context import (
    ADMIN_ONLY,
    ORGANISER_ONLY,
    CommandCall,
    Handler,
    Reply,
    answer,
    dispatch,
)
from bot.parsing import escape_mrkdwn, split_flags
from storage import activities as activity_store
from storage.models import Activity

log = logging.getLogger(__name__)

NEW_EXAMPLE = (
    '/community new announcement #general "every monday 09:00" "Stand-up notes are in the doc"'
)


def new_kind_handlers() -> dict[str, Handler]:
    """`/community new <kind> …` handlers, by kind, from bot/features."""
    from bot.features import FEATURES  # late: features import this module's helpers

    return {k: h for feature in FEATURES for k, h in feature.NEW_KIND_HANDLERS.items()}


def _activity_id(args: list[str], verb: str) -> int:
    if not args:
        raise UserError(
            f"Which activity? Example: `/community {verb} 3` (ids: `/community activities`)."
        )
    raw = args[0].lstrip("#")
    if not raw.isdigit():
        raise UserError(
            f"`{escape_mrkdwn(args[0])}` isn't an activity id. Example: `/community {verb} 3`."
        )
    return int(raw)


async def _require_organiser(call: CommandCall) -> None:
    if not (await call.standing()).may_organise:
        raise UserError(ORGANISER_ONLY)


async def _help(call: CommandCall, args: list[str]) -> Reply:
    return Reply(COMMUNITY_HELP)


async def _activities(call: CommandCall, args: list[str]) -> Reply:
    await _require_organiser(call)
    async with call.services.db.session() as session:
        items = await activity_store.list_activities(session, team_id=call.team_id)
    text, blocks = activity_blocks.activity_list(items)
    return Reply(text, blocks)


async def _new(call: CommandCall, args: list[str]) -> Reply | None:
    await _require_organiser(call)
    if not args:
        kinds_list = ", ".join(["announcement", *sorted(new_kind_handlers())])
        raise UserError(f"New what? Kinds: {kinds_list}. Example: `{NEW_EXAMPLE}`")
    kind, rest = args[0].lower(), args[1:]
    if kind == "announcement":
        return await _new_announcement(call, rest)
    handler = new_kind_handlers().get(kind)
    if handler is None:
        kinds_list = ", ".join(["announcement", *sorted(new_kind_handlers())])
        raise UserError(f"Unknown activity kind `{escape_mrkdwn(kind)}`. Kinds: {kinds_list}.")
    return await handler(call, rest)


async def _new_announcement(call: CommandCall, args: list[str]) -> Reply | None:
    if not args:
        await call.client.views_open(
            trigger_id=call.trigger_id,
            view=announcement_modal(channel_id=call.channel_id),
        )
        return None
    positional, flags = split_flags(args, flags_with_values={"tz", "title"}, boolean_flags=set())
    if len(positional) != 3:
        raise UserError(
            "An announcement needs a channel, a schedule and the text, each quoted if it has "
            f"spaces. Example: `{NEW_EXAMPLE}`"
        )
    channel_id = await call.resolve_channel(positional[0], NEW_EXAMPLE)
    timezone = str(flags.get("tz") or await call.services.timezone_of(call.team_id, call.user_id))
    text = announcement.validate_text(positional[2])
    now = call.services.clock.now()
    async with call.services.db.session() as session:
        activity = await manage.create(
            session,
            team_id=call.team_id,
            actor_id=call.user_id,
            kind="announcement",
            channel_id=channel_id,
            title=str(flags.get("title") or text[:60]),
            schedule_text=positional[1],
            timezone=timezone,
            config={"text": text},
            now=now,
        )
    return Reply(created_text(activity))


def created_text(activity: Activity) -> str:
    """The confirmation every `/community new …` gives: what, where, when next."""
    nxt = activity.next_run_at
    when = slack_date(nxt) if nxt else "never"
    return (
        f"✅ {activity.kind.capitalize()} *#{activity.id}* in <#{activity.channel_id}>, "
        f"{activity_blocks.describe_schedule(activity)}. Next: {when}. "
        f"Preview with `/community preview {activity.id}`."
    )


def _state_change(action: str, done: str) -> Handler:
    async def handler(call: CommandCall, args: list[str]) -> Reply:
        await _require_organiser(call)
        activity_id = _activity_id(args, action)
        async with call.services.db.session() as session:
            activity = await manage.change_state(
                session,
                team_id=call.team_id,
                actor_id=call.user_id,
                activity_id=activity_id,
                action=action,
                now=call.services.clock.now(),
            )
        return Reply(f"{done} *#{activity_id}* ({activity.kind} in <#{activity.channel_id}>).")

    return handler


async def _run(call: CommandCall, args: list[str]) -> Reply:
    await _require_organiser(call)
    activity_id = _activity_id(args, "run")
    async with call.services.db.session() as session:
        outcome = await manage.run_now(
            session,
            team_id=call.team_id,
            actor_id=call.user_id,
            activity_id=activity_id,
            now=call.services.clock.now(),
            directory=call.services.directory,
        )
    call.services.work_soon()
    assert outcome.run is not None
    return Reply(f"▶️ Running *#{activity_id}* now (run {outcome.run.id}).")


async def _preview(call: CommandCall, args: list[str]) -> Reply:
    await _require_organiser(call)
    activity_id = _activity_id(args, "preview")
    async with call.services.db.session() as session:
        activity = await manage.load(session, team_id=call.team_id, activity_id=activity_id)
    times = manage.preview(activity, now=call.services.clock.now())
    return Reply(activity_blocks.preview_text(activity, times))


async def _roles(call: CommandCall, args: list[str]) -> Reply:
    services = call.services
    now = services.clock.now()
    if not args:
        async with services.db.session() as session:
            terms = await roles.current(session, team_id=call.team_id, today=now.date())
        text, blocks = role_blocks.role_list(terms)
        return Reply(text, blocks)
    verb, rest = args[0].lower(), args[1:]
    if verb not in ("assign", "end"):
        raise UserError(
            f"Unknown `roles {verb}`. Use `/community roles`, `{roles.ASSIGN_EXAMPLE}` "
            f"or `{roles.END_EXAMPLE}`."
        )
    if not (await call.standing()).is_admin:
        raise UserError(ADMIN_ONLY)
    example = roles.ASSIGN_EXAMPLE if verb == "assign" else roles.END_EXAMPLE
    if not rest:
        raise UserError(f"Whose role? Example: `{example}`")
    user_id = await call.resolve_user(rest[0], example)
    if verb == "end":
        async with services.db.session() as session:
            await roles.end(
                session, team_id=call.team_id, actor_id=call.user_id, user_id=user_id, now=now
            )
        return Reply(f"<@{user_id}> is no longer an organiser.")
    role, until = _assign_args(rest[1:], today=now.date())
    profile = await services.directory.profile(call.team_id, user_id)
    if profile is not None and (profile.is_bot or profile.deleted):
        raise UserError(f"<@{user_id}> is a bot or a deactivated account and can't hold a role.")
    async with services.db.session() as session:
        term = await roles.assign(
            session,
            team_id=call.team_id,
            actor_id=call.user_id,
            user_id=user_id,
            role=role,
            until=until,
            now=now,
        )
    return Reply(f"✅ <@{user_id}> is an {term.role} until {term.ends_on.isoformat()}.")


def _assign_args(args: list[str], *, today: Any) -> tuple[str, Any]:
    role = roles.parse_role(args[0]) if args else roles.ORGANISER
    until = None
    rest = args[1:]
    if rest and rest[0].lower() == "until":
        rest = rest[1:]
        if not rest:
            raise UserError(f"Until when? Example: `{roles.ASSIGN_EXAMPLE}`")
    if rest:
        until = roles.parse_until(rest[0], today=today)
    return role, until


SUBCOMMANDS: dict[str, Handler] = {
    "help": _help,
    "activities": _activities,
    "list": _activities,
    "new": _new,
    "pause": _state_change("pause", "⏸️ Paused"),
    "resume": _state_change("resume", "▶️ Resumed"),
    "cancel": _state_change("cancel", "⏹️ Cancelled"),
    "run": _run,
    "preview": _preview,
    "roles": _roles,
}


async def handle_community(
    ack: AsyncAck,
    respond: AsyncRespond,
    body: dict[str, Any],
    context: AsyncBoltContext,
    client: Any,
) -> None:
    call = CommandCall.of(body, context, client)
    usage = "Try `/community help`."
    await answer(ack, respond, dispatch(call, body.get("text", ""), SUBCOMMANDS, usage))


def register(app: AsyncApp) -> None:
    app.command("/community")(handle_community)
