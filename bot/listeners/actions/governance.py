"""Governance buttons and modals: rotation answers, handover notes, volunteering,
appointing (admins, on the Home tab) and the charter editor."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from activities import charter, governance
from activities.errors import UserError
from bot.blocks import governance as blocks
from bot.blocks.forms import view_inputs
from bot.listeners.commands import role_poll
from bot.listeners.context import Caller, Reply, metadata_of, on_action, submission
from storage import governance as store
from storage import roles as term_store

CHOICE_OF = {action_id: choice for choice, action_id in blocks.ROTATION_ACTIONS.items()}


def _pair(value: str) -> tuple[int, str]:
    first, second = value.split(":", 1)
    if not first.isdigit() or not second:
        raise ValueError(value)
    return int(first), second


async def on_rotation(caller: Caller, clicked: dict[str, Any]) -> Reply:
    term_id, cycle = _pair(str(clicked.get("value", "")))
    choice = CHOICE_OF[clicked["action_id"]]
    standing = await caller.standing()
    async with caller.services.db.session() as session:
        term = await governance.decide(
            session,
            actor=caller.actor,
            actor_is_admin=standing.is_admin,
            term_id=term_id,
            cycle=int(cycle),
            choice=choice,
        )
        if choice == governance.RENEW:
            await caller.redraw_homes(session, [term.user_id], admins=True)  # the new end date
    caller.services.work_soon()
    if choice == governance.RENEW:
        return Reply(f"✅ Renewed: the term now ends on {term.ends_on.isoformat()}.")
    if choice == governance.HANDOVER:
        if caller.user_id == term.user_id:
            await caller.open_view(blocks.handover_modal(term_id, term.handover_note))
        return Reply("🤝 Handing over: a call for volunteers is out and a handover note is asked.")
    return Reply(f"The term will lapse on {term.ends_on.isoformat()}.")


async def on_handover_note(caller: Caller, clicked: dict[str, Any]) -> None:
    term_id = int(str(clicked.get("value", "")))
    async with caller.services.db.session() as session:
        term = await term_store.get_term(session, term_id=term_id)
    if term is None or term.team_id != caller.team_id or term.user_id != caller.user_id:
        raise UserError("Only the outgoing holder writes the handover note for their term.")
    await caller.open_view(blocks.handover_modal(term_id, term.handover_note))


async def on_handover_submitted(caller: Caller, view: dict[str, Any]) -> Reply:
    term_id = int(metadata_of(view)["term"])
    note = view_inputs(view).get("note", "")
    if not note.strip():
        raise UserError("Write a line or two for whoever takes the role on.", field="note")
    async with caller.services.db.session() as session:
        await governance.save_handover_note(session, actor=caller.actor, term_id=term_id, note=note)
    return Reply("📝 Saved: your handover note goes to whoever is appointed.")


async def on_volunteer(caller: Caller, clicked: dict[str, Any]) -> Reply:
    call_id = int(str(clicked.get("value", "")))
    async with caller.services.db.session() as session:
        call = await governance.volunteer(session, actor=caller.actor, call_id=call_id, note="")
        name = await governance.role_name(session, team_id=caller.team_id, key=call.role)
        await caller.redraw_homes(session, admins=True)  # the admins' "Volunteers for …" line
    await caller.open_view(blocks.volunteer_modal(call_id, name))
    return Reply(f"🙌 Thank you! The admins will see you volunteered (call #{call.id}).")


async def on_volunteer_note(caller: Caller, view: dict[str, Any]) -> Reply | None:
    note = view_inputs(view).get("note", "")
    if not note.strip():
        return None
    async with caller.services.db.session() as session:
        call_id = int(metadata_of(view)["call"])
        await governance.volunteer_note(session, actor=caller.actor, call_id=call_id, note=note)
        await caller.redraw_homes(session, admins=True)  # the line shows next to their name
    return Reply("Thanks: the admins will see your line next to your name.")


async def on_appoint(caller: Caller, clicked: dict[str, Any]) -> Reply:
    call_id, user_id = _pair(str(clicked.get("value", "")))
    profile = await caller.services.directory.profile(caller.team_id, user_id)
    async with caller.services.db.session() as session:
        done = await governance.appoint(
            session, actor=caller.actor, call_id=call_id, user_id=user_id, profile=profile
        )
        # The incoming and outgoing holders' terms and activities; the admins' volunteers.
        outgoing = [done.outgoing.user_id] if done.outgoing else []
        await caller.redraw_homes(session, [user_id, *outgoing], admins=True)
    caller.services.work_soon()
    moved = f" {len(done.activities)} activities moved to them." if done.activities else ""
    return Reply(f"✅ Appointed <@{user_id}> until {done.term.ends_on.isoformat()}.{moved}")


async def on_charter_submitted(caller: Caller, view: dict[str, Any]) -> Reply:
    await caller.require_organiser()
    async with caller.services.db.session() as session:
        settings = await store.settings_of(session, team_id=caller.team_id)
        typed = view_inputs(view)
        for key, _, _ in blocks.CHARTER_FIELDS:
            setattr(settings, key, typed.get(key, "").strip())
        settings.updated_by = caller.user_id
        settings.updated_at = caller.now
        await store.save_settings(session, settings=settings)
        await charter.record_charter_edit(session, actor=caller.actor)
    return Reply("📜 Charter saved. See it with `/community charter`.")


def register(app: AsyncApp) -> None:
    on_action(app, list(blocks.ROTATION_ACTIONS.values()), on_rotation)
    on_action(app, [blocks.HANDOVER_NOTE_ACTION], on_handover_note)
    on_action(app, [blocks.VOLUNTEER_ACTION], on_volunteer)
    on_action(app, blocks.APPOINT_ACTIONS, on_appoint, needs="admin")
    on_action(app, [blocks.POLL_ACTION], role_poll.on_button, needs="admin")
    app.view(blocks.HANDOVER_CALLBACK)(submission(on_handover_submitted))
    app.view(blocks.CHARTER_CALLBACK)(submission(on_charter_submitted))
    app.view(blocks.VOLUNTEER_CALLBACK)(submission(on_volunteer_note))
