"""How topic discussions are sent: the backlog message (kept up to date), prompts, DMs, digests."""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from activities.intents import IntentType
from activities.kinds.discussion import intents, rules
from activities.kinds.discussion import use_cases as topics
from bot.blocks.common import Block, context, section
from bot.delivery import Defer, Delivery, Post, Renderer, Skip, Update
from bot.kind_renderers import sent_message
from bot.kinds.discussion import blocks
from storage import activities as activity_store
from storage.kinds.discussion import queries as store
from storage.models import Activity, OutboxMessage


async def _activity(session: AsyncSession, row: OutboxMessage, activity_id: int) -> Activity | None:
    return await activity_store.get_activity(session, team_id=row.team_id, activity_id=activity_id)


async def _backlog_blocks(session: AsyncSession, activity: Activity) -> tuple[str, list[Block]]:
    assert activity.id is not None
    return blocks.backlog(
        activity_id=activity.id,
        ranked=await topics.ranked_backlog(session, activity_id=activity.id),
        past=await topics.archive(session, activity_id=activity.id, limit=5),
        next_slot=activity.next_run_at,
    )


async def _backlog(session: AsyncSession, row: OutboxMessage) -> Delivery:
    activity = await _activity(session, row, int(row.payload["activity_id"]))
    if activity is None:
        return Skip("discussion deleted")
    text, body = await _backlog_blocks(session, activity)
    return Post(text=text, blocks=body, channel=activity.channel_id)


async def _backlog_update(session: AsyncSession, row: OutboxMessage) -> Delivery:
    activity_id = int(row.payload["activity_id"])
    activity = await _activity(session, row, activity_id)
    if activity is None:
        return Skip("discussion deleted")
    posted = await sent_message(session, intents.BACKLOG.key_of(activity_id), what="the backlog")
    if posted is None:
        return Skip("the backlog was never posted")
    text, body = await _backlog_blocks(session, activity)
    return Update(channel=posted.channel_id, ts=posted.ts, text=text, blocks=body)


async def _prompt(session: AsyncSession, row: OutboxMessage) -> Delivery:
    topic = await store.get_topic(session, team_id=row.team_id, topic_id=row.payload["topic_id"])
    if topic is None:
        return Skip("topic deleted")
    activity = await _activity(session, row, topic.activity_id)
    if activity is None:
        return Skip("discussion deleted")
    late = row.payload.get("late_since")
    text, body = blocks.prompt(topic, late_since=datetime.fromisoformat(late) if late else None)
    return Post(text=text, blocks=body, channel=activity.channel_id)


async def _prompt_sent(session: AsyncSession, row: OutboxMessage, channel: str, ts: str) -> None:
    # The prompt row's own time stands for "now" (a renderer has no clock): the DM is due
    # at once either way.
    await topics.prompt_posted(
        session, team_id=row.team_id, topic_id=int(row.payload["topic_id"]), now=row.created_at
    )


async def _sent_prompt(session: AsyncSession, row: OutboxMessage) -> tuple[topics.PastPrompt, str]:
    topic = await store.get_topic(session, team_id=row.team_id, topic_id=row.payload["topic_id"])
    if topic is None:
        raise LookupError("topic deleted")
    past = await topics.prompt_of(session, topic=topic)
    if past is None:
        raise Defer("the prompt is not posted yet")
    return past, topic.proposer_id


async def _proposer(session: AsyncSession, row: OutboxMessage) -> Delivery:
    try:
        past, proposer_id = await _sent_prompt(session, row)
    except LookupError as exc:
        return Skip(str(exc))
    text = blocks.proposer_dm(past.topic, past.channel_id, past.ts)
    return Post(text=text, blocks=[section(text)], users=(proposer_id,))


async def _digest(session: AsyncSession, row: OutboxMessage) -> Delivery:
    try:
        past, _ = await _sent_prompt(session, row)
    except LookupError as exc:
        return Skip(str(exc))
    line = rules.digest_line(past.people, past.replies)
    return Post(
        text=line, blocks=[context(f"📊 {line}")], channel=past.channel_id, thread_ts=past.ts
    )


async def _ask(session: AsyncSession, row: OutboxMessage) -> Delivery:
    activity = await _activity(session, row, int(row.payload["activity_id"]))
    if activity is None:
        return Skip("discussion deleted")
    assert activity.id is not None
    text, body = blocks.ask(
        activity_id=activity.id,
        left=int(row.payload["left"]),
        slot=datetime.fromisoformat(row.payload["slot"]),
    )
    return Post(text=text, blocks=body, channel=activity.channel_id)


RENDERERS: dict[IntentType, Renderer] = {
    intents.PROMPT: Renderer(_prompt, after_sent=_prompt_sent),
    intents.PROPOSER: Renderer(_proposer),
    intents.BACKLOG: Renderer(_backlog),
    intents.BACKLOG_UPDATE: Renderer(_backlog_update),
    intents.ASK: Renderer(_ask),
    intents.DIGEST: Renderer(_digest),
}
