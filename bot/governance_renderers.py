"""Renderers for governance intents: rotation DMs and their settled copies, calls for
volunteers, handover requests, welcomes, empty roles and the charter."""

from __future__ import annotations

from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from activities import governance, intents, role_polls
from activities.intents import IntentType
from activities.roles import ORGANISER
from bot.blocks import governance as blocks
from bot.blocks.common import section
from bot.delivery import Defer, Delivery, Post, Renderer, Skip, Update
from storage import activities as activity_store
from storage import governance as store
from storage import outbox
from storage import roles as term_store
from storage.models import Activity, OutboxMessage, OutboxStatus


async def _name(session: AsyncSession, team_id: str, key: str) -> str:
    role = await store.get_role(session, team_id=team_id, key=key)
    return role.name if role else "Organiser" if key == ORGANISER else key


async def _ask(session: AsyncSession, row: OutboxMessage) -> Delivery:
    """A rotation DM; a copy that goes out after the term was answered (it was held for
    its reader's quiet hours) says what was decided instead of asking."""
    term = await term_store.get_term(session, term_id=row.payload["term_id"])
    if term is None:
        return Skip("term gone")
    decided = await store.decision_for(session, term_id=term.id or 0, cycle=row.payload["cycle"])
    if decided is None and (term.ended_at is not None or term.cycle != row.payload["cycle"]):
        return Skip("term ended or renewed already")
    name = await _name(session, term.team_id, term.role)
    if decided is not None:
        text, body = blocks.rotation_settled(term, name, decided)
    else:
        text, body = blocks.rotation_ask(term, name, int(row.payload["window"]))
    return Post(text=text, blocks=body, users=(str(row.payload["user_id"]),))


async def _settled(session: AsyncSession, row: OutboxMessage) -> Delivery:
    source = await outbox.get_by_key(session, dedupe_key=str(row.payload["source"]))
    term = await term_store.get_term(session, term_id=row.payload["term_id"])
    decided = await store.decision_for(
        session, term_id=row.payload["term_id"], cycle=row.payload["cycle"]
    )
    if source is None or term is None or decided is None:
        return Skip("nothing to update")
    if not source.ts:
        # Only a copy being sent now gets its ts shortly. One still to be sent (held for
        # quiet hours, or waiting to retry) is rendered when it goes, showing the
        # decision; one skipped, failed or dropped has nothing to update.
        if source.status == OutboxStatus.SENDING:
            raise Defer("the copy is being sent: no ts yet")
        if source.status == OutboxStatus.PENDING:
            return Skip("the copy is still to be sent; it will show the decision")
        return Skip("the copy was skipped or never sent: nothing to update")
    text, body = blocks.rotation_settled(
        term, await _name(session, term.team_id, term.role), decided
    )
    return Update(channel=source.channel_id, ts=source.ts, text=text, blocks=body)


async def _call(session: AsyncSession, row: OutboxMessage) -> Delivery:
    call = await store.get_call(session, call_id=row.payload["call_id"])
    if call is None or not call.channel_id:
        return Skip("no call or no channel to post it in")
    role = await store.get_role(session, team_id=call.team_id, key=call.role)
    name = role.name if role else "Organiser"
    term = await term_store.get_term(session, term_id=call.term_id) if call.term_id else None
    ends = f" — <@{term.user_id}>'s term ends {term.ends_on.isoformat()}" if term else ""
    text, body = blocks.volunteer_call(call.id or 0, name, governance.involves_of(role), ends)
    return Post(text=text, blocks=body, channel=call.channel_id)


async def _handover(session: AsyncSession, row: OutboxMessage) -> Delivery:
    term = await term_store.get_term(session, term_id=row.payload["term_id"])
    if term is None:
        return Skip("term gone")
    text, body = blocks.handover_ask(term, await _name(session, term.team_id, term.role))
    return Post(text=text, blocks=body, users=(term.user_id,))


async def _welcome(session: AsyncSession, row: OutboxMessage) -> Delivery:
    term = await term_store.get_term(session, term_id=row.payload["term_id"])
    if term is None:
        return Skip("term gone")
    outgoing_id = row.payload.get("outgoing_term_id")
    outgoing = await term_store.get_term(session, term_id=outgoing_id) if outgoing_id else None
    role = await store.get_role(session, team_id=term.team_id, key=term.role)
    looked_after: list[Activity] = []
    for activity_id in row.payload.get("activity_ids") or []:
        found = await activity_store.get_activity(
            session, team_id=term.team_id, activity_id=int(activity_id)
        )
        if found is not None:
            looked_after.append(found)
    text, body = blocks.welcome(
        role.name if role else "Organiser",
        outgoing.handover_note if outgoing else "",
        governance.checklist_of(role),
        outgoing.user_id if outgoing else "",
        looked_after,
    )
    return Post(text=text, blocks=body, users=(term.user_id,))


async def _empty(session: AsyncSession, row: OutboxMessage) -> Delivery:
    term = await term_store.get_term(session, term_id=row.payload["term_id"])
    if term is None:
        return Skip("term gone")
    holders = await store.current_holders(
        session, team_id=term.team_id, role=term.role, today=row.created_at.date()
    )
    if holders:
        return Skip("someone holds the role again")
    name = await _name(session, term.team_id, term.role)
    text = (
        f"Nobody holds *{name}* now: <@{term.user_id}>'s term ended on "
        f"{term.ends_on.isoformat()}. Its activities keep running. Appoint someone from the "
        "volunteers on your Home tab, or `/community roles assign`."
    )
    return Post(text=text, blocks=[section(text)], users=(str(row.payload["admin_id"]),))


async def _poll_result(session: AsyncSession, row: OutboxMessage) -> Delivery:
    result = await role_polls.result_for(session, role_poll_id=int(row.payload["role_poll_id"]))
    if result is None:
        return Skip("the poll is gone")
    text, body = blocks.poll_result(result, int(row.payload["role_poll_id"]))
    return Post(text=text, blocks=body, users=(str(row.payload["admin_id"]),))


async def _charter(session: AsyncSession, row: OutboxMessage) -> Delivery:
    text = await charter_for(session, team_id=row.team_id, today=row.created_at.date())
    joinable = await activity_store.list_activities(session, team_id=row.team_id)
    body = blocks.charter_blocks(text, joinable)
    return Post(
        text="Welcome! Here's our community's charter.",
        blocks=body,
        users=(str(row.payload["user_id"]),),
    )


async def charter_for(session: AsyncSession, *, team_id: str, today: date) -> str:
    settings = await store.settings_of(session, team_id=team_id)
    organisers = await store.current_holders(session, team_id=team_id, role=ORGANISER, today=today)
    sponsors = await store.current_holders(session, team_id=team_id, role="sponsor", today=today)
    return blocks.charter_text(
        settings, [t.user_id for t in organisers], [t.user_id for t in sponsors]
    )


RENDERERS: dict[IntentType, Renderer] = {
    intents.ROTATION_ASK: Renderer(_ask),
    intents.ROTATION_SETTLED: Renderer(_settled),
    intents.VOLUNTEER_CALL: Renderer(_call),
    intents.HANDOVER_ASK: Renderer(_handover),
    intents.ROLE_WELCOME: Renderer(_welcome),
    intents.ROLE_EMPTY: Renderer(_empty),
    intents.ROLE_POLL_RESULT: Renderer(_poll_result),
    intents.CHARTER_WELCOME: Renderer(_charter),
}
