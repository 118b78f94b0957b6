"""Coffee pairings and breakfast switch-ups: "someone you don't know".

A run claims its slot and records a *pending* round (inside the run's
transaction, which must not wait on Slack); the next tick reads the channel's
members and profiles from Slack outside any transaction, then matches, stores
the groups and enqueues the intros in one transaction. Check-ins and the end
summary are sent by the same tick once their time has passed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from activities import due, intents, matching, quiet_hours
from activities.actor import Actor
from activities.errors import UserError
from activities.kind import Directory, Profile, RunContext, read_settings
from activities.kinds.coffee import icebreakers
from activities.kinds.coffee import intents as coffee_intents
from activities.kinds.coffee.rules import (
    ANSWERS,
    AVOID_EXAMPLE,
    BUTTON_PAUSE,
    HISTORY_ROUNDS,
    KINDS,
    MAX_AVOID,
    PAUSE_EXAMPLE,
    SLACKBOT,
    CoffeeSettings,
    eligible,
    is_paused,
    meeting_day,
    participant,
    round_length,
    seed_for,
)
from storage.kinds.coffee import queries as store
from storage.kinds.coffee.models import (
    CoffeeGroup,
    CoffeePreference,
    CoffeeRound,
    CoffeeRoundStatus,
)
from storage.models import Activity

log = logging.getLogger(__name__)

__all__ = ["ANSWERS", "AVOID_EXAMPLE", "KINDS", "PAUSE_EXAMPLE"]


def settings_of(activity: Activity) -> CoffeeSettings:
    return read_settings(CoffeeSettings, activity)


# --------------------------------------------------------------------------- a round


async def run(ctx: RunContext) -> None:
    """The kind's run handler: record a pending round; the next tick matches it."""
    assert ctx.activity.id is not None and ctx.run.id is not None
    await store.add_round(
        ctx.session,
        team_id=ctx.activity.team_id,
        activity_id=ctx.activity.id,
        run_id=ctx.run.id,
        now=ctx.now,
    )


SessionFactory = Callable[[], AbstractAsyncContextManager[AsyncSession]]


@dataclass(frozen=True, slots=True)
class Roster:
    """The channel's members as Slack describes them, read outside any transaction: their
    profiles, and the channels each is in (shared channels are a soft cost)."""

    member_ids: Sequence[str]
    profiles: Mapping[str, Profile]
    channels: Mapping[str, frozenset[str]]


async def read_roster(directory: Directory, activity: Activity) -> Roster:
    member_ids = await directory.channel_members(activity.team_id, activity.channel_id)
    profiles = await directory.profiles(activity.team_id, member_ids)
    return Roster(member_ids, profiles, await directory.channels_of(activity.team_id, member_ids))


async def start_pending(
    sessions: SessionFactory, *, directory: Directory, now: datetime
) -> list[int]:
    """Match every pending round; Slack is read outside any transaction. Returns round ids."""
    async with sessions() as session:
        pending = await store.pending_rounds(session)
        work = [(r.id, await store.activity_of(session, rnd=r)) for r in pending]
    done: list[int] = []
    for round_id, activity in work:
        assert round_id is not None
        context = {"round_id": round_id, "activity_id": activity.id if activity else None}
        try:
            if activity is None:
                continue
            roster = await read_roster(directory, activity)
            async with sessions() as session:
                rnd = await store.claim_pending(session, round_id=round_id)
                if rnd is None:
                    continue
                await start_round(session, rnd=rnd, activity=activity, roster=roster, now=now)
            done.append(round_id)
        except Exception:
            # Left pending: the next tick tries again; logged with context, never silent.
            log.exception("coffee round could not start", extra=context)
    return done


async def team_history(session: AsyncSession, *, team_id: str) -> matching.History:
    """Who met whom, from the database: every started round of the team's coffee kinds."""
    rounds = await store.started_rounds(session, team_id=team_id, limit=HISTORY_ROUNDS)
    groups = await store.groups_of(session, round_ids=[r.id for r in rounds if r.id is not None])
    by_round: dict[int, list[list[str]]] = {r.id: [] for r in rounds if r.id is not None}
    for group in groups:
        by_round[group.round_id].append(list(group.members))
    return matching.History.from_rounds(by_round[r] for r in sorted(by_round))


async def start_round(
    session: AsyncSession,
    *,
    rnd: CoffeeRound,
    activity: Activity,
    roster: Roster,
    now: datetime,
) -> CoffeeRound:
    """Match the round, store its groups, enqueue intros and the channel summary."""
    assert rnd.id is not None and activity.id is not None
    team_id = activity.team_id
    settings = settings_of(activity)
    prefs = await store.preferences(session, team_id=team_id, user_ids=list(roster.member_ids))
    people = eligible(roster.member_ids, roster.profiles, prefs, now)
    channels = roster.channels
    participants = [
        participant(p, prefs.get(p.user_id), channels.get(p.user_id, frozenset())) for p in people
    ]
    mode: matching.Mode = "breakfast" if activity.kind == "breakfast" else "coffee"
    day = meeting_day(now)
    request = matching.MatchRequest(
        participants=participants,
        group_size=settings.size,
        history=await team_history(session, team_id=team_id),
        seed=seed_for(activity.id, rnd.run_id),
        mode=mode,
        now_utc=datetime.combine(day, time(12), tzinfo=UTC),
    )
    result = matching.match(request) if len(participants) >= 2 else None
    context = {"team_id": team_id, "activity_id": activity.id, "round_id": rnd.id}
    if result is None or not result.groups:
        reason = result.skipped_reason if result else matching.REASON_NOT_ENOUGH
        return await _skip(
            session,
            rnd=rnd,
            activity=activity,
            count=len(participants),
            reason=reason or matching.REASON_NOT_ENOUGH,
            now=now,
        )
    by_id = {p.user_id: p for p in participants}
    custom = list(settings.icebreakers_extra)
    with_icebreakers = settings.icebreakers
    for index, group in enumerate(result.groups):
        members = [by_id[u] for u in group.members if u in by_id]
        row = await store.add_group(
            session,
            group=CoffeeGroup(
                team_id=team_id,
                round_id=rnd.id,
                members=list(group.members),
                suggested_at=matching.suggest_slot(members, day, mode),
                icebreaker=(
                    icebreakers.pick(request.seed + index, custom) if with_icebreakers else ""
                ),
            ),
        )
        assert row.id is not None
        await intents.say(session, team_id=team_id, intent=coffee_intents.INTRO.of(row.id), now=now)
    for left in result.left_out:
        log.warning(
            "coffee member left out", extra={**context, "user": left.user_id, "reason": left.reason}
        )
    length = round_length(settings)
    rnd.status = CoffeeRoundStatus.STARTED
    rnd.started_at = now
    rnd.checkin_at = now + length / 2
    rnd.ends_at = now + length
    rnd.participant_count = sum(len(g.members) for g in result.groups)
    rnd.group_count = len(result.groups)
    session.add(rnd)
    await intents.say(
        session, team_id=team_id, intent=coffee_intents.ROUND_STARTED.of(rnd.id), now=now
    )
    # Each participant's open Home tab shows their new group.
    grouped = [user_id for group in result.groups for user_id in group.members]
    await intents.redraw_homes(session, team_id=team_id, user_ids=grouped, now=now)
    log.info(
        "coffee round started",
        extra={
            **context,
            "groups": rnd.group_count,
            "participants": rnd.participant_count,
            "repeats": result.repeat_pairs,
        },
    )
    return rnd


async def _skip(
    session: AsyncSession,
    *,
    rnd: CoffeeRound,
    activity: Activity,
    count: int,
    reason: str,
    now: datetime,
) -> CoffeeRound:
    assert rnd.id is not None and activity.id is not None
    rnd.status = CoffeeRoundStatus.SKIPPED
    rnd.skipped_reason = reason
    rnd.participant_count = count
    session.add(rnd)
    people = "nobody is" if count == 0 else ("only 1 person is" if count == 1 else f"{count} are")
    text = (
        f"☕ {activity.kind.capitalize()} #{activity.id} in <#{activity.channel_id}> skipped "
        f"this round: {reason} ({people} taking part; it takes at least 2). "
        f"Invite people to <#{activity.channel_id}> to take part next time."
    )
    if activity.created_by:
        await intents.tell_skipped(session, activity, run_id=rnd.run_id, reason=text, now=now)
    log.info(
        "coffee round skipped",
        extra={
            "team_id": activity.team_id,
            "activity_id": activity.id,
            "round_id": rnd.id,
            "reason": reason,
            "participants": count,
        },
    )
    return rnd


async def send_due(session: AsyncSession, *, now: datetime) -> int:
    """Check-ins halfway through a round, the summary when it ends. Returns intents asked."""
    asked = 0
    for rnd in await store.checkins_due(session, now=now):
        assert rnd.id is not None
        checkins = []
        for group in await store.groups_of(session, round_ids=[rnd.id]):
            assert group.id is not None  # a stored group
            # The courier holds it for the group's quiet hours (activities/quiet_hours.py).
            checkins.append(coffee_intents.CHECKIN.of(group.id))
        asked += await intents.say_all(session, team_id=rnd.team_id, said=checkins, now=now)
        rnd.checkin_sent_at = now
        session.add(rnd)
    for rnd in await store.ends_due(session, now=now):
        assert rnd.id is not None
        ended = coffee_intents.ROUND_ENDED.of(rnd.id)
        await intents.say(session, team_id=rnd.team_id, intent=ended, now=now)
        asked += 1
        rnd.summary_sent_at = now
        session.add(rnd)
    return asked


@dataclass(frozen=True, slots=True)
class RoundOutcome:
    groups: int
    met: int
    answered: int


async def outcome(session: AsyncSession, *, round_id: int) -> RoundOutcome:
    groups = await store.groups_of(session, round_ids=[round_id])
    answers = await store.checkins_of(session, group_ids=[g.id for g in groups if g.id])
    met = {a.group_id for a in answers if a.answer == "met"}
    return RoundOutcome(len(groups), len(met), len({a.group_id for a in answers}))


async def record_checkin(
    session: AsyncSession, actor: Actor, *, group_id: int, answer: str
) -> CoffeeGroup:
    if answer not in ANSWERS:
        raise UserError(f"Unknown answer `{answer}`.")
    team_id, user_id, now = actor.team_id, actor.user_id, actor.now
    group = await store.get_group(session, group_id=group_id)
    if group is None or group.team_id != team_id:
        raise UserError("That coffee group is gone.")
    if user_id not in group.members:
        raise UserError("That check-in belongs to another group.")
    await store.upsert_checkin(
        session, team_id=team_id, group_id=group_id, user_id=user_id, answer=answer, now=now
    )
    return group


# --------------------------------------------------------------------------- members


@dataclass(slots=True)
class MemberStatus:
    state: str  # "in", "paused", "out"
    paused_until: datetime | None
    avoid: list[str]
    activities: list[Activity]
    current: list[tuple[Activity, CoffeeRound, CoffeeGroup]] = field(default_factory=list)


async def status(session: AsyncSession, actor: Actor) -> MemberStatus:
    """The acting member's standing in coffee: in, paused or out, and their current groups."""
    team_id, user_id, now = actor.team_id, actor.user_id, actor.now
    pref = await store.get_preference(session, team_id=team_id, user_id=user_id)
    state = "in"
    if pref is not None and pref.opted_out:
        state = "out"
    elif pref is not None and is_paused(pref, now):
        state = "paused"
    activities = [
        a for a in await store.coffee_activities(session, team_id=team_id) if a.state == "active"
    ]
    result = MemberStatus(
        state,
        pref.paused_until if state == "paused" and pref else None,
        list(pref.avoid) if pref else [],
        activities,
    )
    for activity in activities:
        assert activity.id is not None
        rnd = await store.latest_round(session, activity_id=activity.id)
        if rnd is None or rnd.id is None or (rnd.ends_at is not None and rnd.ends_at <= now):
            continue
        for group in await store.groups_of(session, round_ids=[rnd.id]):
            if user_id in group.members:
                result.current.append((activity, rnd, group))
    return result


async def history(
    session: AsyncSession, *, team_id: str, user_id: str, limit: int = 10
) -> list[tuple[CoffeeRound, CoffeeGroup]]:
    rounds = await store.started_rounds(session, team_id=team_id, limit=HISTORY_ROUNDS)
    by_id = {r.id: r for r in rounds}
    groups = await store.groups_of(session, round_ids=[r.id for r in rounds if r.id])
    mine = [(by_id[g.round_id], g) for g in groups if user_id in g.members]
    return list(reversed(mine))[:limit]


async def _update(session: AsyncSession, actor: Actor, **changes: Any) -> CoffeePreference:
    """Change the acting member's own preferences."""
    pref = await store.preference_for_update(
        session, team_id=actor.team_id, user_id=actor.user_id, now=actor.now
    )
    for key, value in changes.items():
        setattr(pref, key, value)
    await store.save_preference(session, preference=pref, now=actor.now)
    log.info(
        "coffee preference changed",
        extra={"team_id": actor.team_id, "user": actor.user_id, "changes": sorted(changes)},
    )
    return pref


async def join(session: AsyncSession, actor: Actor) -> None:
    await _update(session, actor, opted_out=False, paused_until=None)


async def set_hours(
    session: AsyncSession,
    actor: Actor,
    *,
    hours: tuple[int, int],
    days: frozenset[int] = quiet_hours.MONDAY_TO_FRIDAY,
) -> None:
    """A member's own working hours and days, which matching, suggested times and quiet
    hours (when DMs reach them) respect."""
    await _update(
        session,
        actor,
        work_start=hours[0],
        work_end=hours[1],
        work_days=quiet_hours.bits_from_days(days),
        hours_chosen=True,
    )


async def own_hours(session: AsyncSession, actor: Actor) -> quiet_hours.Hours:
    """The hours and days DMs reach the acting member in (their own, or the default)."""
    pref = await store.get_preference(session, team_id=actor.team_id, user_id=actor.user_id)
    if pref is None:
        return quiet_hours.Hours()
    return quiet_hours.hours_of(
        pref.work_start, pref.work_end, pref.work_days, chosen=pref.hours_chosen
    )


async def leave(session: AsyncSession, actor: Actor) -> None:
    await _update(session, actor, opted_out=True)


async def resume(session: AsyncSession, actor: Actor) -> None:
    await _update(session, actor, paused_until=None, opted_out=False)


async def pause_until(session: AsyncSession, actor: Actor, *, until: datetime) -> datetime:
    if until <= actor.now:
        raise UserError(f"That's in the past. Example: `{PAUSE_EXAMPLE}`")
    await _update(session, actor, paused_until=until)
    return until


async def pause_for(
    session: AsyncSession, actor: Actor, *, length: timedelta = BUTTON_PAUSE
) -> datetime:
    """Pause for `length` from now (the buttons' two weeks by default); returns the end."""
    return await pause_until(session, actor, until=actor.now + length)


async def avoid(
    session: AsyncSession, actor: Actor, *, target_id: str, target: Profile | None
) -> None:
    if target_id == actor.user_id:
        raise UserError(f"You can't avoid yourself. Example: `{AVOID_EXAMPLE}`")
    if target is None or target.is_bot or target.deleted or target_id == SLACKBOT:
        raise UserError(
            f"<@{target_id}> isn't a person who takes part (a bot or a deactivated account). "
            f"Example: `{AVOID_EXAMPLE}`"
        )
    pref = await store.preference_for_update(
        session, team_id=actor.team_id, user_id=actor.user_id, now=actor.now
    )
    if target_id in pref.avoid:
        return
    if len(pref.avoid) >= MAX_AVOID:
        raise UserError(f"You already avoid {MAX_AVOID} people; `/coffee unavoid @name` first.")
    await _update(session, actor, avoid=[*pref.avoid, target_id])


async def unavoid(session: AsyncSession, actor: Actor, *, target_id: str) -> bool:
    pref = await store.get_preference(session, team_id=actor.team_id, user_id=actor.user_id)
    if pref is None or target_id not in pref.avoid:
        return False
    await _update(session, actor, avoid=[u for u in pref.avoid if u != target_id])
    return True


async def skip_next(session: AsyncSession, actor: Actor, *, group_id: int) -> datetime:
    """Sit out the round after this group's: paused until a day after this round ends."""
    group = await store.get_group(session, group_id=group_id)
    rnd = await store.get_round(session, round_id=group.round_id) if group else None
    if group is None or rnd is None or group.team_id != actor.team_id:
        raise UserError("That coffee group is gone; use `/coffee pause 2w` instead.")
    until = max(rnd.ends_at or actor.now, actor.now) + timedelta(days=1)
    await _update(session, actor, paused_until=until)
    return until


async def next_due(session: AsyncSession, *, now: datetime) -> datetime | None:
    """When `send_due` next has a check-in or a round's end to send."""
    return due.next_after(now, await store.next_round_moments(session, now=now))
