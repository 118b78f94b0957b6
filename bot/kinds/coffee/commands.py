"""`/coffee`: members' controls for pairings (status, join, leave, pause, avoid, history,
hours) and their settings (their hours and days, which quiet hours follow too)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from slack_bolt.async_app import AsyncApp
from sqlmodel.ext.asyncio.session import AsyncSession

from activities import quiet_hours
from activities.actor import Actor
from activities.errors import UserError
from activities.kinds.coffee import rules
from activities.kinds.coffee import use_cases as coffee
from bot.blocks.common import slack_date
from bot.blocks.help import COFFEE_HELP
from bot.kinds.coffee import blocks as coffee_blocks
from bot.listeners.context import Caller, Reply, Sub, Subcommand, command, route


async def _help(caller: Caller, args: list[str]) -> Reply:
    return Reply(COFFEE_HELP)


async def _status(caller: Caller, args: list[str]) -> Reply:
    async with caller.services.db.session() as session:
        found = await coffee.status(session, caller.actor)
    text = coffee_blocks.status_text(
        state=found.state,
        paused_until=found.paused_until,
        next_rounds=[(a.channel_id, a.next_run_at) for a in found.activities],
        current=[g.members for _, _, g in found.current],
        user_id=caller.user_id,
    )
    return Reply(text)


async def _join(caller: Caller, args: list[str]) -> Reply:
    async with caller.services.db.session() as session:
        await coffee.join(session, caller.actor)
        found = await coffee.status(session, caller.actor)
    channels = ", ".join(f"<#{a.channel_id}>" for a in found.activities)
    where = f" Be a member of {channels} to be matched there." if channels else ""
    return Reply(f"✅ You're in for the next coffee round.{where}")


def _then_say(step: Callable[[AsyncSession, Actor], Awaitable[None]], text: str) -> Subcommand:
    """A control that only sets the person's own standing (in or out), then says so."""

    async def handle(caller: Caller, args: list[str]) -> Reply:
        async with caller.services.db.session() as session:
            await step(session, caller.actor)
        return Reply(text)

    return handle


async def _pause(caller: Caller, args: list[str]) -> Reply:
    until = rules.parse_pause(args, now=caller.now, timezone=await caller.timezone())
    async with caller.services.db.session() as session:
        await coffee.pause_until(session, caller.actor, until=until)
    return Reply(f"⏸️ Paused until {slack_date(until)}. `/coffee resume` to come back sooner.")


async def _history(caller: Caller, args: list[str]) -> Reply:
    async with caller.services.db.session() as session:
        items = await coffee.history(session, team_id=caller.team_id, user_id=caller.user_id)
    return Reply(
        coffee_blocks.history_text([(r.started_at, g.members) for r, g in items], caller.user_id)
    )


async def _avoid(caller: Caller, args: list[str]) -> Reply:
    if not args:
        raise UserError(f"Avoid whom? Example: `{rules.AVOID_EXAMPLE}`")
    target_id = await caller.resolve_user(args[0], rules.AVOID_EXAMPLE)
    target = None
    if target_id != caller.user_id:
        target = await caller.services.directory.profile(caller.team_id, target_id)
    async with caller.services.db.session() as session:
        await coffee.avoid(session, caller.actor, target_id=target_id, target=target)
    return Reply(f"🙈 You won't be matched with <@{target_id}>. They aren't told.")


async def _unavoid(caller: Caller, args: list[str]) -> Reply:
    if not args:
        raise UserError("Whom? Example: `/coffee unavoid @ada`")
    target_id = await caller.resolve_user(args[0], "/coffee unavoid @ada")
    async with caller.services.db.session() as session:
        removed = await coffee.unavoid(session, caller.actor, target_id=target_id)
    if not removed:
        return Reply(f"You weren't avoiding <@{target_id}>.")
    return Reply(f"✅ <@{target_id}> can be matched with you again.")


HOUR_CHARS = "0123456789:-–"


async def _hours(caller: Caller, args: list[str]) -> Reply:
    if not args:
        raise UserError(f"Which hours? Example: `{rules.HOURS_EXAMPLE}`")
    # `9-17 mon-thu`: the hours, then (from the first word not made of them) the days.
    cut = next((i for i, arg in enumerate(args) if arg.strip(HOUR_CHARS)), len(args))
    start, end = rules.parse_hours(" ".join(args[:cut] or args))
    days = (
        quiet_hours.parse_days(" ".join(args[cut:]))
        if 0 < cut < len(args)
        else quiet_hours.MONDAY_TO_FRIDAY
    )
    async with caller.services.db.session() as session:
        await coffee.set_hours(session, caller.actor, hours=(start, end), days=days)
    return Reply(
        f"🕘 Noted: you work {coffee_blocks.hours_text(start, end, days)} in your own time "
        "zone. Groups and suggested times follow it, and DMs, reminders and check-ins wait "
        "for it."
    )


async def _settings(caller: Caller, args: list[str]) -> Reply:
    async with caller.services.db.session() as session:
        hours = await coffee.own_hours(session, caller.actor)
    return Reply(coffee_blocks.settings_text(hours))


SUBCOMMANDS: dict[str, Sub] = {
    "help": Sub(_help),
    "status": Sub(_status),
    "join": Sub(_join),
    "leave": Sub(
        _then_say(coffee.leave, "👋 You won't be matched any more. `/coffee join` brings you back.")
    ),
    "pause": Sub(_pause),
    "resume": Sub(_then_say(coffee.resume, "▶️ Welcome back: you're in for the next round.")),
    "history": Sub(_history),
    "avoid": Sub(_avoid),
    "unavoid": Sub(_unavoid),
    "hours": Sub(_hours),
    "settings": Sub(_settings),
}


async def handle_coffee(caller: Caller, text: str) -> Reply | None:
    return await route(caller, text, SUBCOMMANDS, usage="Try `/coffee help`.", default="status")


def register(app: AsyncApp) -> None:
    app.command("/coffee")(command(handle_coffee))
