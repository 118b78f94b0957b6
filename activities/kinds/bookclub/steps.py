"""The book club's dated steps, run by its periodic task: each due milestone, and each
planned meeting's RSVP message, reminders, discussion and history entry. Every step is
claimed in the database first, so a restart or a second process never repeats one."""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from activities import due, intents
from activities.kinds.bookclub import intents as club_intents
from activities.kinds.bookclub import rules
from activities.moments import step_moments
from storage import activities as activity_store
from storage import rsvps as rsvp_store
from storage.kinds.bookclub import queries as store
from storage.kinds.bookclub.models import BookRound, ProposalStatus
from storage.models import Activity, ActivityState


async def post_milestones(session: AsyncSession, *, now: datetime) -> list[int]:
    """Each due milestone once: its message, then its spoiler-safe thread."""
    posted: list[int] = []
    for milestone in await store.due_milestones(session, now=now):
        assert milestone.id is not None
        if not await store.claim_milestone(session, milestone_id=milestone.id, now=now):
            continue
        for intent in (
            club_intents.MILESTONE.of(milestone.id),
            club_intents.MILESTONE_THREAD.of(milestone.id),
        ):
            await intents.say(session, team_id=milestone.team_id, intent=intent, now=now)
        posted.append(milestone.id)
    return posted


async def meeting_steps(session: AsyncSession, *, now: datetime) -> list[tuple[int, str]]:
    """Walk each planned round's dated steps; each is claimed once, whoever runs it."""
    done: list[tuple[int, str]] = []
    for round_ in await store.planned_rounds(session):
        assert round_.id is not None and round_.meeting_at is not None
        club = await activity_store.get_activity(
            session, team_id=round_.team_id, activity_id=round_.activity_id
        )
        if club is None:
            continue
        if club.state == ActivityState.CANCELLED:
            await _club_cancelled(session, club, round_, now)
            done.append((round_.id, "cancelled"))
            continue
        finished = {
            step
            for step in (
                "rsvp_posted_at",
                "day_reminded_at",
                "soon_reminded_at",
                "started_at",
                "finished_at",
            )
            if getattr(round_, step) is not None
        }
        for step in rules.due_steps(
            meeting_at=round_.meeting_at, now=now, done=frozenset(finished)
        ):
            if await _do_step(session, club, round_, step, now):
                done.append((round_.id, step))
    return done


async def _club_cancelled(
    session: AsyncSession, club: Activity, round_: BookRound, now: datetime
) -> None:
    """A cancelled club's meeting is cancelled: RSVPs are refused, the message says so."""
    assert club.id is not None and round_.id is not None and round_.meeting_at is not None
    if not await store.finish_round(session, round_id=round_.id, finished_count=0, now=now):
        return
    key = rules.event_key(club.id, round_.meeting_at, club.timezone)
    await rsvp_store.cancel_event(session, team_id=club.team_id, event_key=key, now=now)
    if round_.rsvp_posted_at is not None:
        await intents.refresh(
            session, team_id=club.team_id, intent=club_intents.MEETING_UPDATE.of(round_.id), now=now
        )


async def _do_step(
    session: AsyncSession, club: Activity, round_: BookRound, step: str, now: datetime
) -> bool:
    assert round_.id is not None and round_.meeting_at is not None
    team_id = round_.team_id
    if step == "finished_at":
        count = await store.finished_readers(session, round_id=round_.id)
        if not await store.finish_round(session, round_id=round_.id, finished_count=count, now=now):
            return False
        if round_.book_id is not None:
            await store.set_status(session, proposal_id=round_.book_id, status=ProposalStatus.READ)
        await intents.say(
            session, team_id=team_id, intent=club_intents.HISTORY.of(round_.id), now=now
        )
        return True
    if not await store.claim_step(session, round_id=round_.id, step=step, now=now):
        return False
    if step == "rsvp_posted_at":
        await intents.say(
            session, team_id=team_id, intent=club_intents.MEETING.of(round_.id), now=now
        )
    elif step == "started_at":
        await intents.say(
            session, team_id=team_id, intent=club_intents.DISCUSSION.of(round_.id), now=now
        )
    else:
        assert club.id is not None
        key = rules.event_key(club.id, round_.meeting_at, club.timezone)
        stage = "day" if step == "day_reminded_at" else "soon"
        for user_id in await rsvp_store.going(session, team_id=team_id, event_key=key):
            await intents.say(
                session,
                team_id=team_id,
                intent=club_intents.REMINDER.of(round_.id, stage, user_id, round_.meeting_at),
                now=now,
            )
    return True


async def next_due(session: AsyncSession, *, now: datetime) -> datetime | None:
    """When `post_milestones` or `meeting_steps` next has something to do (votes settle
    when their poll closes: the poll's own deadline)."""
    moments: list[datetime | None] = [
        moment
        for round_ in await store.planned_rounds(session)
        if round_.meeting_at is not None
        for moment in step_moments(round_.meeting_at, rules.MEETING_STEPS)
    ]
    moments.append(await store.next_milestone(session, now=now))
    return due.next_after(now, moments)
