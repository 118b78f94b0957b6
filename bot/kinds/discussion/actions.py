"""Topic discussions' buttons and modal: upvote on the backlog message, suggest a topic."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from activities.kinds.discussion import use_cases as topics
from bot.blocks.forms import inputs_from_state
from bot.kinds.discussion import blocks, commands
from bot.listeners.context import Caller, Reply, metadata_of, on_action, opens_modal, submission


async def on_upvote(caller: Caller, clicked: dict[str, Any]) -> Reply:
    return await commands.upvote(caller, int(clicked.get("value", "")))


async def on_suggest_submitted(caller: Caller, view: dict[str, Any]) -> Reply:
    values = inputs_from_state(view["state"]["values"])
    async with caller.services.db.session() as session:
        series = await caller.load(
            session, topics.load_series, int(metadata_of(view)["activity_id"])
        )
        topic = await topics.add_topic(
            session, caller.actor, activity=series, text=values.get("topic", "")
        )
        await caller.redraw_organisers(session)  # "New topics in the backlog"
    caller.services.courier.wake()
    return Reply(f"✅ Added topic {topic.id} to the backlog in <#{series.channel_id}>.")


def register(app: AsyncApp) -> None:
    on_action(app, (blocks.UPVOTE,), on_upvote)
    on_action(app, (blocks.SUGGEST,), opens_modal(topics.load_series, blocks.suggest_modal))
    app.view(blocks.SUGGEST_VIEW)(submission(on_suggest_submitted))
