"""`/community win|thanks|me` and the recognition settings: thin listeners over
`activities/recognition_use_cases.py`."""

from __future__ import annotations

from collections.abc import Sequence

from activities import member_history
from activities import recognition as rules
from activities import recognition_use_cases as recognition
from activities.errors import UserError
from activities.recognition import Month
from bot.blocks import recognition as blocks
from bot.listeners.commands.settings import channel_setting
from bot.listeners.context import Caller, Reply, Sub
from storage import recognition as recognition_store
from storage.recognition import TYPED, Source

WINS_EXAMPLE = "/community settings wins #wins"
LEADERBOARD_EXAMPLE = "/community settings leaderboard on"
SHOUTOUTS_EXAMPLE = "/community me shoutouts off"


async def win(caller: Caller, args: list[str]) -> Reply:
    return await publish_win(caller, " ".join(args))


async def publish_win(
    caller: Caller, text: str, *, credit: Sequence[str] = (), source: Source = TYPED
) -> Reply:
    """Share a win (typed, or from the shortcut's modal with its `source`) and say where."""
    async with caller.services.db.session() as session:
        shared = await recognition.share_win(
            session, actor=caller.actor, text=text, credit=credit, source=source
        )
        channel = await recognition.wins_channel(session, team_id=caller.team_id)
    caller.services.work_soon()
    return Reply(f"🏆 Shared in <#{channel}>, crediting {blocks.mentions(shared.credited)}.")


async def thanks(caller: Caller, args: list[str]) -> Reply:
    if args and args[0].lower() == "leaderboard":
        return await leaderboard(caller, args[1:])
    if not args:
        raise UserError(f"Whom do you want to thank? Example: `{rules.THANKS_EXAMPLE}`")
    receiver = await caller.named(args[0], rules.THANKS_EXAMPLE)
    note = rules.ThanksNote.parse(args[1:])
    zone = await caller.timezone()
    async with caller.services.db.session() as session:
        done = await recognition.thank(
            session, actor=caller.actor, receiver=receiver, note=note, zone=zone
        )
    caller.services.work_soon()
    said = f"🙏 Thanks sent to <@{receiver.user_id}> by DM"
    if done.thanks.public:
        said += f" and shared in <#{done.thanks.channel_id}>"
    said += "."
    if done.dm_only is rules.DmOnly.OPTED_OUT:
        said += " They prefer thanks in private, so it was not posted in the channel."
    elif done.dm_only is rules.DmOnly.NO_CHANNEL:
        said += " There's no wins channel to share it in, so it went by DM only."
    elif not note.public:
        said += f" Add `{rules.PUBLIC_FLAG}` to share a thanks in the wins channel too."
    if not note.reason:
        said += ' (A reason is optional; "for …" tells them what for.)'
    return Reply(said)


async def leaderboard(caller: Caller, args: list[str]) -> Reply:
    async with caller.services.db.session() as session:
        placings = await recognition.leaderboard(session, team_id=caller.team_id, now=caller.now)
    text, body = blocks.leaderboard(Month.of(caller.now.date()).label, placings)
    return Reply(text, body)


async def settings_leaderboard(caller: Caller, args: list[str]) -> Reply:
    on = rules.parse_switch(args, LEADERBOARD_EXAMPLE)
    async with caller.services.db.session() as session:
        await recognition.set_leaderboard(session, actor=caller.actor, on=on)
    if on:
        return Reply(
            "✅ The thanks leaderboard is on: `/community thanks leaderboard` shows this "
            "month's most thanked; it starts fresh each month."
        )
    return Reply("✅ The thanks leaderboard is off.")


async def me(caller: Caller, args: list[str]) -> Reply:
    """Only ever the caller's own history: no argument names anyone else."""
    if args and args[0].lower() == "shoutouts":
        return await shoutouts(caller, args[1:])
    if args:
        raise UserError(
            "`/community me` shows your own history only; nobody can see another "
            "person's. Try `/community me` or `/community me shoutouts on|off`."
        )
    async with caller.services.db.session() as session:
        found = await member_history.of_member(
            session, team_id=caller.team_id, user_id=caller.user_id
        )
    text, body = blocks.my_history(found)
    return Reply(text, body)


async def shoutouts(caller: Caller, args: list[str]) -> Reply:
    on = rules.parse_switch(args, SHOUTOUTS_EXAMPLE)
    async with caller.services.db.session() as session:
        await recognition_store.set_opt_out(
            session, team_id=caller.team_id, user_id=caller.user_id, out=not on, now=caller.now
        )
    if on:
        return Reply("✅ Thanks given to you with `--public` may be shared in the wins channel.")
    return Reply("✅ Thanks to you now come by DM only, never shouted out in a channel.")


WIN = Sub(win)
ME = Sub(me)
THANKS = Sub(thanks)
SETTINGS = {
    "wins": Sub(
        channel_setting(
            WINS_EXAMPLE,
            recognition.set_wins_channel,
            "✅ Wins (and public thanks) now go to {channel}.",
        ),
        "organiser",
    ),
    "leaderboard": Sub(settings_leaderboard, "organiser"),
}
