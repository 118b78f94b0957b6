"""Advent's buttons and modals: contribute, add entries (also for a gap day), approve, return."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_bolt.async_app import AsyncApp

from activities.kinds.advent import use_cases as advent
from bot.blocks.forms import inputs_from_state
from bot.kinds.advent import blocks
from bot.listeners.context import Caller, Reply, metadata_of, on_action, opens_modal, submission


async def on_add_for_day(caller: Caller, clicked: dict[str, Any]) -> None:
    await caller.require_organiser()
    raw_id, _, raw_day = str(clicked.get("value", "")).partition(":")
    day = date.fromisoformat(raw_day)
    async with caller.services.db.session() as session:
        run = await caller.load(session, advent.load_run, int(raw_id))
    await caller.open_view(blocks.entries_modal(run, day))


async def on_approve(caller: Caller, clicked: dict[str, Any]) -> Reply:
    await caller.require_organiser()
    async with caller.services.db.session() as session:
        await advent.decide(
            session, caller.actor, entry_id=int(clicked.get("value", "")), approve=True, note=""
        )
    caller.services.courier.wake()
    await caller.publish_home()
    return Reply("✅ Approved: it joins the queue for the next free day.")


async def on_return(caller: Caller, clicked: dict[str, Any]) -> None:
    await caller.require_organiser()
    await caller.open_view(blocks.return_modal(int(clicked.get("value", ""))))


async def on_contribute_submitted(caller: Caller, view: dict[str, Any]) -> Reply:
    values = inputs_from_state(view["state"]["values"])
    metadata = metadata_of(view)
    async with caller.services.db.session() as session:
        run = await caller.load(session, advent.load_run, int(metadata["activity_id"]))
        await advent.contribute(
            session,
            caller.actor,
            activity=run,
            tip=values.get("tip", ""),
            link=values.get("link", ""),
            anonymous=values.get("credit") == blocks.ANONYMOUS,
        )
        await caller.redraw_organisers(session)  # "Advent tips to review"
    return Reply("🙌 Thanks! An organiser will read your tip; you'll hear back by DM.")


async def on_entries_submitted(caller: Caller, view: dict[str, Any]) -> Reply:
    await caller.require_organiser()
    values = inputs_from_state(view["state"]["values"])
    metadata = metadata_of(view)
    day = date.fromisoformat(metadata["day"]) if metadata.get("day") else None
    async with caller.services.db.session() as session:
        run = await caller.load(session, advent.load_run, int(metadata["activity_id"]))
        added = await advent.add_entries(
            session,
            activity=run,
            actor_id=caller.user_id,
            text=values.get("entries", ""),
            now=caller.now,
            pinned_on=day,
        )
    where = f" for {day:%a %d %b}" if day else ""
    return Reply(
        f"✅ Added {added} {'entry' if added == 1 else 'entries'}{where} to <#{run.channel_id}>."
    )


async def on_return_submitted(caller: Caller, view: dict[str, Any]) -> Reply:
    await caller.require_organiser()
    values = inputs_from_state(view["state"]["values"])
    async with caller.services.db.session() as session:
        await advent.decide(
            session,
            caller.actor,
            entry_id=int(metadata_of(view)["entry_id"]),
            approve=False,
            note=values.get("note", ""),
        )
    caller.services.courier.wake()
    await caller.publish_home()
    return Reply("↩️ Returned to its author with your note.")


def register(app: AsyncApp) -> None:
    on_action(app, (blocks.CONTRIBUTE,), opens_modal(advent.load_run, blocks.contribute_modal))
    on_action(app, (blocks.ADD_FOR_DAY,), on_add_for_day, needs="organiser")
    on_action(app, (blocks.APPROVE,), on_approve, needs="organiser")
    on_action(app, (blocks.RETURN,), on_return, needs="organiser")
    app.view(blocks.CONTRIBUTE_VIEW)(submission(on_contribute_submitted))
    app.view(blocks.ENTRIES_VIEW)(submission(on_entries_submitted))
    app.view(blocks.RETURN_VIEW)(submission(on_return_submitted))
