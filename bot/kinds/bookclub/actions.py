"""Book-club buttons and the proposal modal: Propose a book, +1, Open the vote, progress."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp

from activities.kinds.bookclub import rules
from activities.kinds.bookclub import use_cases as club
from bot.blocks.forms import view_inputs
from bot.kinds.bookclub import blocks
from bot.kinds.bookclub.commands import open_vote, proposed_text
from bot.listeners.context import Caller, Reply, metadata_of, on_action, opens_modal, submission

log = logging.getLogger(__name__)


async def on_propose_submitted(caller: Caller, view: dict[str, Any]) -> Reply:
    club_id = int(metadata_of(view)["club"])
    typed = view_inputs(view)
    book = rules.check_proposal(
        *(typed.get(name, "") for name in ("title", "author", "link", "why"))
    )
    async with caller.services.db.session() as session:
        found = await caller.load(session, club.load_club, club_id)
        done = await club.propose(session, caller.actor, club=found, book=book)
        await caller.redraw_organisers(session)  # "Books proposed for …"
    caller.services.courier.wake()
    return Reply(proposed_text(done, found.channel_id), channel_id=found.channel_id)


async def on_upvote(caller: Caller, clicked: dict[str, Any]) -> Reply:
    async with caller.services.db.session() as session:
        proposal, added = await club.toggle_upvote(
            session, caller.actor, proposal_id=int(clicked["value"])
        )
    caller.services.courier.wake()
    name = blocks.book_text(proposal)
    return Reply(f"👍 +1 for {name}." if added else f"Took back your +1 for {name}.")


async def on_open_vote(caller: Caller, clicked: dict[str, Any]) -> Reply:
    await caller.require_organiser()
    return await open_vote(caller, int(clicked["value"]), rules.DEFAULT_VOTE_FOR)


async def on_progress(caller: Caller, clicked: dict[str, Any]) -> Reply:
    answer = clicked["action_id"].removeprefix(blocks.PROGRESS_PREFIX)
    async with caller.services.db.session() as session:
        milestone = await club.record_progress(
            session, caller.actor, milestone_id=int(clicked["value"]), answer=answer
        )
    async with caller.services.db.session() as session:
        await club.refresh_milestone(session, milestone=milestone, now=caller.now)
    caller.services.courier.wake()
    return Reply(f"📖 Noted: {rules.PROGRESS[answer]} with {milestone.section}.")


def register(app: AsyncApp) -> None:
    on_action(app, (blocks.PROPOSE,), opens_modal(club.load_club, blocks.propose_modal))
    on_action(app, (blocks.UPVOTE,), on_upvote)
    on_action(app, (blocks.OPEN_VOTE,), on_open_vote, needs="organiser")
    progress = [f"{blocks.PROGRESS_PREFIX}{answer}" for answer in rules.PROGRESS]
    on_action(app, progress, on_progress)
    app.view(blocks.PROPOSE_MODAL)(submission(on_propose_submitted))
