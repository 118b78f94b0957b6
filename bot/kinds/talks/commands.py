"""`/community talks …`: volunteer (everyone); backlog, schedule, decline, move, cancel."""

from __future__ import annotations

from activities.errors import UserError
from activities.kinds.talks import rules
from activities.kinds.talks import use_cases as talks
from bot.blocks.common import slack_date
from bot.blocks.help import TALKS_HELP
from bot.kinds.talks import blocks
from bot.listeners.context import Caller, Reply, Subcommand, by_word
from bot.parsing import given_id, split_flags

USAGE = "Try `/community talks help`."


def _talk_id(args: list[str], example: str) -> int:
    found = given_id(args[0] if args else None, example, "talk number")
    if found is None:
        raise UserError(f"Which talk? Its number is in the backlog. Example: `{example}`")
    return found


async def _help(caller: Caller, args: list[str]) -> Reply:
    return Reply(TALKS_HELP)


async def open_volunteer(caller: Caller, series_id: int | None) -> None:
    async with caller.services.db.session() as session:
        series = await caller.find(session, talks.find_series, series_id)
    await caller.open_view(blocks.volunteer_modal(series))


async def _volunteer(caller: Caller, args: list[str]) -> None:
    _, flags = split_flags(args, flags_with_values={"series"}, boolean_flags=set())
    example = "/community talks volunteer --series 4"
    await open_volunteer(caller, given_id(flags.get("series"), example, "series number"))


async def _backlog(caller: Caller, args: list[str]) -> Reply:
    await caller.require_organiser()
    async with caller.services.db.session() as session:
        items = await talks.backlog(session, team_id=caller.team_id)
    if not items:
        return Reply("🎤 The talk backlog is empty.")
    return Reply("*Talk backlog*\n" + "\n".join(blocks.backlog_lines(items)))


async def schedule(caller: Caller, talk_id: int, date_text: str) -> Reply:
    await caller.require_organiser()
    async with caller.services.db.session() as session:
        talk = await talks.schedule_talk(
            session, team_id=caller.team_id, talk_id=talk_id, date_text=date_text, now=caller.now
        )
    caller.services.work_soon()  # announced at once when the slot is less than a week away
    assert talk.slot_at is not None
    return Reply(
        f"📅 {blocks.talk_name(talk)} by <@{talk.speaker_id}> is scheduled for "
        f"{slack_date(talk.slot_at)}; the speaker is told."
    )


async def _schedule(caller: Caller, args: list[str]) -> Reply:
    talk_id = _talk_id(args, rules.SCHEDULE_EXAMPLE)
    if len(args) < 2:
        raise UserError(f"Which date? Example: `{rules.SCHEDULE_EXAMPLE}`")
    return await schedule(caller, talk_id, " ".join(args[1:3]))


async def decline(caller: Caller, talk_id: int, note: str) -> Reply:
    await caller.require_organiser()
    async with caller.services.db.session() as session:
        talk = await talks.decline(
            session, team_id=caller.team_id, talk_id=talk_id, note=note, now=caller.now
        )
    caller.services.courier.wake()
    return Reply(
        f"Declined {blocks.talk_name(talk)}; <@{talk.speaker_id}> is told, with your note."
    )


async def _decline(caller: Caller, args: list[str]) -> Reply:
    return await decline(caller, _talk_id(args, rules.DECLINE_EXAMPLE), " ".join(args[1:]))


async def _cancel(caller: Caller, args: list[str]) -> Reply:
    await caller.require_organiser()
    talk_id = _talk_id(args, "/community talks cancel 4")
    async with caller.services.db.session() as session:
        talk = await talks.cancel(session, team_id=caller.team_id, talk_id=talk_id, now=caller.now)
    caller.services.courier.wake()
    return Reply(f"❌ Cancelled {blocks.talk_name(talk)}; those going are told.")


async def _history(caller: Caller, args: list[str]) -> Reply:
    series_id = given_id(args[0] if args else None, "/community talks history 4", "series number")
    async with caller.services.db.session() as session:
        series = await caller.find(session, talks.find_series, series_id)
        given = await talks.history(session, series=series)
    return Reply(blocks.history_text(series.title, given))


SUBCOMMANDS: dict[str, Subcommand] = {
    "help": _help,
    "volunteer": _volunteer,
    "backlog": _backlog,
    "schedule": _schedule,
    "move": _schedule,
    "decline": _decline,
    "cancel": _cancel,
    "history": _history,
}


handle = by_word("talks", SUBCOMMANDS, USAGE)
