"""`/coffee`: members' controls for pairings (status, join, leave, pause, avoid, history)."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_bolt.context.async_context import AsyncBoltContext

from activities import coffee
from activities.errors import UserError
from bot.blocks import coffee as coffee_blocks
from bot.blocks.common import slack_date
from bot.blocks.help import COFFEE_HELP
from bot.blocks.modals import coffee_modal
from bot.listeners.commands.community import created_text
from bot.listeners.context import CommandCall, Handler, Reply, answer, dispatch
from bot.parsing import split_flags


async def _help(call: CommandCall, args: list[str]) -> Reply:
    return Reply(COFFEE_HELP)


async def _status(call: CommandCall, args: list[str]) -> Reply:
    now = call.services.clock.now()
    async with call.services.db.session() as session:
        found = await coffee.status(session, team_id=call.team_id, user_id=call.user_id, now=now)
    text = coffee_blocks.status_text(
        state=found.state,
        paused_until=found.paused_until,
        next_rounds=[(a.channel_id, a.next_run_at) for a in found.activities],
        current=[g.members for _, _, g in found.current],
        user_id=call.user_id,
    )
    return Reply(text)


async def _join(call: CommandCall, args: list[str]) -> Reply:
    async with call.services.db.session() as session:
        await coffee.join(
            session, team_id=call.team_id, user_id=call.user_id, now=call.services.clock.now()
        )
        found = await coffee.status(
            session, team_id=call.team_id, user_id=call.user_id, now=call.services.clock.now()
        )
    channels = ", ".join(f"<#{a.channel_id}>" for a in found.activities)
    where = f" Be a member of {channels} to be matched there." if channels else ""
    return Reply(f"✅ You're in for the next coffee round.{where}")


async def _leave(call: CommandCall, args: list[str]) -> Reply:
    async with call.services.db.session() as session:
        await coffee.leave(
            session, team_id=call.team_id, user_id=call.user_id, now=call.services.clock.now()
        )
    return Reply("👋 You won't be matched any more. `/coffee join` brings you back.")


async def _pause(call: CommandCall, args: list[str]) -> Reply:
    now = call.services.clock.now()
    tz = await call.services.timezone_of(call.team_id, call.user_id)
    until = coffee.parse_pause(args, now=now, timezone=tz)
    async with call.services.db.session() as session:
        await coffee.pause_until(
            session, team_id=call.team_id, user_id=call.user_id, until=until, now=now
        )
    return Reply(f"⏸️ Paused until {slack_date(until)}. `/coffee resume` to come back sooner.")


async def _resume(call: CommandCall, args: list[str]) -> Reply:
    async with call.services.db.session() as session:
        await coffee.resume(
            session, team_id=call.team_id, user_id=call.user_id, now=call.services.clock.now()
        )
    return Reply("▶️ Welcome back: you're in for the next round.")


async def _history(call: CommandCall, args: list[str]) -> Reply:
    async with call.services.db.session() as session:
        items = await coffee.history(session, team_id=call.team_id, user_id=call.user_id)
    return Reply(
        coffee_blocks.history_text([(r.started_at, g.members) for r, g in items], call.user_id)
    )


async def _avoid(call: CommandCall, args: list[str]) -> Reply:
    if not args:
        raise UserError(f"Avoid whom? Example: `{coffee.AVOID_EXAMPLE}`")
    target_id = await call.resolve_user(args[0], coffee.AVOID_EXAMPLE)
    target = None
    if target_id != call.user_id:
        target = await call.services.directory.profile(call.team_id, target_id)
    async with call.services.db.session() as session:
        await coffee.avoid(
            session,
            team_id=call.team_id,
            user_id=call.user_id,
            target_id=target_id,
            target=target,
            now=call.services.clock.now(),
        )
    return Reply(f"🙈 You won't be matched with <@{target_id}>. They aren't told.")


async def _unavoid(call: CommandCall, args: list[str]) -> Reply:
    if not args:
        raise UserError("Whom? Example: `/coffee unavoid @ada`")
    target_id = await call.resolve_user(args[0], "/coffee unavoid @ada")
    async with call.services.db.session() as session:
        removed = await coffee.unavoid(
            session,
            team_id=call.team_id,
            user_id=call.user_id,
            target_id=target_id,
            now=call.services.clock.now(),
        )
    if not removed:
        return Reply(f"You weren't avoiding <@{target_id}>.")
    return Reply(f"✅ <@{target_id}> can be matched with you again.")


async def new_activity(call: CommandCall, args: list[str], *, kind: str) -> Reply | None:
    """`/community new coffee|breakfast #channel [--every 1w] [--day tue] [--time 10:30] …`."""
    example = coffee.new_example(kind)
    if not args:
        timezone = await call.services.timezone_of(call.team_id, call.user_id)
        view = coffee_modal(kind=kind, timezone=timezone, size=coffee.DEFAULT_SIZE[kind])
        await call.client.views_open(trigger_id=call.trigger_id, view=view)
        return None
    positional, flags = split_flags(
        args,
        flags_with_values={"every", "day", "time", "tz", "size", "icebreakers", "title"},
        boolean_flags=set(),
    )
    if len(positional) != 1:
        raise UserError(f"Which channel? Its members are the participants. Example: `{example}`")
    channel_id = await call.resolve_channel(positional[0], example)
    timezone = str(flags.get("tz") or await call.services.timezone_of(call.team_id, call.user_id))
    options = coffee.parse_options(
        kind,
        every=_flag(flags, "every"),
        day=_flag(flags, "day"),
        at=_flag(flags, "time"),
        timezone=timezone,
        size=_flag(flags, "size"),
        icebreakers_flag=_flag(flags, "icebreakers"),
    )
    async with call.services.db.session() as session:
        activity = await coffee.create(
            session,
            team_id=call.team_id,
            actor_id=call.user_id,
            channel_id=channel_id,
            options=options,
            title=_flag(flags, "title") or "",
            now=call.services.clock.now(),
        )
    return Reply(
        created_text(activity) + f" Groups of {options.size}; members of <#{channel_id}> take part."
    )


def _flag(flags: dict[str, str | bool], name: str) -> str | None:
    value = flags.get(name)
    return value if isinstance(value, str) else None


SUBCOMMANDS: dict[str, Handler] = {
    "help": _help,
    "status": _status,
    "join": _join,
    "leave": _leave,
    "pause": _pause,
    "resume": _resume,
    "history": _history,
    "avoid": _avoid,
    "unavoid": _unavoid,
}


async def handle_coffee(
    ack: AsyncAck,
    respond: AsyncRespond,
    body: dict[str, Any],
    context: AsyncBoltContext,
    client: Any,
) -> None:
    call = CommandCall.of(body, context, client)
    text = body.get("text", "") or "status"
    await answer(ack, respond, dispatch(call, text, SUBCOMMANDS, "Try `/coffee help`."))


def register(app: AsyncApp) -> None:
    app.command("/coffee")(handle_coffee)
