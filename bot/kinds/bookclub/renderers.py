"""How a book club's intents are sent: the board and its updates, the vote's outcome,
milestones with their threads, the meeting's RSVP message, reminders, history."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from activities import rsvp_answers
from activities.intents import IdIntentType, IntentType
from activities.kind import read_settings
from activities.kinds.bookclub import intents, rules
from activities.kinds.bookclub.rules import BookClubSettings
from activities.kinds.poll import use_cases as polls
from bot.blocks.common import Block, section
from bot.delivery import Defer, Delivery, Post, Render, Renderer, Skip, Update
from bot.kind_renderers import in_its_channel, row_activity
from bot.kinds.bookclub import blocks
from storage import activities as activity_store
from storage import members, outbox
from storage.kinds.bookclub import queries as store
from storage.kinds.bookclub.models import BookProposal, BookRound
from storage.kinds.poll import queries as poll_store
from storage.models import Activity, OutboxMessage


@dataclass(frozen=True, slots=True)
class Loaded:
    club: Activity
    round: BookRound
    book: BookProposal


async def _loaded(session: AsyncSession, team_id: str, round_id: int) -> Loaded | None:
    """A round with its club and its book, or None if any of them is gone."""
    round_ = await store.get_round(session, round_id=round_id)
    if round_ is None or round_.book_id is None:
        return None
    club = await activity_store.get_activity(
        session, team_id=team_id, activity_id=round_.activity_id
    )
    book = await store.get_proposal(session, team_id=team_id, proposal_id=round_.book_id)
    if club is None or book is None:
        return None
    return Loaded(club, round_, book)


async def _round(session: AsyncSession, row: OutboxMessage) -> Loaded | None:
    return await _loaded(session, row.team_id, int(row.payload["round_id"]))


MessageOf = Callable[
    [AsyncSession, OutboxMessage], Awaitable[tuple[Activity, str, list[Block]] | None]
]


def _post_then_update(
    message_of: MessageOf, posted_as: IdIntentType, *, gone: str
) -> tuple[Render, Render]:
    """One message drawn once: posted in the club's channel (as `posted_as`), then redrawn
    in place (the posted one found by the key of the id the update row is about)."""

    async def post(session: AsyncSession, row: OutboxMessage) -> Delivery:
        found = await message_of(session, row)
        if found is None:
            return Skip(gone)
        club, text, body = found
        return Post(text=text, blocks=body, channel=club.channel_id)

    async def update(session: AsyncSession, row: OutboxMessage) -> Delivery:
        posted = await _sent(session, posted_as.key_of(int(row.payload[posted_as.about])))
        found = await message_of(session, row)
        if found is None:
            return Skip(gone)
        _, text, body = found
        return Update(channel=posted.channel_id, ts=posted.ts, text=text, blocks=body)

    return post, update


async def _sent(session: AsyncSession, key: str) -> OutboxMessage:
    """The sent message behind `key` (to update or thread under); not sent yet: try later."""
    posted = await outbox.get_by_key(session, dedupe_key=key)
    if posted is None or not posted.ts:
        raise Defer("the message is not posted yet")
    return posted


# --------------------------------------------------------------------------- board


async def _board_message(
    session: AsyncSession, row: OutboxMessage
) -> tuple[Activity, str, list[Block]]:
    club = await row_activity(session, row)
    if club is None or club.id is None:
        raise LookupError("club deleted")
    ranked = await store.ranked_proposals(session, activity_id=club.id)
    current = await store.current_round(session, activity_id=club.id)
    reading = None
    if current is not None and current.book_id is not None:
        book = await store.get_proposal(session, team_id=club.team_id, proposal_id=current.book_id)
        reading = blocks.book_text(book) if book else None
    text, body = blocks.board(club.title, club.id, ranked, reading)
    return club, text, body


async def _board(session: AsyncSession, row: OutboxMessage) -> Delivery:
    try:
        club, text, body = await _board_message(session, row)
    except LookupError:
        return Skip("club deleted")
    return Post(text=text, blocks=body, channel=club.channel_id)


async def _board_update(session: AsyncSession, row: OutboxMessage) -> Delivery:
    posted = await _sent(session, intents.BOARD.key_of(int(row.payload["activity_id"])))
    try:
        _, text, body = await _board_message(session, row)
    except LookupError:
        return Skip("club deleted")
    return Update(channel=posted.channel_id, ts=posted.ts, text=text, blocks=body)


# --------------------------------------------------------------------------- vote and plan


async def _winner(session: AsyncSession, row: OutboxMessage) -> Delivery:
    loaded = await _round(session, row)
    if loaded is None or loaded.round.poll_id is None:
        return Skip("round gone")
    poll = await poll_store.get_poll(session, poll_id=loaded.round.poll_id)
    if poll is None:
        return Skip("poll gone")
    tally, _ = await polls.load_tally(session, poll)
    index = loaded.round.proposal_ids.index(loaded.book.id or 0)
    votes = tally.counts[index] if index < len(tally.counts) else 0
    text = blocks.winner(loaded.book, votes, len(loaded.round.proposal_ids) - 1)
    return Post(text=text, blocks=[section(text)], channel=loaded.club.channel_id)


async def _plan(session: AsyncSession, row: OutboxMessage) -> Delivery:
    loaded = await _round(session, row)
    if loaded is None or loaded.round.meeting_at is None:
        return Skip("round gone")
    milestones = await store.milestones(session, round_id=loaded.round.id or 0)
    text = blocks.plan(loaded.book, loaded.round.meeting_at, milestones)
    return Post(text=text, blocks=[section(text)], channel=loaded.club.channel_id)


# --------------------------------------------------------------------------- milestones


async def _milestone_message(
    session: AsyncSession, row: OutboxMessage
) -> tuple[Activity, str, list[Block]] | None:
    milestone = await store.get_milestone(
        session, team_id=row.team_id, milestone_id=int(row.payload["milestone_id"])
    )
    if milestone is None or milestone.id is None:
        return None
    loaded = await _loaded(session, row.team_id, milestone.round_id)
    if loaded is None:
        return None
    counts = await store.progress_counts(session, milestone_id=milestone.id)
    text, body = blocks.milestone(loaded.book, milestone, len(loaded.round.sections), counts)
    return loaded.club, text, body


_milestone, _milestone_update = _post_then_update(
    _milestone_message, intents.MILESTONE, gone="milestone gone"
)


async def _milestone_thread(session: AsyncSession, row: OutboxMessage) -> Delivery:
    milestone_id = int(row.payload["milestone_id"])
    posted = await _sent(session, intents.MILESTONE.key_of(milestone_id))
    milestone = await store.get_milestone(session, team_id=row.team_id, milestone_id=milestone_id)
    if milestone is None:
        return Skip("milestone gone")
    text = blocks.milestone_thread(milestone)
    return Post(text=text, blocks=[section(text)], channel=posted.channel_id, thread_ts=posted.ts)


# --------------------------------------------------------------------------- meeting


async def _meeting_message(
    session: AsyncSession, row: OutboxMessage
) -> tuple[Activity, str, list[Block]] | None:
    loaded = await _round(session, row)
    if loaded is None or loaded.round.meeting_at is None or loaded.club.id is None:
        return None
    key = rules.event_key(loaded.club.id, loaded.round.meeting_at, loaded.club.timezone)
    event = await rsvp_answers.state(session, team_id=row.team_id, event_key=key)
    text, body = blocks.meeting(loaded.club.title, loaded.book, loaded.round.meeting_at, event)
    return loaded.club, text, body


_meeting, _meeting_update = _post_then_update(_meeting_message, intents.MEETING, gone="round gone")


async def _meeting_dm(
    session: AsyncSession,
    row: OutboxMessage,
    text_of: Callable[[BookProposal, datetime, str], str],
    *,
    reminder: bool = False,
) -> Delivery:
    """A DM about the round's meeting: `text_of(book, meeting time, the member's zone)`,
    the zone being the club's when the member has none. A `reminder` is pointless once
    the meeting has started."""
    loaded = await _round(session, row)
    if loaded is None or loaded.round.meeting_at is None:
        return Skip("round gone")
    user_id = str(row.payload["user_id"])
    member = await members.get_member(session, team_id=row.team_id, user_id=user_id)
    zone = member.timezone if member and member.timezone else loaded.club.timezone
    at = loaded.round.meeting_at
    text = text_of(loaded.book, at, zone)
    return Post(
        text=text,
        blocks=[section(text)],
        users=(user_id,),
        pointless_after=at if reminder else None,
    )


async def _reminder(session: AsyncSession, row: OutboxMessage) -> Delivery:
    stage = str(row.payload["stage"])
    return await _meeting_dm(
        session, row, lambda book, at, zone: blocks.reminder(book, at, stage, zone), reminder=True
    )


async def _moved(session: AsyncSession, row: OutboxMessage) -> Delivery:
    return await _meeting_dm(session, row, blocks.moved)


async def _discussion(session: AsyncSession, row: OutboxMessage) -> Delivery:
    loaded = await _round(session, row)
    if loaded is None:
        return Skip("round gone")
    settings = read_settings(BookClubSettings, loaded.club)
    text = blocks.discussion(loaded.book, settings.call_link, settings.prompts)
    return Post(text=text, blocks=[section(text)], channel=loaded.club.channel_id)


async def _history(session: AsyncSession, row: OutboxMessage) -> Delivery:
    loaded = await _round(session, row)
    if loaded is None or loaded.round.meeting_at is None:
        return Skip("round gone")
    text = blocks.history_entry(loaded.book, loaded.round.meeting_at, loaded.round.finished_count)
    return Post(text=text, blocks=[section(text)], channel=loaded.club.channel_id)


RENDERERS: dict[IntentType, Renderer] = {
    intents.BOARD: Renderer(_board),
    intents.BOARD_UPDATE: Renderer(_board_update),
    intents.NUDGE: in_its_channel(blocks.nudge, gone="club deleted"),
    intents.WINNER: Renderer(_winner),
    intents.PLAN: Renderer(_plan),
    intents.MILESTONE: Renderer(_milestone),
    intents.MILESTONE_UPDATE: Renderer(_milestone_update),
    intents.MILESTONE_THREAD: Renderer(_milestone_thread),
    intents.MEETING: Renderer(_meeting),
    intents.MEETING_UPDATE: Renderer(_meeting_update),
    intents.REMINDER: Renderer(_reminder),
    intents.DISCUSSION: Renderer(_discussion),
    intents.HISTORY: Renderer(_history),
    intents.MOVED: Renderer(_moved),
}
