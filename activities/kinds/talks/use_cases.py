"""Talk use-cases: volunteer, schedule, decline, move, cancel, the speaker's check-in,
each talk's dated steps and the series' call for speakers.

Each runs in the caller's transaction; what is said goes out as intents.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from activities import due, intents, manage, rsvp_answers, schedule
from activities.actor import Actor
from activities.errors import UserError
from activities.kind import RunContext, read_settings
from activities.kinds.talks import intents as talk_intents
from activities.kinds.talks import rules
from activities.lookup import KindLookup
from activities.moments import step_moments
from activities.text import escape_mrkdwn
from activities.waiting import Backlog
from storage import activities as activity_store
from storage import rsvps as rsvp_store
from storage.kinds.talks import queries as store
from storage.kinds.talks.models import Talk, TalkStatus
from storage.models import Activity, ActivityState, in_activity

log = logging.getLogger(__name__)

NO_SERIES = "I can't find that talk series. Its id is in `/community activities`."
WHICH_SERIES = "Which series? Add `--series <id>` (ids: `/community activities`)."
NO_TALK = "I can't find that talk. Its number is in the backlog on your Home tab."
DUPLICATE = "This series already has a talk called *{title}*: give yours another title."
NOT_SCHEDULED = "That talk isn't scheduled."
ALREADY_ANSWERED = "That talk was already {status}."


SERIES = KindLookup(store.KIND, missing=NO_SERIES, which=WHICH_SERIES)
load_series = SERIES.load
find_series = SERIES.find


async def load_talk(session: AsyncSession, *, team_id: str, talk_id: int) -> Talk:
    talk = await store.get_talk(session, team_id=team_id, talk_id=talk_id)
    if talk is None:
        raise UserError(NO_TALK)
    return talk


# --------------------------------------------------------------------------- volunteer


async def volunteer(
    session: AsyncSession,
    *,
    series: Activity,
    speaker_id: str,
    talk: rules.TalkInput,
    now: datetime,
) -> Talk:
    """A talk in the backlog, acknowledged to its speaker at once; a title twice is refused."""
    assert series.id is not None
    row = Talk(
        **in_activity(series),
        speaker_id=speaker_id,
        title=talk.title,
        title_key=rules.title_key(talk.title),
        abstract=talk.abstract,
        months=talk.months,
        recordable=talk.recordable,
        created_at=now,
    )
    if not await store.add_talk(session, row):
        raise UserError(DUPLICATE.format(title=escape_mrkdwn(talk.title)), field="title")
    assert row.id is not None
    await intents.say(session, team_id=series.team_id, intent=talk_intents.ACK.of(row.id), now=now)
    log.info("talk volunteered", extra={"team_id": series.team_id, "talk": row.id})
    return row


# --------------------------------------------------------------------------- organisers


async def schedule_talk(
    session: AsyncSession, *, team_id: str, talk_id: int, date_text: str, now: datetime
) -> Talk:
    """Put a talk in a slot (announced a week ahead); one talk a slot."""
    talk = await load_talk(session, team_id=team_id, talk_id=talk_id)
    if talk.status not in (TalkStatus.PROPOSED, TalkStatus.SCHEDULED):
        raise UserError(ALREADY_ANSWERED.format(status=talk.status))
    moving = talk.status == TalkStatus.SCHEDULED
    series = await load_series(session, team_id=team_id, activity_id=talk.activity_id)
    slot_at = rules.parse_slot(
        date_text,
        at=rules.slot_time_of(series.schedule_rule),
        timezone=series.timezone,
        now=now,
    )
    if talk.started_at is not None:
        raise UserError("That talk has already started.")
    taken = await store.talk_in_slot(session, activity_id=series.id or 0, slot_at=slot_at)
    if taken is not None and taken.id != talk.id:
        raise UserError(
            f"That slot already has *{escape_mrkdwn(taken.title)}* (#{taken.id}): "
            "pick another date, or move that talk first.",
            field="date",
        )
    await store.set_slot(session, talk=talk, slot_at=slot_at, status=TalkStatus.SCHEDULED)
    assert talk.id is not None
    await rsvp_answers.open_event(
        session,
        team_id=team_id,
        event_key=rules.event_key(talk.id),
        title=talk.title,
        channel_id=series.channel_id,
        starts_at=slot_at,
        message=talk_intents.ANNOUNCE_UPDATE.of(talk.id),
        now=now,
    )
    await intents.say(session, team_id=team_id, intent=talk_intents.answer(talk.id, now), now=now)
    if moving:
        await _tell_going(session, talk, now)
    return talk


async def decline(
    session: AsyncSession, *, team_id: str, talk_id: int, note: str, now: datetime
) -> Talk:
    talk = await load_talk(session, team_id=team_id, talk_id=talk_id)
    if talk.status != TalkStatus.PROPOSED:
        raise UserError(ALREADY_ANSWERED.format(status=talk.status))
    await store.decline(session, talk=talk, note=note.strip()[:500])
    assert talk.id is not None
    await intents.say(session, team_id=team_id, intent=talk_intents.answer(talk.id, now), now=now)
    return talk


async def cancel(session: AsyncSession, *, team_id: str, talk_id: int, now: datetime) -> Talk:
    talk = await load_talk(session, team_id=team_id, talk_id=talk_id)
    if talk.status != TalkStatus.SCHEDULED or talk.started_at is not None:
        raise UserError(NOT_SCHEDULED)
    assert talk.id is not None
    await rsvp_store.cancel_event(
        session, team_id=team_id, event_key=rules.event_key(talk.id), now=now
    )
    await store.set_slot(session, talk=talk, slot_at=None, status=TalkStatus.CANCELLED)
    await _tell_going(session, talk, now)
    return talk


async def _tell_going(session: AsyncSession, talk: Talk, now: datetime) -> None:
    """A moved or cancelled talk: redraw its announcement and tell each person going."""
    assert talk.id is not None
    if talk.announced_at is not None:
        await intents.refresh(
            session, team_id=talk.team_id, intent=talk_intents.ANNOUNCE_UPDATE.of(talk.id), now=now
        )
    for user_id in await rsvp_store.going(
        session, team_id=talk.team_id, event_key=rules.event_key(talk.id)
    ):
        await intents.say(
            session,
            team_id=talk.team_id,
            intent=talk_intents.changed(talk.id, user_id, now),
            now=now,
        )


async def check_in(session: AsyncSession, actor: Actor, *, talk_id: int, answer: str) -> Talk:
    if answer not in rules.CHECKIN_ANSWERS:
        raise ValueError(answer)
    talk = await load_talk(session, team_id=actor.team_id, talk_id=talk_id)
    if talk.speaker_id != actor.user_id:
        raise UserError("Only the speaker can answer this check-in.")
    if talk.status != TalkStatus.SCHEDULED:
        raise UserError(NOT_SCHEDULED)
    assert talk.id is not None
    await store.set_checkin(session, talk_id=talk.id, answer=answer)
    if answer == "move":
        # The organiser who set up the series hears it at once, to find a new slot.
        series = await load_series(session, team_id=actor.team_id, activity_id=talk.activity_id)
        await intents.say_for(
            session,
            actor,
            intents.ORGANISER_NOTICE(
                f"talk:{talk.id}:needs-move:{actor.now.strftime('%Y%m%dT%H%M%S.%f')}",
                activity_id=series.id,
                user_id=series.created_by,
                text=(
                    f"📅 <@{actor.user_id}> needs to move *{escape_mrkdwn(talk.title)}* "
                    f"(#{talk.id}). Pick a new date with `/community talks move {talk.id} <date>`."
                ),
            ),
        )
    return talk


async def backlog(session: AsyncSession, *, team_id: str) -> list[Talk]:
    return await store.BACKLOG.oldest(session, team_id=team_id)


async def history(session: AsyncSession, *, series: Activity) -> list[Talk]:
    assert series.id is not None
    return await store.history(session, activity_id=series.id)


# --------------------------------------------------------------------------- periodic


async def talk_steps(session: AsyncSession, *, now: datetime) -> list[tuple[int, str]]:
    done: list[tuple[int, str]] = []
    for talk in await store.scheduled(session):
        assert talk.id is not None
        if talk.slot_at is None:
            continue
        series = await activity_store.get_activity(
            session, team_id=talk.team_id, activity_id=talk.activity_id
        )
        if series is None:
            continue
        if series.state == ActivityState.CANCELLED and talk.started_at is None:
            await cancel(session, team_id=talk.team_id, talk_id=talk.id, now=now)
            done.append((talk.id, "cancelled"))
            continue
        finished = frozenset(s for s in rules.STEPS if getattr(talk, s) is not None)
        for step in rules.due_steps(slot_at=talk.slot_at, now=now, done=finished):
            if await _do_step(session, talk, step, now):
                done.append((talk.id, step))
    return done


async def _do_step(session: AsyncSession, talk: Talk, step: str, now: datetime) -> bool:
    assert talk.id is not None and talk.slot_at is not None
    if not await store.claim_step(session, talk_id=talk.id, step=step, now=now):
        return False
    team_id, talk_id = talk.team_id, talk.id
    if step == "announced_at":
        said = [talk_intents.ANNOUNCE.of(talk_id)]
    elif step == "checkin_at":
        said = [talk_intents.checkin(talk_id, talk.slot_at)]
    elif step in ("day_reminded_at", "soon_reminded_at"):
        stage = "day" if step == "day_reminded_at" else "soon"
        going = await rsvp_store.going(session, team_id=team_id, event_key=rules.event_key(talk_id))
        said = [talk_intents.REMINDER.of(talk_id, stage, u, talk.slot_at) for u in going]
    elif step == "started_at":
        said = [talk_intents.QA.of(talk_id)]
    else:
        await store.mark_given(session, talk_id=talk_id)
        said = [talk_intents.THANKS.of(talk_id)]
    await intents.say_all(session, team_id=team_id, said=said, now=now)
    return True


async def record_summary(
    session: AsyncSession, *, talk: Talk, questions: Sequence[tuple[str, str, int]], now: datetime
) -> bool:
    """Links to the Q&A's questions, most-reacted first, to the speaker (once)."""
    assert talk.id is not None
    if not await store.claim_step(session, talk_id=talk.id, step="summarised_at", now=now):
        return False
    ordered = rules.order_questions(list(questions))
    await intents.say(
        session, team_id=talk.team_id, intent=talk_intents.summary(talk.id, ordered), now=now
    )
    return True


async def call_for_speakers(session: AsyncSession, *, now: datetime) -> list[int]:
    """Each live series with too few talks booked for its next two slots: one call,
    at most once a fortnight."""
    called: list[int] = []
    for series in await activity_store.list_activities(
        session, team_id=None, states=(ActivityState.ACTIVE,), kinds=(store.KIND,)
    ):
        if series.id is None:
            continue
        settings = read_settings(rules.TalksSettings, series)
        slots = schedule.preview(manage.schedule_of(series), now, count=2)
        if not slots:
            continue
        booked = await store.booked_between(
            session, activity_id=series.id, start=now, end=slots[-1]
        )
        last = await store.last_call(session, activity_id=series.id)
        if not rules.needs_call(
            booked=booked, wanted=settings.booked_ahead, last_call_at=last, now=now
        ):
            continue
        if await store.claim_call(
            session,
            activity_id=series.id,
            team_id=series.team_id,
            every_since=now - rules.CALL_EVERY,
            now=now,
        ):
            await intents.say(
                session, team_id=series.team_id, intent=talk_intents.call(series.id, now), now=now
            )
            called.append(series.id)
    return called


async def run(ctx: RunContext) -> None:
    """A slot of the series comes round: nothing to do here; talks drive their own steps."""
    log.debug("talk slot", extra={"activity_id": ctx.activity.id})


async def next_due(session: AsyncSession, *, now: datetime) -> datetime | None:
    """When `talk_steps` or `call_for_speakers` next has something to do."""
    moments: list[datetime | None] = [
        moment
        for talk in await store.scheduled(session)
        if talk.slot_at is not None
        for moment in step_moments(talk.slot_at, rules.TALK_STEPS)
    ]
    last_call = await store.next_call_since(session, after=now - rules.CALL_EVERY)
    moments.append(last_call + rules.CALL_EVERY if last_call else None)
    return due.next_after(now, moments)


# Volunteered talks waiting to be scheduled or declined, the oldest first.
BACKLOG: Backlog[Talk] = Backlog(store.BACKLOG)
