"""`/community advent contribute | add | recap [id]`: tips, organisers' entries, the recap."""

from __future__ import annotations

from activities.errors import UserError
from activities.kinds.advent import rules
from activities.kinds.advent import use_cases as advent
from activities.text import escape_mrkdwn
from bot.kinds.advent import blocks
from bot.listeners.context import Caller, Reply

USAGE = (
    "Try `/community advent contribute`, `/community advent recap` or (organisers) "
    '`/community advent add "A tip | https://link"`.'
)


def _split_id(args: list[str]) -> tuple[int | None, list[str]]:
    if args and args[0].lstrip("#").isdigit() and len(args[0]) < 10:
        return int(args[0].lstrip("#")), args[1:]
    return None, args


async def _contribute(caller: Caller, args: list[str]) -> None:
    activity_id, _ = _split_id(args)
    async with caller.services.db.session() as session:
        run = await advent.pick_run(
            session, team_id=caller.team_id, channel_id=caller.channel_id, activity_id=activity_id
        )
    assert run.id is not None
    await caller.open_view(blocks.contribute_modal(run.id, run.channel_id))


async def _add(caller: Caller, args: list[str]) -> Reply | None:
    await caller.require_organiser()
    activity_id, rest = _split_id(args)
    async with caller.services.db.session() as session:
        run = await advent.pick_run(
            session, team_id=caller.team_id, channel_id=caller.channel_id, activity_id=activity_id
        )
        assert run.id is not None
        if not rest:
            await caller.open_view(blocks.entries_modal(run.id, run.channel_id))
            return None
        added = await advent.add_entries(
            session, activity=run, actor_id=caller.user_id, text="\n".join(rest), now=caller.now
        )
    return Reply(f"✅ Added {added} {'entry' if added == 1 else 'entries'} to <#{run.channel_id}>.")


async def _recap(caller: Caller, args: list[str]) -> Reply:
    activity_id, _ = _split_id(args)
    async with caller.services.db.session() as session:
        run = await advent.pick_run(
            session,
            team_id=caller.team_id,
            channel_id=caller.channel_id,
            activity_id=activity_id,
            finished_too=True,
        )
        days = await advent.recap_days(session, activity=run)
        total = len(rules.days(advent.settings_of(run)))
    text, body = blocks.recap(days, advent.most_reacted(days), total)
    return Reply(text, body)


async def handle(caller: Caller, args: list[str]) -> Reply | None:
    verb = args[0].lower() if args else "help"
    if verb == "contribute":
        await _contribute(caller, args[1:])
        return None
    if verb == "add":
        return await _add(caller, args[1:])
    if verb == "recap":
        return await _recap(caller, args[1:])
    if verb == "help":
        return Reply(USAGE)
    raise UserError(f"Unknown `advent {escape_mrkdwn(verb[:40])}`. {USAGE}")
