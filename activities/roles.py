"""Organiser roles: one-year terms that admins assign, end and rotate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from sqlmodel.ext.asyncio.session import AsyncSession

from activities.actor import Actor
from activities.audit_trail import record
from activities.errors import UserError
from activities.kind import Profile
from activities.text import escape_mrkdwn
from storage import roles as store
from storage.models import RoleTerm

# "sponsor": organisers, admins and the holders of a named role titled "sponsor" (the
# people the community reports to); used by the community report.
Needs = Literal["member", "organiser", "sponsor", "admin"]
ORGANISER_ONLY = (
    "Only organisers and admins can do that. Ask a workspace admin to make you an "
    "organiser with `/community roles assign @you organiser`."
)
ADMIN_ONLY = "Only workspace admins (and the bot's configured admins) can change roles."
SPONSORS_ONLY = (
    "Only organisers and sponsors can see the community report. Ask an organiser to share "
    "it, or a workspace admin to give you the sponsor role with "
    "`/community roles assign @you sponsor`."
)
ORGANISER = "organiser"
# The named role whose holders get the community report (its name, any case).
SPONSOR = "sponsor"
ROLES = (ORGANISER,)
ASSIGN_EXAMPLE = "/community roles assign @ada organiser until 2027-11-30"
END_EXAMPLE = "/community roles end @ada"


@dataclass(frozen=True, slots=True)
class Standing:
    """What a person may do: decided from Slack's admin flag, the bootstrap list and terms."""

    is_admin: bool
    is_organiser: bool
    # When their last organiser term ended, if they had one and it is over.
    lapsed_on: date | None = None
    # Holds a current term of the named role "sponsor".
    is_sponsor: bool = False

    @property
    def may_organise(self) -> bool:
        return self.is_admin or self.is_organiser

    def allows(self, needs: Needs) -> bool:
        if needs == "admin":
            return self.is_admin
        if needs == "organiser":
            return self.may_organise
        if needs == "sponsor":
            return self.may_organise or self.is_sponsor
        return True

    def refusal(self, needs: Needs) -> str:
        """Why this person may not do something that `needs` a standing they lack."""
        if needs == "admin":
            return ADMIN_ONLY
        if needs == "sponsor":
            return SPONSORS_ONLY
        if self.lapsed_on is not None:
            return (
                f"Your organiser term ended on {self.lapsed_on.isoformat()}, so that is for "
                "organisers now. Ask a workspace admin to renew it with "
                "`/community roles assign @you organiser`."
            )
        return ORGANISER_ONLY


def default_term_end(start: date) -> date:
    """One year: the day before the same date next year (29 Feb falls back to 28 Feb)."""
    try:
        anniversary = start.replace(year=start.year + 1)
    except ValueError:
        anniversary = start.replace(year=start.year + 1, day=28)
    return anniversary - timedelta(days=1)


def parse_role(text: str) -> str:
    role = text.strip().lower().replace("organizer", "organiser")
    if role not in ROLES:
        raise UserError(
            f"Unknown role `{escape_mrkdwn(text[:40])}`. Roles: {', '.join(ROLES)}. "
            f"Example: `{ASSIGN_EXAMPLE}`"
        )
    return role


def parse_until(text: str, *, today: date) -> date:
    try:
        until = date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(
            f"`{escape_mrkdwn(text[:40])}` isn't a date. Use YYYY-MM-DD, e.g. `{ASSIGN_EXAMPLE}`"
        ) from None
    if until < today:
        raise UserError(f"{until.isoformat()} is in the past; a term must end today or later.")
    return until


async def standing(
    session: AsyncSession, *, team_id: str, user_id: str, is_admin: bool, today: date
) -> Standing:
    held = await store.current_roles_of(session, team_id=team_id, user_id=user_id, today=today)
    sponsor = SPONSOR in held
    if ORGANISER in held:
        return Standing(is_admin=is_admin, is_organiser=True, is_sponsor=sponsor)
    last = await store.last_term_for(session, team_id=team_id, user_id=user_id, role=ORGANISER)
    lapsed = None
    if last is not None:
        lapsed = min(last.ends_on, last.ended_at.date()) if last.ended_at else last.ends_on
    return Standing(is_admin=is_admin, is_organiser=False, lapsed_on=lapsed, is_sponsor=sponsor)


async def assign(
    session: AsyncSession,
    *,
    actor: Actor,
    user_id: str,
    profile: Profile | None,
    role: str,
    until: date | None,
    channel_id: str = "",
) -> RoleTerm:
    """Give `user_id` a term; an existing current term is replaced, not stacked.

    `profile` is what Slack says of the person: bots and deactivated accounts can't
    hold a role.
    """
    if profile is not None and (profile.is_bot or profile.deleted):
        raise UserError(f"<@{user_id}> is a bot or a deactivated account and can't hold a role.")
    today = actor.now.date()
    ends_on = until or default_term_end(today)
    existing = await store.current_term_for(
        session, team_id=actor.team_id, user_id=user_id, role=role, today=today
    )
    if existing is not None:
        await store.end_term(session, actor, term=existing)
    # A term starts the day it is assigned.
    term = await store.add_term(
        session,
        actor,
        user_id=user_id,
        role=role,
        starts_on=today,
        ends_on=ends_on,
        channel_id=channel_id,
    )
    detail = {"role": role, "until": ends_on.isoformat(), "replaced": existing is not None}
    await record(session, actor, "role.assign", f"user:{user_id}", detail)
    return term


async def end(
    session: AsyncSession, *, actor: Actor, user_id: str, role: str = ORGANISER
) -> RoleTerm:
    term = await store.current_term_for(
        session, team_id=actor.team_id, user_id=user_id, role=role, today=actor.now.date()
    )
    if term is None:
        raise UserError(f"<@{user_id}> holds no current {role} term.")
    await store.end_term(session, actor, term=term)
    detail = {"role": term.role, "was_until": term.ends_on.isoformat()}
    await record(session, actor, "role.end", f"user:{user_id}", detail)
    return term


async def current(session: AsyncSession, *, team_id: str, today: date) -> list[RoleTerm]:
    return await store.current_terms(session, team_id=team_id, today=today)
