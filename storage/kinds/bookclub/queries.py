"""Book-club queries; each dated step is claimed with a compare-and-set (UPDATE … WHERE … NULL)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.due import earliest_after
from storage.kinds.bookclub.models import (
    BookMilestone,
    BookProgress,
    BookProposal,
    BookRound,
    BookUpvote,
    ProposalStatus,
)
from storage.kinds.poll.models import Poll
from storage.rows import (
    add_row,
    count_rows,
    dated_column,
    in_status,
    mark_once,
    row_where,
    rows_by_key,
    rows_where,
    team_row,
)
from storage.savepoint import add_unique
from storage.upsert import insert

KIND = "bookclub"


# --------------------------------------------------------------------------- clubs


# --------------------------------------------------------------------------- proposals


async def find_proposal(
    session: AsyncSession, *, activity_id: int, match_key: str
) -> BookProposal | None:
    same_book = (BookProposal.activity_id == activity_id, BookProposal.match_key == match_key)
    return await row_where(session, model=BookProposal, where=same_book)


async def add_proposal(session: AsyncSession, proposal: BookProposal) -> BookProposal | None:
    """Insert a new proposal; None if the same book was proposed meanwhile."""
    return proposal if await add_unique(session, proposal) else None


async def get_proposal(
    session: AsyncSession, *, team_id: str, proposal_id: int
) -> BookProposal | None:
    return await team_row(session, model=BookProposal, team_id=team_id, row_id=proposal_id)


async def set_status(
    session: AsyncSession, *, proposal_id: int, status: str, proposer_id: str | None = None
) -> None:
    values: dict[str, Any] = {"status": status}
    if proposer_id is not None:
        values["proposer_id"] = proposer_id
    await session.exec(
        update(BookProposal).where(col(BookProposal.id) == proposal_id).values(**values)
    )


async def add_upvote(
    session: AsyncSession, *, team_id: str, proposal_id: int, user_id: str, now: datetime
) -> bool:
    """One +1 per person and proposal: True if this one was new."""
    stmt = insert(session, BookUpvote).values(
        team_id=team_id, proposal_id=proposal_id, user_id=user_id, created_at=now
    )
    result = await session.exec(
        stmt.on_conflict_do_nothing(index_elements=["proposal_id", "user_id"])
    )
    return int(result.rowcount) == 1


async def remove_upvote(session: AsyncSession, *, proposal_id: int, user_id: str) -> bool:
    result = await session.exec(
        delete(BookUpvote).where(
            col(BookUpvote.proposal_id) == proposal_id, col(BookUpvote.user_id) == user_id
        )
    )
    return int(result.rowcount) == 1


def _proposed(activity_id: int) -> tuple[ColumnElement[bool], ...]:
    """Books proposed in a club and not yet read, withdrawn or being read."""
    return in_status(BookProposal, activity_id, ProposalStatus.PROPOSED)


async def ranked_proposals(
    session: AsyncSession, *, activity_id: int, limit: int = 50
) -> list[tuple[BookProposal, int]]:
    """Proposed books with their +1s, most first (then the earliest proposed)."""
    votes = func.count(col(BookUpvote.id))
    rows = await session.exec(
        select(BookProposal, votes)
        .outerjoin(BookUpvote, col(BookUpvote.proposal_id) == col(BookProposal.id))
        .where(*_proposed(activity_id))
        .group_by(col(BookProposal.id))
        .order_by(votes.desc(), col(BookProposal.id))
        .limit(limit)
    )
    return [(p, int(n)) for p, n in rows.all()]


async def count_proposed(session: AsyncSession, *, activity_id: int) -> int:
    return await count_rows(session, table=BookProposal, where=_proposed(activity_id))


async def upvote_counts(session: AsyncSession, *, proposal_ids: Sequence[int]) -> dict[int, int]:
    if not proposal_ids:
        return {}
    rows = await session.exec(
        select(BookUpvote.proposal_id, func.count())
        .where(col(BookUpvote.proposal_id).in_(list(proposal_ids)))
        .group_by(col(BookUpvote.proposal_id))
    )
    return {int(p): int(n) for p, n in rows.all()}


async def proposals_by_id(
    session: AsyncSession, *, proposal_ids: Sequence[int]
) -> dict[int, BookProposal]:
    return await rows_by_key(session, model=BookProposal, key=BookProposal.id, keys=proposal_ids)


# --------------------------------------------------------------------------- rounds


async def current_round(session: AsyncSession, *, activity_id: int) -> BookRound | None:
    """The club's round under way (a vote open, a book being read), if any."""
    unfinished = (BookRound.activity_id == activity_id, col(BookRound.finished_at).is_(None))
    newest = (col(BookRound.id).desc(),)
    return await row_where(session, model=BookRound, where=unfinished, order_by=newest)


async def get_round(session: AsyncSession, *, round_id: int) -> BookRound | None:
    return await session.get(BookRound, round_id)


async def add_round(session: AsyncSession, round_: BookRound) -> BookRound:
    return await add_row(session, row=round_)


async def rounds_to_settle(
    session: AsyncSession, *, limit: int = 50
) -> list[tuple[BookRound, Poll]]:
    """Rounds whose poll has closed and whose winner is not chosen yet."""
    result = await session.exec(
        select(BookRound, Poll)
        .join(Poll, col(Poll.id) == col(BookRound.poll_id))
        .where(col(BookRound.settled_at).is_(None), col(Poll.closed_at).is_not(None))
        .limit(limit)
    )
    return list(result.all())


async def claim_settle(
    session: AsyncSession, *, round_id: int, book_id: int, now: datetime
) -> bool:
    """Settle a round's vote on `book_id`: True only for the first to settle it."""
    step = col(BookRound.settled_at)
    also = {col(BookRound.book_id): book_id}
    return await mark_once(session, model=BookRound, row_id=round_id, step=step, now=now, also=also)


async def claim_step(session: AsyncSession, *, round_id: int, step: str, now: datetime) -> bool:
    """Mark one dated step of a round done (`rsvp_posted_at`, `started_at`…): True only once."""
    column = dated_column(BookRound, step)
    return await mark_once(session, model=BookRound, row_id=round_id, step=column, now=now)


async def set_plan(
    session: AsyncSession,
    *,
    round_: BookRound,
    meeting_at: datetime,
    sections: Sequence[str],
    due: Sequence[datetime],
    now: datetime,
) -> None:
    """Replace the round's plan: its meeting and the sections still to come.

    Milestones already posted stay (people answered on them); the new sections
    follow them, so a re-plan mid-book gives the sections left to read.
    """
    assert round_.id is not None
    await session.exec(
        delete(BookMilestone).where(
            col(BookMilestone.round_id) == round_.id, col(BookMilestone.posted_at).is_(None)
        )
    )
    kept = await milestones(session, round_id=round_.id)
    round_.meeting_at = meeting_at
    round_.sections = [m.section for m in kept] + list(sections)
    round_.planned_at = now
    # A moved meeting is reminded again for its new date.
    round_.day_reminded_at = round_.soon_reminded_at = None
    session.add(round_)
    for offset, (section, due_at) in enumerate(zip(sections, due, strict=True)):
        session.add(
            BookMilestone(
                team_id=round_.team_id,
                round_id=round_.id,
                position=len(kept) + offset,
                section=section,
                due_at=due_at,
            )
        )
    await session.flush()


async def planned_rounds(session: AsyncSession, *, limit: int = 100) -> list[BookRound]:
    """Rounds with a meeting that are not finished: the periodic task walks their steps."""
    planned = (col(BookRound.meeting_at).is_not(None), col(BookRound.finished_at).is_(None))
    return await rows_where(session, model=BookRound, where=planned, limit=limit)


async def finish_round(
    session: AsyncSession, *, round_id: int, finished_count: int, now: datetime
) -> bool:
    """Finish a round with how many read the book: True only for the first to finish it."""
    step = col(BookRound.finished_at)
    also = {col(BookRound.finished_count): finished_count}
    return await mark_once(session, model=BookRound, row_id=round_id, step=step, now=now, also=also)


async def history(session: AsyncSession, *, activity_id: int, limit: int = 20) -> list[BookRound]:
    return await rows_where(
        session,
        model=BookRound,
        where=(
            BookRound.activity_id == activity_id,
            col(BookRound.started_at).is_not(None),  # met: not a cancelled club's round
            col(BookRound.finished_at).is_not(None),
            col(BookRound.book_id).is_not(None),
        ),
        order_by=(col(BookRound.meeting_at).desc(),),
        limit=limit,
    )


# --------------------------------------------------------------------------- milestones


async def due_milestones(
    session: AsyncSession, *, now: datetime, limit: int = 100
) -> list[BookMilestone]:
    due = (col(BookMilestone.posted_at).is_(None), col(BookMilestone.due_at) <= now)
    earliest = (col(BookMilestone.due_at),)
    return await rows_where(session, model=BookMilestone, where=due, order_by=earliest, limit=limit)


async def claim_milestone(session: AsyncSession, *, milestone_id: int, now: datetime) -> bool:
    posted = col(BookMilestone.posted_at)
    return await mark_once(session, model=BookMilestone, row_id=milestone_id, step=posted, now=now)


async def get_milestone(
    session: AsyncSession, *, team_id: str, milestone_id: int
) -> BookMilestone | None:
    return await team_row(session, model=BookMilestone, team_id=team_id, row_id=milestone_id)


async def milestones(session: AsyncSession, *, round_id: int) -> list[BookMilestone]:
    of_round = (BookMilestone.round_id == round_id,)
    in_order = (col(BookMilestone.position),)
    return await rows_where(session, model=BookMilestone, where=of_round, order_by=in_order)


async def set_progress(
    session: AsyncSession, *, milestone: BookMilestone, user_id: str, answer: str, now: datetime
) -> None:
    stmt = insert(session, BookProgress).values(
        team_id=milestone.team_id,
        round_id=milestone.round_id,
        milestone_id=milestone.id,
        user_id=user_id,
        answer=answer,
        updated_at=now,
    )
    await session.exec(
        stmt.on_conflict_do_update(
            index_elements=["milestone_id", "user_id"], set_={"answer": answer, "updated_at": now}
        )
    )


async def progress_counts(session: AsyncSession, *, milestone_id: int) -> dict[str, int]:
    rows = await session.exec(
        select(BookProgress.answer, func.count())
        .where(BookProgress.milestone_id == milestone_id)
        .group_by(col(BookProgress.answer))
    )
    return {str(a): int(n) for a, n in rows.all()}


async def finished_readers(session: AsyncSession, *, round_id: int) -> int:
    rows = await session.exec(
        select(func.count(func.distinct(col(BookProgress.user_id)))).where(
            BookProgress.round_id == round_id, BookProgress.answer == "finished"
        )
    )
    return int(rows.one())


async def next_milestone(session: AsyncSession, *, now: datetime) -> datetime | None:
    return await earliest_after(
        session,
        column=BookMilestone.due_at,
        where=(col(BookMilestone.posted_at).is_(None),),
        after=now,
    )
