"""`/community bookclub …`: propose, withdraw, vote, plan, history (members and organisers)."""

from __future__ import annotations

from datetime import timedelta

from activities.errors import UserError
from activities.kinds.bookclub import rules
from activities.kinds.bookclub import use_cases as club
from activities.schedule import parse_duration
from bot.blocks.common import slack_date
from bot.blocks.help import BOOKCLUB_HELP
from bot.kinds.bookclub import blocks
from bot.listeners.context import Caller, Reply, Subcommand, by_word
from bot.parsing import given_id, split_flags

USAGE = "Try `/community bookclub help`."


async def _help(caller: Caller, args: list[str]) -> Reply:
    return Reply(BOOKCLUB_HELP)


async def _propose(caller: Caller, args: list[str]) -> Reply:
    words, flags = split_flags(args, flags_with_values={"club", "why"}, boolean_flags=set())
    book = rules.parse_proposal(words)
    if flags.get("why"):
        book = rules.check_proposal(book.title, book.author, book.link, str(flags["why"]))
    async with caller.services.db.session() as session:
        found = await caller.find(
            session, club.find_club, given_id(flags.get("club"), rules.PROPOSE_EXAMPLE, "club id")
        )
        done = await club.propose(session, caller.actor, club=found, book=book)
        await caller.redraw_organisers(session)  # "Books proposed for …"
    caller.services.courier.wake()
    return Reply(proposed_text(done, found.channel_id))


def proposed_text(done: club.Proposed, channel_id: str) -> str:
    name = blocks.book_text(done.proposal)
    if done.merged:
        return f"👍 {name} was already proposed, so I counted your +1 there."
    return f"📚 Proposed {name} (`#{done.proposal.id}`) on the club's board in <#{channel_id}>."


async def _withdraw(caller: Caller, args: list[str]) -> Reply:
    example = "/community bookclub withdraw 12"
    proposal_id = given_id(args[0] if args else None, example, "proposal number")
    if proposal_id is None:
        raise UserError(f"Which proposal? Its number is on the board. Example: `{example}`")
    standing = await caller.standing()
    async with caller.services.db.session() as session:
        proposal = await club.withdraw(
            session, caller.actor, proposal_id=proposal_id, may_organise=standing.may_organise
        )
    caller.services.courier.wake()
    return Reply(f"🗑️ Withdrew {blocks.book_text(proposal)}.")


async def _vote(caller: Caller, args: list[str]) -> Reply:
    await caller.require_organiser()
    positional, flags = split_flags(args, flags_with_values={"closes", "club"}, boolean_flags=set())
    closes = parse_duration(str(flags["closes"])) if flags.get("closes") else rules.DEFAULT_VOTE_FOR
    club_id = given_id(
        positional[0] if positional else flags.get("club"), rules.VOTE_EXAMPLE, "club id"
    )
    return await open_vote(caller, club_id, closes)


async def open_vote(caller: Caller, club_id: int | None, closes: timedelta) -> Reply:
    async with caller.services.db.session() as session:
        found = await caller.find(session, club.find_club, club_id)
        round_ = await club.open_vote(session, caller.actor, club=found, closes_after=closes)
    caller.services.courier.wake()
    return Reply(
        f"🗳️ The vote is open in <#{found.channel_id}> among {len(round_.proposal_ids)} books; "
        f"it closes {slack_date(caller.now + closes)}."
    )


async def _plan(caller: Caller, args: list[str]) -> Reply:
    await caller.require_organiser()
    positional, flags = split_flags(
        args, flags_with_values={"meeting", "sections", "club"}, boolean_flags=set()
    )
    club_id = given_id(
        positional[0] if positional else flags.get("club"), rules.PLAN_EXAMPLE, "club id"
    )
    if not flags.get("meeting"):
        raise UserError(f"When is the meeting? Example: `{rules.PLAN_EXAMPLE}`")
    if not flags.get("sections"):
        raise UserError(f"Which sections? Example: `{rules.PLAN_EXAMPLE}`")
    async with caller.services.db.session() as session:
        found = await caller.find(session, club.find_club, club_id)
        planned = await club.plan(
            session,
            club=found,
            meeting_text=str(flags["meeting"]),
            sections_text=str(flags["sections"]),
            now=caller.now,
        )
    caller.services.courier.wake()
    assert planned.round.meeting_at is not None
    return Reply(
        f"🗓️ Planned: {len(planned.milestones)} weekly milestones for "
        f"{blocks.book_text(planned.book)}, meeting {slack_date(planned.round.meeting_at)}."
    )


async def _history(caller: Caller, args: list[str]) -> Reply:
    club_id = given_id(args[0] if args else None, "/community bookclub history 3", "club id")
    async with caller.services.db.session() as session:
        found = await caller.find(session, club.find_club, club_id)
        items = await club.history(session, club=found)
    return Reply(
        blocks.history_text(
            found.title,
            [(r.meeting_at or r.opened_at, book, r.finished_count) for r, book in items],
        )
    )


SUBCOMMANDS: dict[str, Subcommand] = {
    "help": _help,
    "propose": _propose,
    "withdraw": _withdraw,
    "vote": _vote,
    "plan": _plan,
    "history": _history,
}


handle = by_word("bookclub", SUBCOMMANDS, USAGE)
