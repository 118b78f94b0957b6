"""Governance the bot runs: named roles, rotation of terms, volunteers, handovers, lapses.

Every dated step is claimed in the database (a column set once, a unique decision per
term and cycle, a compare-and-set on the volunteer call), so a restart or a second
process never sends a reminder twice or appoints two people.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from activities import due, intents
from activities.actor import Actor
from activities.audit_trail import bot_actor, record
from activities.errors import UserError
from activities.kind import Profile
from activities.roles import ORGANISER, default_term_end
from activities.text import escape_mrkdwn
from storage import activities as activity_store
from storage import governance as store
from storage import roles as term_store
from storage.models import (
    Activity,
    Role,
    RoleTerm,
    RotationDecision,
    Volunteer,
    VolunteerCall,
)

# Reminders before a term ends, longest first; the call for volunteers goes out at CALL_BEFORE.
WINDOWS = (30, 7)
CALL_BEFORE = timedelta(weeks=4)
RENEW, HANDOVER, LAPSE = "renew", "handover", "lapse"
CHOICES = {RENEW: "renewed", HANDOVER: "handed over", LAPSE: "left to lapse"}
MAX_ROLE_NAME = 32
NEW_EXAMPLE = '/community roles new "Book club host" --activity 3'
ORGANISER_INVOLVES = (
    "Organisers run the community's activities: schedule them, keep them going and "
    "welcome new people."
)
ORGANISER_CHECKLIST = (
    "• Read the charter (`/community charter`)\n"
    "• Look over your activities in `/community activities`\n"
    "• Say hello in the community channel"
)


def role_key(name: str) -> str:
    return " ".join(name.strip().lower().replace("organizer", "organiser").split())


async def resolve_role(session: AsyncSession, *, team_id: str, text: str) -> str:
    """The key of `organiser` or of a role admins created, or a UserError listing them."""
    key = role_key(text)
    if key == ORGANISER:
        return key
    if await store.get_role(session, team_id=team_id, key=key) is not None:
        return key
    names = [ORGANISER, *(r.name for r in await store.list_roles(session, team_id=team_id))]
    raise UserError(
        f"Unknown role `{escape_mrkdwn(text[:40])}`. Roles: {', '.join(names)}. "
        f"Create one with `{NEW_EXAMPLE}`."
    )


async def create_role(
    session: AsyncSession,
    *,
    actor: Actor,
    name: str,
    activity_id: int | None,
    involves: str,
    checklist: str,
    channel_id: str,
) -> Role:
    """A new named role; it has no holder yet, so its call for volunteers goes out at once."""
    team_id, now = actor.team_id, actor.now
    clean = " ".join(name.split())
    if not clean:
        raise UserError(f"Name the role. Example: `{NEW_EXAMPLE}`")
    if len(clean) > MAX_ROLE_NAME:
        raise UserError(f"A role name is at most {MAX_ROLE_NAME} characters.")
    key = role_key(clean)
    if key == ORGANISER:
        raise UserError("`organiser` is built in: assign it with `/community roles assign`.")
    if activity_id is not None:
        found = await activity_store.get_activity(session, team_id=team_id, activity_id=activity_id)
        if found is None:
            raise UserError(f"There is no activity #{activity_id}. See `/community activities`.")
    role = Role(
        team_id=team_id,
        key=key,
        name=clean,
        activity_id=activity_id,
        involves=involves.strip(),
        checklist=checklist.strip(),
        channel_id=channel_id,
        created_by=actor.user_id,
        created_at=now,
    )
    if not await store.add_role(session, role=role):
        raise UserError(f"A role called “{escape_mrkdwn(clean)}” exists already.")
    detail = {"name": clean, "activity_id": activity_id}
    await record(session, actor, "role.create", f"role:{key}", detail)
    await _open_call(session, team_id=team_id, role=key, term=None, channel_id=channel_id, now=now)
    return role


@dataclass(frozen=True, slots=True)
class RoleSummary:
    """What `/community roles` shows: holders, past holders and roles nobody holds."""

    current: list[RoleTerm]
    past: list[RoleTerm]
    open_roles: list[str]
    names: dict[str, str]


async def summary(session: AsyncSession, *, team_id: str, today: date) -> RoleSummary:
    current = await term_store.current_terms(session, team_id=team_id, today=today)
    past = await store.past_terms(session, team_id=team_id, today=today)
    roles = await store.list_roles(session, team_id=team_id)
    held = {t.role for t in current}
    names = {ORGANISER: "Organiser", **{r.key: r.name for r in roles}}
    open_roles = [names[k] for k in [ORGANISER, *(r.key for r in roles)] if k not in held]
    return RoleSummary(current, past, open_roles, names)


# ---------------------------------------------------------------- the rotation task


def admins_for(term: RoleTerm, admin_ids: frozenset[str]) -> list[str]:
    return sorted(r for r in {term.assigned_by, *admin_ids} if r and r != term.user_id)


@dataclass(frozen=True, slots=True)
class Rotation:
    """What one pass did: its steps, and the terms that lapsed in it (their holders' and
    the admins' Home tabs show it)."""

    steps: int
    lapsed: list[RoleTerm]


async def rotate(session: AsyncSession, *, now: datetime, admin_ids: frozenset[str]) -> Rotation:
    """One pass over terms near their end: reminders, calls for volunteers, lapses."""
    today = now.date()
    horizon = today + timedelta(days=max(WINDOWS))
    done = 0
    lapsed = []
    for term in await store.live_terms(session, horizon=horizon, today=today):
        assert term.id is not None
        left = (term.ends_on - today).days
        if left < 0:
            if await _lapse(session, term=term, now=now, admin_ids=admin_ids):
                done += 1
                lapsed.append(term)
            continue
        done += await _remind(session, term=term, left=left, now=now, admin_ids=admin_ids)
        if timedelta(days=left) <= CALL_BEFORE:
            done += await _call_for(session, term=term, now=now)
    return Rotation(done, lapsed)


async def _remind(
    session: AsyncSession, *, term: RoleTerm, left: int, now: datetime, admin_ids: frozenset[str]
) -> int:
    # The narrowest window the term is in; a term that starts inside one gets it at once.
    window = min(w for w in WINDOWS if left <= w) if left <= max(WINDOWS) else None
    if window is None:
        return 0
    assert term.id is not None
    if not await store.claim(session, term_id=term.id, column=f"reminded_{window}_at", now=now):
        return 0
    for wider in WINDOWS:
        if wider > window:  # a skipped wider window is not sent later
            await store.claim(session, term_id=term.id, column=f"reminded_{wider}_at", now=now)
    prefix = ask_prefix(term.id, term.cycle)
    asks = [
        intents.ROTATION_ASK(
            f"{prefix}w{window}:{u}", term_id=term.id, cycle=term.cycle, window=window, user_id=u
        )
        for u in [term.user_id, *admins_for(term, admin_ids)]
    ]
    await intents.say_all(session, team_id=term.team_id, said=asks, now=now)
    detail = {"user": term.user_id, "days_left": left, "window": window}
    await record(session, bot_actor(term.team_id, now), "role.remind", f"role:{term.role}", detail)
    return 1


def ask_prefix(term_id: int, cycle: int) -> str:
    return f"roles:term:{term_id}:c{cycle}:"


async def _call_for(session: AsyncSession, *, term: RoleTerm, now: datetime) -> int:
    assert term.id is not None
    if not await store.claim(session, term_id=term.id, column="called_at", now=now):
        return 0
    await _open_call(
        session,
        team_id=term.team_id,
        role=term.role,
        term=term,
        channel_id=term.channel_id,
        now=now,
    )
    return 1


async def _open_call(
    session: AsyncSession,
    *,
    team_id: str,
    role: str,
    term: RoleTerm | None,
    channel_id: str,
    now: datetime,
) -> VolunteerCall | None:
    if await store.open_call_for(session, team_id=team_id, role=role) is not None:
        return None  # one open call a role: volunteers gather in it
    settings = await store.settings_of(session, team_id=team_id)
    call = await store.open_call(
        session,
        call=VolunteerCall(
            team_id=team_id,
            role=role,
            term_id=term.id if term else None,
            channel_id=settings.home_channel_id or channel_id,
            opened_at=now,
        ),
    )
    assert call.id is not None
    await intents.say(
        session,
        team_id=team_id,
        intent=intents.VOLUNTEER_CALL(f"roles:call:{call.id}", call_id=call.id),
        now=now,
    )
    detail = {"call_id": call.id, "channel": call.channel_id}
    await record(session, bot_actor(team_id, now), "role.call", f"role:{role}", detail)
    return call


async def _lapse(
    session: AsyncSession, *, term: RoleTerm, now: datetime, admin_ids: frozenset[str]
) -> int:
    """A term past its end date: rights already dropped (they are read by date); record it,
    keep the activities running, and tell the admins when nobody holds the role now."""
    assert term.id is not None
    if not await store.claim(session, term_id=term.id, column="lapsed_at", now=now):
        return 0
    detail = {"user": term.user_id, "ended_on": term.ends_on.isoformat()}
    await record(session, bot_actor(term.team_id, now), "role.lapse", f"role:{term.role}", detail)
    holders = await store.current_holders(
        session, team_id=term.team_id, role=term.role, today=now.date()
    )
    if not holders:
        for admin_id in admins_for(term, admin_ids):
            await intents.say(
                session,
                team_id=term.team_id,
                intent=intents.ROLE_EMPTY(
                    f"roles:term:{term.id}:empty:{admin_id}", term_id=term.id, admin_id=admin_id
                ),
                now=now,
            )
    return 1


# ---------------------------------------------------------------- answers to the DMs


async def decide(
    session: AsyncSession,
    *,
    actor: Actor,
    actor_is_admin: bool,
    term_id: int,
    cycle: int,
    choice: str,
) -> RoleTerm:
    """The first answer to a term's rotation DMs settles it for everyone who got one."""
    if choice not in CHOICES:
        raise ValueError(choice)
    term = await term_store.get_term(session, term_id=term_id)
    if term is None or term.team_id != actor.team_id:
        raise UserError("That term no longer exists.")
    if actor.user_id != term.user_id and not actor_is_admin:
        raise UserError("Only the holder of this term or an admin can answer for it.")
    earlier = await store.decision_for(session, term_id=term_id, cycle=cycle)
    if earlier is None and (cycle != term.cycle or term.ended_at is not None):
        raise UserError("This term has moved on since that message; nothing was changed.")
    made = None
    if earlier is None:
        made = await store.decide(
            session,
            decision=RotationDecision(
                team_id=actor.team_id,
                term_id=term_id,
                cycle=cycle,
                choice=choice,
                decided_by=actor.user_id,
                decided_at=actor.now,
            ),
        )
    if made is None:
        earlier = earlier or await store.decision_for(session, term_id=term_id, cycle=cycle)
        assert earlier is not None
        raise UserError(
            f"Already settled: {CHOICES[earlier.choice]} by <@{earlier.decided_by}> "
            f"on {earlier.decided_at.date().isoformat()}."
        )
    detail: dict[str, object] = {"user": term.user_id, "choice": choice, "cycle": cycle}
    if choice == RENEW:
        # One more term from the current end date; the next cycle gets fresh reminders.
        term.ends_on = default_term_end(term.ends_on + timedelta(days=1))
        term.cycle += 1
        term.reminded_30_at = term.reminded_7_at = term.called_at = None
        session.add(term)
        await session.flush()
        detail["until"] = term.ends_on.isoformat()
        # The holder stays: a call for volunteers opened for this term is settled by it.
        call = await store.open_call_for(session, team_id=actor.team_id, role=term.role)
        if call is not None and call.id is not None and call.term_id == term.id:
            await store.appoint(session, actor, call_id=call.id, user_id=term.user_id)
    elif choice == HANDOVER:
        await intents.say_for(
            session,
            actor,
            intents.HANDOVER_ASK(
                f"roles:handover:{term_id}:c{cycle}", term_id=term_id, user_id=term.user_id
            ),
        )
        await _call_for(session, term=term, now=actor.now)
    await record(session, actor, f"role.{choice}", f"role:{term.role}", detail)
    for row in await store.sent_copies(session, prefix=ask_prefix(term_id, cycle)):
        await intents.say_for(
            session,
            actor,
            intents.ROTATION_SETTLED(
                f"{row.dedupe_key}:settled",
                source=row.dedupe_key,
                term_id=term_id,
                cycle=cycle,
            ),
        )
    return term


async def save_handover_note(
    session: AsyncSession, *, actor: Actor, term_id: int, note: str
) -> RoleTerm:
    term = await term_store.get_term(session, term_id=term_id)
    if term is None or term.team_id != actor.team_id or term.user_id != actor.user_id:
        raise UserError("Only the outgoing holder writes the handover note for their term.")
    term.handover_note = note.strip()[:2900]
    session.add(term)
    await session.flush()
    detail = {"chars": len(term.handover_note)}
    await record(session, actor, "role.handover_note", f"role:{term.role}", detail)
    return term


# ---------------------------------------------------------------- volunteers


async def volunteer(
    session: AsyncSession, *, actor: Actor, call_id: int, note: str
) -> VolunteerCall:
    call = await store.get_call(session, call_id=call_id)
    if call is None or call.team_id != actor.team_id:
        raise UserError("That call for volunteers no longer exists.")
    if call.appointed_user_id:
        raise UserError(f"<@{call.appointed_user_id}> was already appointed; thank you anyway!")
    holders = await store.current_holders(
        session, team_id=actor.team_id, role=call.role, today=actor.now.date()
    )
    if any(t.user_id == actor.user_id for t in holders):
        raise UserError("You already hold this role, so you can't volunteer for it.")
    added = await store.add_volunteer(
        session,
        volunteer=Volunteer(
            team_id=actor.team_id,
            call_id=call_id,
            user_id=actor.user_id,
            note=note.strip()[:300],
            created_at=actor.now,
        ),
    )
    if not added:
        raise UserError("You've already volunteered for this role. Thank you!")
    await record(session, actor, "role.volunteer", f"role:{call.role}", {"call_id": call_id})
    return call


async def volunteer_note(session: AsyncSession, *, actor: Actor, call_id: int, note: str) -> None:
    call = await store.get_call(session, call_id=call_id)
    if call is None or call.team_id != actor.team_id:
        raise UserError("That call for volunteers no longer exists.")
    if not await store.set_volunteer_note(
        session, call_id=call_id, user_id=actor.user_id, note=note.strip()[:300]
    ):
        raise UserError("Volunteer first (the button in the call), then add your line.")


@dataclass(frozen=True, slots=True)
class Appointment:
    term: RoleTerm
    outgoing: RoleTerm | None
    activities: list[Activity]


async def appoint(
    session: AsyncSession,
    *,
    actor: Actor,
    call_id: int,
    user_id: str,
    profile: Profile | None,
) -> Appointment:
    """Appoint a volunteer: one wins per call (compare-and-set), the others are told who."""
    if profile is not None and (profile.is_bot or profile.deleted):
        raise UserError(f"<@{user_id}> is a bot or a deactivated account and can't hold a role.")
    call = await store.get_call(session, call_id=call_id)
    if call is None or call.team_id != actor.team_id:
        raise UserError("That call for volunteers no longer exists.")
    listed = {v.user_id for v in await store.volunteers(session, call_id=call_id)}
    if user_id not in listed:
        raise UserError(f"<@{user_id}> hasn't volunteered for this role.")
    if not await store.appoint(session, actor, call_id=call_id, user_id=user_id):
        await session.refresh(call)
        raise UserError(
            f"<@{call.appointed_by}> already appointed <@{call.appointed_user_id}> to this role."
        )
    today = actor.now.date()
    outgoing = await term_store.get_term(session, term_id=call.term_id) if call.term_id else None
    # The new term may overlap the old (shadowing); it runs a full term past the old end.
    start_from = outgoing.ends_on + timedelta(days=1) if outgoing else today
    ends_on = default_term_end(max(start_from, today))
    # The appointed term starts today, overlapping the outgoing one if that has not ended.
    term = await term_store.add_term(
        session,
        actor,
        user_id=user_id,
        role=call.role,
        starts_on=today,
        ends_on=ends_on,
        channel_id=call.channel_id,
    )
    assert term.id is not None
    moved = await _activities_of(session, team_id=actor.team_id, role=call.role, outgoing=outgoing)
    await store.move_ownership(session, activities=moved, to_user=user_id, now=actor.now)
    until, was = term.ends_on.isoformat(), outgoing.user_id if outgoing else ""
    detail = {"user": user_id, "until": until, "outgoing": was}
    await record(session, actor, "role.appoint", f"role:{call.role}", detail)
    for activity in moved:
        detail = {"to": user_id, "role": call.role}
        await record(session, actor, "activity.owner", f"activity:{activity.id}", detail)
    await intents.say_for(
        session,
        actor,
        intents.ROLE_WELCOME(
            f"roles:term:{term.id}:welcome",
            term_id=term.id,
            outgoing_term_id=outgoing.id if outgoing else None,
            activity_ids=[a.id for a in moved],
        ),
    )
    return Appointment(term, outgoing, moved)


async def _activities_of(
    session: AsyncSession, *, team_id: str, role: str, outgoing: RoleTerm | None
) -> list[Activity]:
    """What the role looks after: its activity, or what the outgoing organiser owned."""
    found = await store.get_role(session, team_id=team_id, key=role)
    if found is not None and found.activity_id is not None:
        activity = await activity_store.get_activity(
            session, team_id=team_id, activity_id=found.activity_id
        )
        return [activity] if activity is not None else []
    if role == ORGANISER and outgoing is not None:
        return await store.activities_owned_by(session, team_id=team_id, user_id=outgoing.user_id)
    return []


def involves_of(role: Role | None) -> str:
    if role is None:
        return ORGANISER_INVOLVES
    return role.involves or f"Looking after what the {role.name} role covers."


def checklist_of(role: Role | None) -> str:
    if role is None:
        return ORGANISER_CHECKLIST
    return role.checklist or "• Ask the outgoing holder for an hour to walk you through it"


async def role_name(session: AsyncSession, *, team_id: str, key: str) -> str:
    role = await store.get_role(session, team_id=team_id, key=key)
    return role.name if role else "Organiser" if key == ORGANISER else key


async def next_due(session: AsyncSession, *, now: datetime) -> datetime | None:
    """When `rotate` next has a step: the midnight (UTC, the date it reads) on which a
    term enters a reminder window or its call's four weeks, or the day after it ends."""
    days = [
        day
        for term in await store.live_terms(session, horizon=date.max, today=now.date())
        for day in (
            *(term.ends_on - timedelta(days=w) for w in (*WINDOWS, CALL_BEFORE.days)),
            term.ends_on + timedelta(days=1),
        )
    ]
    return due.next_after(now, [datetime.combine(d, time(0), tzinfo=UTC) for d in days])
