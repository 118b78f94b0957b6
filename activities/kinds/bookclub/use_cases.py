"""Book-club use-cases: propose, +1, withdraw, open the vote (a poll), settle it, plan,
record progress (the dated steps of a round are in steps.py).

Each runs in the caller's transaction; messages are intents. The vote is a poll made
by the poll kind's own `create_poll`, tied to the club by its activity id; the book
club reads the closed poll's tally, the poll kind knows nothing of book clubs.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from activities import intents, rsvp_answers
from activities.actor import Actor
from activities.errors import UserError
from activities.kind import RunContext
from activities.kinds.bookclub import intents as club_intents
from activities.kinds.bookclub import rules
from activities.kinds.poll import use_cases as polls
from activities.kinds.poll.rules import build_poll_spec
from activities.lookup import KindLookup
from activities.text import escape_mrkdwn
from storage import rsvps as rsvp_store
from storage.kinds.bookclub import queries as store
from storage.kinds.bookclub.models import (
    BookMilestone,
    BookProposal,
    BookRound,
    ProposalStatus,
)
from storage.kinds.poll import queries as poll_store
from storage.models import Activity, in_activity

log = logging.getLogger(__name__)

NO_CLUB = "I can't find that book club. Its id is in `/community activities`."
WHICH_CLUB = "Which club? Add `--club <id>` (ids: `/community activities`)."
NOT_YOURS = "Only the person who proposed a book (or an organiser) can withdraw it."
NO_PROPOSAL = "I can't find that proposal any more."
VOTE_OPEN = "This club's vote is already open: it closes with its poll."
READING = "This club is reading *{book}*: plan its meeting before the next vote."
NO_BOOK = (
    "This club has no current book yet: open a vote first (`/community bookclub vote <club>`)."
)
NOT_OPEN = "That milestone isn't one I posted, so nothing was changed."


# --------------------------------------------------------------------------- clubs


CLUBS = KindLookup(store.KIND, missing=NO_CLUB, which=WHICH_CLUB)
load_club = CLUBS.load
# The club named, else the one in this channel, else the workspace's only club.
find_club = CLUBS.find


async def _board_changed(session: AsyncSession, club: Activity, now: datetime) -> None:
    """Post the proposals message if it isn't up yet, and ask for it to be redrawn."""
    assert club.id is not None
    await intents.say(session, team_id=club.team_id, intent=club_intents.BOARD.of(club.id), now=now)
    await intents.refresh(
        session, team_id=club.team_id, intent=club_intents.BOARD_UPDATE.of(club.id), now=now
    )


# --------------------------------------------------------------------------- proposals


@dataclass(frozen=True, slots=True)
class Proposed:
    proposal: BookProposal
    merged: bool


async def propose(
    session: AsyncSession, actor: Actor, *, club: Activity, book: rules.ProposalInput
) -> Proposed:
    """A new proposal with the proposer's +1; the same book again is merged (a +1)."""
    assert club.id is not None
    user_id, now = actor.user_id, actor.now
    key = rules.match_key(book.title, book.author)
    existing = await store.find_proposal(session, activity_id=club.id, match_key=key)
    if existing is None:
        created = await store.add_proposal(
            session,
            BookProposal(
                **in_activity(club),
                proposer_id=user_id,
                match_key=key,
                created_at=now,
                **asdict(book),  # the checked texts, named as the proposal's columns
            ),
        )
        existing = created or await store.find_proposal(session, activity_id=club.id, match_key=key)
        merged = created is None
    else:
        merged = True
    assert existing is not None and existing.id is not None
    if existing.status == ProposalStatus.READ:
        raise UserError(f"The club already read *{escape_mrkdwn(existing.title)}*.")
    if existing.status == ProposalStatus.CURRENT:
        raise UserError(f"*{escape_mrkdwn(existing.title)}* is the club's current book.")
    if existing.status == ProposalStatus.WITHDRAWN:
        await store.set_status(
            session, proposal_id=existing.id, status=ProposalStatus.PROPOSED, proposer_id=user_id
        )
        existing.status, existing.proposer_id, merged = ProposalStatus.PROPOSED, user_id, False
    await store.add_upvote(
        session, team_id=club.team_id, proposal_id=existing.id, user_id=user_id, now=now
    )
    await _board_changed(session, club, now)
    log.info("book proposed", extra={"team_id": club.team_id, "club": club.id, "merged": merged})
    return Proposed(existing, merged)


async def _open_proposal(session: AsyncSession, actor: Actor, proposal_id: int) -> BookProposal:
    proposal = await store.get_proposal(session, team_id=actor.team_id, proposal_id=proposal_id)
    if proposal is None or proposal.status != ProposalStatus.PROPOSED:
        raise UserError(NO_PROPOSAL)
    return proposal


async def _proposals_changed(session: AsyncSession, actor: Actor, proposal: BookProposal) -> None:
    club = await load_club(session, team_id=actor.team_id, activity_id=proposal.activity_id)
    await _board_changed(session, club, actor.now)


async def toggle_upvote(
    session: AsyncSession, actor: Actor, *, proposal_id: int
) -> tuple[BookProposal, bool]:
    """+1 a proposed book, or take the +1 back on a second click; (proposal, now upvoted)."""
    proposal = await _open_proposal(session, actor, proposal_id)
    added = await store.add_upvote(
        session,
        team_id=actor.team_id,
        proposal_id=proposal_id,
        user_id=actor.user_id,
        now=actor.now,
    )
    if not added:
        await store.remove_upvote(session, proposal_id=proposal_id, user_id=actor.user_id)
    await _proposals_changed(session, actor, proposal)
    return proposal, added


async def withdraw(
    session: AsyncSession, actor: Actor, *, proposal_id: int, may_organise: bool
) -> BookProposal:
    proposal = await _open_proposal(session, actor, proposal_id)
    if proposal.proposer_id != actor.user_id and not may_organise:
        raise UserError(NOT_YOURS)
    assert proposal.id is not None
    await store.set_status(session, proposal_id=proposal.id, status=ProposalStatus.WITHDRAWN)
    await _proposals_changed(session, actor, proposal)
    return proposal


# --------------------------------------------------------------------------- vote


async def open_vote(
    session: AsyncSession, actor: Actor, *, club: Activity, closes_after: timedelta
) -> BookRound:
    """A poll among the top proposals (by +1s), through the poll kind's own code."""
    assert club.id is not None
    now = actor.now
    current = await store.current_round(session, activity_id=club.id)
    if current is not None and current.settled_at is None:
        poll = await poll_store.get_poll(session, poll_id=current.poll_id or 0)
        if poll is not None and poll.deleted_at is None:
            raise UserError(VOTE_OPEN)
        # Its poll was deleted: that round is over, without a book.
        assert current.id is not None
        await store.finish_round(session, round_id=current.id, finished_count=0, now=now)
        current = None
    if current is not None and current.book_id is not None:
        book = await store.get_proposal(session, team_id=club.team_id, proposal_id=current.book_id)
        raise UserError(READING.format(book=escape_mrkdwn(book.title if book else "a book")))
    ranked = await store.ranked_proposals(session, activity_id=club.id)
    options = rules.vote_options([(p.id or 0, p.title, p.author) for p, _ in ranked])
    spec = build_poll_spec(
        f"📚 {club.title}: which book next?",
        [label for _, label in options],
        closes_at=now + closes_after,
        now=now,
    )
    poll = await polls.create_poll(
        session,
        actor=actor,
        channel_id=club.channel_id,
        spec=spec,
        activity_id=club.id,
    )
    round_ = await store.add_round(
        session,
        BookRound(
            **in_activity(club),
            poll_id=poll.id,
            proposal_ids=[pid for pid, _ in options],
            opened_at=now,
        ),
    )
    log.info("book vote opened", extra={"team_id": club.team_id, "club": club.id, "poll": poll.id})
    return round_


async def settle_votes(session: AsyncSession, *, now: datetime) -> list[int]:
    """Closed polls of clubs not yet settled: the winner becomes the current book;
    the runners-up stay proposed with their +1s."""
    settled: list[int] = []
    for round_, poll in await store.rounds_to_settle(session):
        assert round_.id is not None
        tally, _ = await polls.load_tally(session, poll)
        upvotes = await store.upvote_counts(session, proposal_ids=round_.proposal_ids)
        index = rules.winner_index(
            list(tally.counts)[: len(round_.proposal_ids)],
            [upvotes.get(pid, 0) for pid in round_.proposal_ids],
        )
        book_id = round_.proposal_ids[index]
        if not await store.claim_settle(session, round_id=round_.id, book_id=book_id, now=now):
            continue
        await store.set_status(session, proposal_id=book_id, status=ProposalStatus.CURRENT)
        await intents.say(
            session, team_id=round_.team_id, intent=club_intents.WINNER.of(round_.id), now=now
        )
        await intents.refresh(
            session,
            team_id=round_.team_id,
            intent=club_intents.BOARD_UPDATE.of(round_.activity_id),
            now=now,
        )
        settled.append(round_.id)
    return settled


# --------------------------------------------------------------------------- plan


@dataclass(frozen=True, slots=True)
class Plan:
    round: BookRound
    book: BookProposal
    milestones: list[BookMilestone]


async def plan(
    session: AsyncSession,
    *,
    club: Activity,
    meeting_text: str,
    sections_text: str,
    now: datetime,
) -> Plan:
    """Set the meeting and spread the sections over the weeks before it (all or nothing)."""
    assert club.id is not None
    round_ = await store.current_round(session, activity_id=club.id)
    if round_ is None or round_.book_id is None:
        raise UserError(NO_BOOK)
    assert round_.id is not None
    if round_.started_at is not None:
        raise UserError("This book's meeting has already started; it can't be moved now.")
    book = await store.get_proposal(session, team_id=club.team_id, proposal_id=round_.book_id)
    assert book is not None
    meeting_at = rules.parse_meeting(
        meeting_text,
        at=rules.meeting_time_of(club.schedule_rule),
        timezone=club.timezone,
        now=now,
    )
    sections = rules.parse_sections(sections_text)
    due = rules.spread(sections, meeting_at=meeting_at, now=now)
    old_meeting = round_.meeting_at
    await store.set_plan(
        session, round_=round_, meeting_at=meeting_at, sections=sections, due=due, now=now
    )
    key = rules.event_key(club.id, meeting_at, club.timezone)
    await rsvp_answers.open_event(
        session,
        team_id=club.team_id,
        event_key=key,
        title=f"{club.title}: {book.title}",
        channel_id=club.channel_id,
        starts_at=meeting_at,
        message=club_intents.MEETING_UPDATE.of(round_.id),
        now=now,
    )
    if old_meeting is not None and old_meeting != meeting_at:
        old_key = rules.event_key(club.id, old_meeting, club.timezone)
        await _moved(session, club, round_, old_key, key, now)
    await intents.say(
        session, team_id=club.team_id, intent=club_intents.plan(round_.id, now), now=now
    )
    return Plan(round_, book, await store.milestones(session, round_id=round_.id))


async def _moved(
    session: AsyncSession,
    club: Activity,
    round_: BookRound,
    old_key: str,
    new_key: str,
    now: datetime,
) -> None:
    """A re-planned meeting: answers move with it, the RSVP message is redrawn, and
    those going are told the new date."""
    assert round_.id is not None
    if old_key != new_key:
        await rsvp_store.cancel_event(session, team_id=club.team_id, event_key=old_key, now=now)
        await rsvp_store.move_answers(
            session, team_id=club.team_id, old_key=old_key, new_key=new_key
        )
    if round_.rsvp_posted_at is not None:
        await intents.refresh(
            session, team_id=club.team_id, intent=club_intents.MEETING_UPDATE.of(round_.id), now=now
        )
    for user_id in await rsvp_store.going(session, team_id=club.team_id, event_key=new_key):
        await intents.say(
            session,
            team_id=club.team_id,
            intent=club_intents.moved(round_.id, user_id, now),
            now=now,
        )


async def record_progress(
    session: AsyncSession, actor: Actor, *, milestone_id: int, answer: str
) -> BookMilestone:
    if answer not in rules.PROGRESS:
        raise ValueError(answer)
    milestone = await store.get_milestone(session, team_id=actor.team_id, milestone_id=milestone_id)
    if milestone is None or milestone.posted_at is None:
        raise UserError(NOT_OPEN)
    await store.set_progress(
        session, milestone=milestone, user_id=actor.user_id, answer=answer, now=actor.now
    )
    return milestone


async def refresh_milestone(
    session: AsyncSession, *, milestone: BookMilestone, now: datetime
) -> None:
    assert milestone.id is not None
    await intents.refresh(
        session,
        team_id=milestone.team_id,
        intent=club_intents.MILESTONE_UPDATE.of(milestone.id),
        now=now,
    )


async def history(session: AsyncSession, *, club: Activity) -> list[tuple[BookRound, BookProposal]]:
    assert club.id is not None
    rounds = await store.history(session, activity_id=club.id)
    books = await store.proposals_by_id(
        session, proposal_ids=[r.book_id for r in rounds if r.book_id is not None]
    )
    return [(r, books[r.book_id]) for r in rounds if r.book_id in books]


# --------------------------------------------------------------------------- kind


async def run(ctx: RunContext) -> None:
    """A slot of the club's cadence: nudge members to propose and +1 the next books."""
    assert ctx.activity.id is not None and ctx.run.id is not None
    await intents.say(
        ctx.session,
        team_id=ctx.activity.team_id,
        intent=club_intents.nudge(ctx.activity.id, ctx.run.id),
        now=ctx.now,
    )


async def waiting(session: AsyncSession, *, team_id: str) -> list[tuple[Activity, int]]:
    """Clubs between books (no vote open, nothing being read) with books proposed: an
    organiser can open the vote. Each with how many books are proposed."""
    found = []
    for club in await CLUBS.live(session, team_id=team_id):
        assert club.id is not None
        if await store.current_round(session, activity_id=club.id) is not None:
            continue
        proposed = await store.count_proposed(session, activity_id=club.id)
        if proposed:
            found.append((club, proposed))
    return found
