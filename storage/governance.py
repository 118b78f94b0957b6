"""Governance queries: roles, rotation claims and decisions, volunteer calls, settings."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.actor import Actor
from storage.models import (
    Activity,
    ActivityState,
    CharterWelcome,
    CommunitySettings,
    OutboxMessage,
    Role,
    RoleTerm,
    RotationDecision,
    Volunteer,
    VolunteerCall,
)
from storage.roles import current_where, in_term
from storage.rows import (
    add_row,
    dated_column,
    mark_once,
    merge_row,
    row_where,
    rows_where,
    team_settings,
)
from storage.savepoint import add_unique

Activities = Activity.__table__  # type: ignore[attr-defined]
Roles = Role.__table__  # type: ignore[attr-defined]
Terms = RoleTerm.__table__  # type: ignore[attr-defined]
Calls = VolunteerCall.__table__  # type: ignore[attr-defined]
Volunteers = Volunteer.__table__  # type: ignore[attr-defined]
Decisions = RotationDecision.__table__  # type: ignore[attr-defined]


async def get_role(session: AsyncSession, *, team_id: str, key: str) -> Role | None:
    return await row_where(
        session, model=Role, where=(Roles.c.team_id == team_id, Roles.c.key == key)
    )


async def list_roles(session: AsyncSession, *, team_id: str) -> list[Role]:
    of_team = (Roles.c.team_id == team_id,)
    return await rows_where(session, model=Role, where=of_team, order_by=(Roles.c.id,))


async def add_role(session: AsyncSession, *, role: Role) -> bool:
    """Insert `role`; False when the name is taken (the unique key decides, even in a race)."""
    return await add_unique(session, role)


async def past_terms(
    session: AsyncSession, *, team_id: str, today: date, limit: int = 30
) -> list[RoleTerm]:
    over = (Terms.c.team_id == team_id, Terms.c.ended_at.is_not(None) | (Terms.c.ends_on < today))
    latest = (Terms.c.ends_on.desc(), Terms.c.id.desc())
    return await rows_where(session, model=RoleTerm, where=over, order_by=latest, limit=limit)


async def current_holders(
    session: AsyncSession, *, team_id: str, role: str, today: date
) -> list[RoleTerm]:
    holding = (*current_where(team_id, today), Terms.c.role == role)
    return await rows_where(session, model=RoleTerm, where=holding)


async def live_terms(session: AsyncSession, *, horizon: date, today: date) -> list[RoleTerm]:
    """Terms (any workspace) not ended early that end by `horizon`, or that ended before
    today and have not lapsed yet: the rotation task looks at these."""
    live = (Terms.c.ended_at.is_(None), Terms.c.lapsed_at.is_(None), Terms.c.ends_on <= horizon)
    return await rows_where(session, model=RoleTerm, where=live)


async def claim(session: AsyncSession, *, term_id: int, column: str, now: datetime) -> bool:
    """Set a term's `column` (a reminder, the call, the lapse) once: True for the winner."""
    step = dated_column(RoleTerm, column)
    return await mark_once(session, model=RoleTerm, row_id=term_id, step=step, now=now)


async def decide(session: AsyncSession, *, decision: RotationDecision) -> RotationDecision | None:
    """Record the first answer for a term's cycle; None when one exists already."""
    return decision if await add_unique(session, decision) else None


async def decision_for(
    session: AsyncSession, *, term_id: int, cycle: int
) -> RotationDecision | None:
    of_cycle = (Decisions.c.term_id == term_id, Decisions.c.cycle == cycle)
    return await row_where(session, model=RotationDecision, where=of_cycle)


async def open_call(session: AsyncSession, *, call: VolunteerCall) -> VolunteerCall:
    return await add_row(session, row=call)


async def get_call(session: AsyncSession, *, call_id: int) -> VolunteerCall | None:
    return await session.get(VolunteerCall, call_id)


async def open_calls(session: AsyncSession, *, team_id: str) -> list[VolunteerCall]:
    unappointed = (Calls.c.team_id == team_id, Calls.c.appointed_user_id == "")
    return await rows_where(session, model=VolunteerCall, where=unappointed, order_by=(Calls.c.id,))


async def open_call_for(session: AsyncSession, *, team_id: str, role: str) -> VolunteerCall | None:
    unappointed = (
        Calls.c.team_id == team_id,
        Calls.c.role == role,
        Calls.c.appointed_user_id == "",
    )
    return await row_where(session, model=VolunteerCall, where=unappointed)


async def add_volunteer(session: AsyncSession, *, volunteer: Volunteer) -> bool:
    return await add_unique(session, volunteer)


async def set_volunteer_note(
    session: AsyncSession, *, call_id: int, user_id: str, note: str
) -> bool:
    result = await session.exec(
        update(Volunteers)
        .where(Volunteers.c.call_id == call_id, Volunteers.c.user_id == user_id)
        .values(note=note)
    )
    return bool(result.rowcount)


async def volunteers(session: AsyncSession, *, call_id: int) -> list[Volunteer]:
    of_call = (Volunteers.c.call_id == call_id,)
    return await rows_where(session, model=Volunteer, where=of_call, order_by=(Volunteers.c.id,))


async def appoint(session: AsyncSession, actor: Actor, *, call_id: int, user_id: str) -> bool:
    """`actor` appoints `user_id` now. Compare-and-set: the first appointment of a call
    wins, any later one changes nothing."""
    result = await session.exec(
        update(Calls)
        .where(Calls.c.id == call_id, Calls.c.appointed_user_id == "")
        .values(appointed_user_id=user_id, appointed_by=actor.user_id, appointed_at=actor.now)
    )
    return bool(result.rowcount)


async def settings_of(session: AsyncSession, *, team_id: str) -> CommunitySettings:
    return await team_settings(session, model=CommunitySettings, team_id=team_id)


async def save_settings(session: AsyncSession, *, settings: CommunitySettings) -> None:
    await merge_row(session, row=settings)


async def welcome_once(
    session: AsyncSession, *, team_id: str, user_id: str, channel_id: str, now: datetime
) -> bool:
    """Record that `user_id` gets the charter; False when they already did."""
    welcome = CharterWelcome(team_id=team_id, user_id=user_id, channel_id=channel_id, sent_at=now)
    return await add_unique(session, welcome)


async def activities_owned_by(
    session: AsyncSession, *, team_id: str, user_id: str
) -> list[Activity]:
    live_state = Activities.c.state.in_((ActivityState.ACTIVE, ActivityState.PAUSED))
    owned = (Activities.c.team_id == team_id, Activities.c.created_by == user_id, live_state)
    return await rows_where(session, model=Activity, where=owned)


async def move_ownership(
    session: AsyncSession, *, activities: list[Activity], to_user: str, now: datetime
) -> None:
    for activity in activities:
        activity.created_by = to_user
        activity.updated_at = now
        session.add(activity)
    await session.flush()


async def sent_copies(session: AsyncSession, *, prefix: str) -> list[OutboxMessage]:
    """The outbox rows (each a DM copy) whose dedupe key starts with `prefix`."""
    Outbox = OutboxMessage.__table__  # type: ignore[attr-defined]
    copies = (
        Outbox.c.dedupe_key.startswith(prefix, autoescape=True),
        ~Outbox.c.dedupe_key.endswith(":settled"),
    )
    return await rows_where(session, model=OutboxMessage, where=copies)


async def role_holders(
    session: AsyncSession, *, roles: tuple[str, ...], today: date
) -> dict[str, set[str]]:
    """Per workspace, who holds a current term of any of `roles`."""
    result = await session.exec(
        select(Terms.c.team_id, Terms.c.user_id).where(Terms.c.role.in_(roles), *in_term(today))
    )
    found: dict[str, set[str]] = {}
    for team_id, user_id in result.all():
        found.setdefault(str(team_id), set()).add(str(user_id))
    return found
