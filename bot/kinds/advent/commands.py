"""`/community advent contribute | add | recap [id]`: tips, organisers' entries, the recap."""

from __future__ import annotations

from datetime import date
from functools import partial

from activities.errors import UserError
from activities.kinds.advent import rules
from activities.kinds.advent import use_cases as advent
from activities.text import escape_mrkdwn
from bot.kinds.advent import blocks
from bot.listeners.context import Caller, Reply, Subcommand, by_word

PIN_EXAMPLE = "/community advent pin 7 2026-12-24"
MOVE_EXAMPLE = "/community advent move 7 before 3"
USAGE = (
    "Try `/community advent contribute`, `/community advent recap` or (organisers) "
    '`/community advent add "A tip | https://link"`, `advent entries`, '
    f"`{PIN_EXAMPLE}`, `{MOVE_EXAMPLE}`."
)


def _split_id(args: list[str]) -> tuple[int | None, list[str]]:
    if args and args[0].lstrip("#").isdigit() and len(args[0]) < 10:
        return int(args[0].lstrip("#")), args[1:]
    return None, args


async def _contribute(caller: Caller, args: list[str]) -> None:
    activity_id, _ = _split_id(args)
    async with caller.services.db.session() as session:
        run = await caller.find(session, advent.pick_run, activity_id)
    await caller.open_view(blocks.contribute_modal(run))


async def _add(caller: Caller, args: list[str]) -> Reply | None:
    await caller.require_organiser()
    activity_id, rest = _split_id(args)
    async with caller.services.db.session() as session:
        run = await caller.find(session, advent.pick_run, activity_id)
        if not rest:
            await caller.open_view(blocks.entries_modal(run))
            return None
        added = await advent.add_entries(
            session, activity=run, actor_id=caller.user_id, text="\n".join(rest), now=caller.now
        )
    return Reply(f"✅ Added {added} {'entry' if added == 1 else 'entries'} to <#{run.channel_id}>.")


# The recap looks back: at runs that have ended too.
RECAP_RUN = partial(advent.pick_run, finished_too=True)


async def _recap(caller: Caller, args: list[str]) -> Reply:
    activity_id, _ = _split_id(args)
    async with caller.services.db.session() as session:
        run = await caller.find(session, RECAP_RUN, activity_id)
        days = await advent.recap_days(session, activity=run)
        total = len(rules.days(advent.settings_of(run)))
    text, body = blocks.recap(days, advent.most_reacted(days), total)
    return Reply(text, body)


def _entry_id(token: str, example: str) -> int:
    raw = token.lstrip("#")
    if not raw.isdigit() or len(raw) > 9:
        raise UserError(
            f"`{escape_mrkdwn(token[:40])}` isn't an entry number. Example: `{example}`"
        )
    return int(raw)


async def _entries(caller: Caller, args: list[str]) -> Reply:
    await caller.require_organiser()
    activity_id, _ = _split_id(args)
    async with caller.services.db.session() as session:
        run = await caller.find(session, advent.pick_run, activity_id)
        days = await advent.planned_days(session, activity=run)
    return Reply(blocks.plan_text(days))


async def _pin(caller: Caller, args: list[str]) -> Reply:
    await caller.require_organiser()
    if len(args) != 2:
        raise UserError(f"Pin which entry to which day? Example: `{PIN_EXAMPLE}` (`off` unpins)")
    entry_id = _entry_id(args[0], PIN_EXAMPLE)
    day = None
    if args[1].lower() != "off":
        try:
            day = date.fromisoformat(args[1])
        except ValueError:
            raise UserError(f"A day is a date like 2026-12-24. Example: `{PIN_EXAMPLE}`") from None
    async with caller.services.db.session() as session:
        entry = await advent.get_entry(session, team_id=caller.team_id, entry_id=entry_id)
        run = await caller.load(session, advent.load_run, entry.activity_id)
        await advent.pin(session, activity=run, entry_id=entry_id, day=day, now=caller.now)
    where = f"to {day:%a %d %b}" if day else "off: it takes the next free day"
    return Reply(f"📌 Entry {entry_id} is pinned {where}.")


async def _move(caller: Caller, args: list[str]) -> Reply:
    await caller.require_organiser()
    if len(args) != 3 or args[1].lower() != "before":
        raise UserError(f"Move which entry before which? Example: `{MOVE_EXAMPLE}`")
    entry_id, before_id = _entry_id(args[0], MOVE_EXAMPLE), _entry_id(args[2], MOVE_EXAMPLE)
    async with caller.services.db.session() as session:
        entry = await advent.get_entry(session, team_id=caller.team_id, entry_id=entry_id)
        run = await caller.load(session, advent.load_run, entry.activity_id)
        await advent.move(session, activity=run, entry_id=entry_id, before_id=before_id)
    return Reply(f"↕️ Entry {entry_id} now comes before entry {before_id}.")


async def _help(caller: Caller, args: list[str]) -> Reply:
    return Reply(USAGE)


SUBCOMMANDS: dict[str, Subcommand] = {
    "contribute": _contribute,
    "add": _add,
    "recap": _recap,
    "entries": _entries,
    "plan": _entries,
    "pin": _pin,
    "move": _move,
    "help": _help,
}
handle = by_word("advent", SUBCOMMANDS, USAGE)
