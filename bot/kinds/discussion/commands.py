"""`/community topics [add "…" | vote | withdraw | edit | merge | remove | archive]`."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from activities.errors import UserError
from activities.kinds.discussion import rules
from activities.kinds.discussion import use_cases as topics
from activities.text import escape_mrkdwn
from bot.kinds.discussion import blocks
from bot.listeners.context import Caller, Reply
from bot.parsing import row_id

USAGE = (
    'Try `/community topics` (the backlog), `/community topics add "…"`, '
    "`topics vote <topic>`, `topics withdraw <topic>`, `topics archive`; organisers: "
    '`topics edit <topic> "…"`, `topics merge <topic> into <topic>`, `topics remove <topic>`.'
)


def _topic_id(args: list[str], verb: str) -> int:
    found = row_id(args[0]) if args else None
    if found is None:
        shown = escape_mrkdwn(args[0][:40]) if args else "nothing"
        raise UserError(
            f"`{shown}` isn't a topic number. Example: `/community topics {verb} 3` "
            "(numbers: `/community topics`)."
        )
    return found


async def _series_here(session: AsyncSession, caller: Caller) -> int:
    """The series a member means here: this channel's, else the only one."""
    series = await topics.pick_series(
        session, team_id=caller.team_id, channel_id=caller.channel_id, activity_id=None
    )
    assert series.id is not None
    return series.id


async def _list(caller: Caller) -> Reply:
    async with caller.services.db.session() as session:
        series_id = await _series_here(session, caller)
        ranked = await topics.ranked_backlog(session, activity_id=series_id)
    return Reply(blocks.backlog_text(ranked))


async def _archive(caller: Caller) -> Reply:
    async with caller.services.db.session() as session:
        past = await topics.archive(session, activity_id=await _series_here(session, caller))
    return Reply(blocks.archive_text(past))


async def _add(caller: Caller, args: list[str]) -> Reply:
    async with caller.services.db.session() as session:
        series = await topics.pick_series(
            session, team_id=caller.team_id, channel_id=caller.channel_id, activity_id=None
        )
        topic = await topics.add_topic(session, caller.actor, activity=series, text=" ".join(args))
        await caller.redraw_organisers(session)  # "New topics in the backlog"
    caller.services.courier.wake()
    return Reply(f"✅ Added topic {topic.id} to the backlog in <#{series.channel_id}>.")


async def upvote(caller: Caller, topic_id: int) -> Reply:
    """`topics vote <topic>` and the backlog's 👍 button."""
    async with caller.services.db.session() as session:
        await topics.vote(session, caller.actor, topic_id=topic_id)
    caller.services.courier.wake()
    return Reply(f"👍 Upvoted topic {topic_id}.")


async def _change(caller: Caller, verb: str, args: list[str]) -> Reply:
    topic_id = _topic_id(args, verb)
    rest = args[1:]
    into_id = None
    if verb == "merge":
        if rest and rest[0].lower() == "into":
            rest = rest[1:]
        into_id = _topic_id(rest, "merge 3 into")
    if verb == "edit" and not rest:
        raise UserError('Edit it to what? Example: `/community topics edit 3 "New wording"`')
    organiser = (await caller.standing()).may_organise
    async with caller.services.db.session() as session:
        await topics.change(
            session,
            caller.actor,
            topic_id=topic_id,
            organiser=organiser,
            action=verb,
            text=" ".join(rest),
            into_id=into_id,
        )
    caller.services.courier.wake()
    done = {
        "withdraw": "withdrawn",
        "edit": "edited",
        "remove": "removed",
        "merge": f"merged into topic {into_id} (its votes with it)",
    }
    return Reply(f"✅ Topic {topic_id} {done[verb]}.")


async def handle(caller: Caller, args: list[str]) -> Reply | None:
    verb = args[0].lower() if args else "list"
    rest = args[1:]
    if verb == "list":
        return await _list(caller)
    if verb == "archive":
        return await _archive(caller)
    if verb == "add":
        if not rest:
            raise UserError(f"Which topic? Example: `{rules.TOPIC_EXAMPLE}`")
        return await _add(caller, rest)
    if verb == "vote":
        return await upvote(caller, _topic_id(rest, "vote"))
    if verb in ("withdraw", "edit", "merge", "remove"):
        return await _change(caller, verb, rest)
    if verb == "help":
        return Reply(USAGE)
    raise UserError(f"Unknown `topics {escape_mrkdwn(verb[:40])}`. {USAGE}")
