"""A poll among a role's volunteers, made by the poll kind's own `create_poll`.

Admins open it (Home tab or `/community roles poll "<role>"`); it is posted in the
community's home channel, one option a volunteer. When the poll closes, the admins are
told the result with an "Appoint" button that goes through `governance.appoint`, so the
race rules and the handover flow are those of any appointment.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from activities import governance, intents
from activities.actor import Actor
from activities.audit_trail import bot_actor, record
from activities.errors import UserError
from activities.kinds.poll import use_cases as polls
from activities.kinds.poll.rules import MAX_OPTIONS, build_poll_spec
from activities.role_poll_rules import enough_volunteers, leaders, option_labels
from activities.text import escape_mrkdwn
from storage import governance as store
from storage import role_polls as poll_store
from storage.kinds.poll import queries as poll_rows
from storage.kinds.poll.models import Poll
from storage.models import RolePoll, VolunteerCall

log = logging.getLogger(__name__)

POLL_EXAMPLE = '/community roles poll "Book club host" --closes 3d'
DEFAULT_POLL_FOR = timedelta(days=3)
ALREADY_OPEN = "A poll among the volunteers for *{name}* is already open: it closes {when}."


async def call_of_role(session: AsyncSession, *, team_id: str, text: str) -> VolunteerCall:
    """The open call for volunteers of the role named `text`, or a UserError saying why."""
    if not text.strip():
        raise UserError(f"Which role? Example: `{POLL_EXAMPLE}`")
    key = await governance.resolve_role(session, team_id=team_id, text=text)
    call = await store.open_call_for(session, team_id=team_id, role=key)
    if call is None:
        name = await governance.role_name(session, team_id=team_id, key=key)
        raise UserError(
            f"There is no open call for volunteers for *{escape_mrkdwn(name)}*, "
            "so there is nobody to poll."
        )
    return call


async def volunteer_ids(session: AsyncSession, *, call_id: int) -> list[str]:
    return [v.user_id for v in await store.volunteers(session, call_id=call_id)]


async def open_poll(
    session: AsyncSession,
    *,
    actor: Actor,
    call_id: int,
    names: Mapping[str, str],
    closes_after: timedelta,
) -> tuple[RolePoll, Poll]:
    """Post a poll among the call's volunteers (`names`: their display names)."""
    call = await store.get_call(session, call_id=call_id)
    if call is None or call.team_id != actor.team_id:
        raise UserError("That call for volunteers no longer exists.")
    name = await governance.role_name(session, team_id=actor.team_id, key=call.role)
    if call.appointed_user_id:
        raise UserError(f"<@{call.appointed_user_id}> was already appointed; no poll is needed.")
    people = [v.user_id for v in await store.volunteers(session, call_id=call_id)]
    if not enough_volunteers(len(people)):
        raise UserError(
            f"A poll needs at least two volunteers; *{escape_mrkdwn(name)}* has "
            f"{len(people)}. Appoint from your Home tab instead, or wait for more."
        )
    live = await poll_store.live_for_call(session, call_id=call_id)
    if live is not None:
        raise UserError(await _already_open(session, live, name))
    people = people[:MAX_OPTIONS]
    spec = build_poll_spec(
        f"🗳️ Who should be our {name}?",
        option_labels([names.get(u, "") for u in people]),
        closes_at=actor.now + closes_after,
        now=actor.now,
    )
    settings = await store.settings_of(session, team_id=actor.team_id)
    channel_id = settings.home_channel_id or call.channel_id
    # The admin's own open tab is redrawn by the request, with its waiting line open.
    poll = await polls.create_poll(
        session, actor=actor, channel_id=channel_id, spec=spec, but=actor.user_id
    )
    assert poll.id is not None
    row = RolePoll(
        team_id=actor.team_id,
        call_id=call_id,
        poll_id=poll.id,
        user_ids=people,
        opened_by=actor.user_id,
        opened_at=actor.now,
    )
    if not await poll_store.add(session, row=row):  # another admin, at the same moment
        live = await poll_store.live_for_call(session, call_id=call_id)
        raise UserError(await _already_open(session, live, name) if live else "Try again.")
    detail = {"call_id": call_id, "poll_id": poll.id, "volunteers": len(people)}
    await record(session, actor, "role.poll", f"role:{call.role}", detail)
    return row, poll


async def _already_open(session: AsyncSession, live: RolePoll, name: str) -> str:
    poll = await poll_rows.get_poll(session, poll_id=live.poll_id)
    when = poll.closes_at.strftime("%Y-%m-%d %H:%M UTC") if poll and poll.closes_at else "later"
    return ALREADY_OPEN.format(name=escape_mrkdwn(name), when=when)


async def settle_closed(
    session: AsyncSession, *, now: datetime, admin_ids: frozenset[str]
) -> list[RolePoll]:
    """Role polls whose poll closed: tell the admins who leads, with buttons to appoint.
    The ones this pass settled (the admins' Home tabs no longer show them open)."""
    settled = []
    for row, poll in await poll_store.to_settle(session):
        assert row.id is not None
        if not await poll_store.claim_settle(session, role_poll_id=row.id, now=now):
            continue
        settled.append(row)
        if poll.deleted_at is not None:
            continue  # deleted: nothing to report, and a new poll may be opened
        result = await result_of(session, row=row, poll=poll)
        detail = {"poll_id": poll.id, "leaders": [u for u, _ in result.leaders]}
        subject = f"role:{result.call.role}"
        await record(session, bot_actor(row.team_id, now), "role.poll_result", subject, detail)
        told = [
            intents.ROLE_POLL_RESULT(
                f"roles:poll:{row.id}:result:{a}", role_poll_id=row.id, admin_id=a
            )
            for a in sorted({row.opened_by, *admin_ids})
        ]
        await intents.say_all(session, team_id=row.team_id, said=told, now=now)
    if settled:
        log.info("role polls settled", extra={"count": len(settled)})
    return settled


@dataclass(frozen=True, slots=True)
class PollResult:
    """What the admins are told when a role poll closes."""

    call: VolunteerCall  # its `role` is the role's key
    role_name: str
    counts: list[tuple[str, int]]  # (option label, votes), in the poll's order
    leaders: list[tuple[str, str]]  # (user id, option label) of those with the most votes


async def result_of(session: AsyncSession, *, row: RolePoll, poll: Poll) -> PollResult:
    tally, _ = await polls.load_tally(session, poll)
    call = await store.get_call(session, call_id=row.call_id)
    assert call is not None
    labels = list(poll.options)
    ahead = [(row.user_ids[i], labels[i]) for i in leaders(tally.counts) if i < len(row.user_ids)]
    name = await governance.role_name(session, team_id=row.team_id, key=call.role)
    return PollResult(call, name, list(zip(labels, tally.counts, strict=True)), ahead)


async def result_for(session: AsyncSession, *, role_poll_id: int) -> PollResult | None:
    row = await poll_store.get(session, role_poll_id=role_poll_id)
    poll = await poll_rows.get_poll(session, poll_id=row.poll_id) if row else None
    if row is None or poll is None:
        return None
    return await result_of(session, row=row, poll=poll)
