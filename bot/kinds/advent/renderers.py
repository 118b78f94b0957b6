"""How advent is sent: day posts and the recap in the run's channel, notices by DM."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from activities.intents import IntentType
from activities.kinds.advent import intents, rules
from activities.kinds.advent import use_cases as advent
from bot.blocks.common import section
from bot.delivery import Defer, Delivery, Post, Renderer, Skip
from bot.kind_renderers import row_activity
from bot.kinds.advent import blocks
from storage.kinds.advent import queries as store
from storage.models import OutboxMessage


async def _day(session: AsyncSession, row: OutboxMessage) -> Delivery:
    payload = row.payload
    activity = await row_activity(session, row)
    entry = await store.get_entry(session, team_id=row.team_id, entry_id=payload["entry_id"])
    if activity is None or entry is None:
        return Skip("run or entry deleted")
    yesterday = payload.get("yesterday")
    look_back = None
    if yesterday:
        look_back = rules.yesterday_line(
            int(yesterday["reactions"]),
            int(yesterday["replies"]),
            previous=date.fromisoformat(yesterday["day"]),
            today=date.fromisoformat(payload["day"]),
        )
    late = payload.get("late_since")
    text, body = blocks.day_post(
        activity_id=payload["activity_id"],
        number=int(payload["number"]),
        total=int(payload["total"]),
        tip=entry.text,
        link=entry.link,
        author_id=None if entry.anonymous else entry.author_id,
        late_since=datetime.fromisoformat(late) if late else None,
        look_back=look_back,
    )
    return Post(text=text, blocks=body, channel=activity.channel_id)


async def _recap(session: AsyncSession, row: OutboxMessage) -> Delivery:
    activity = await row_activity(session, row)
    if activity is None:
        return Skip("run deleted")
    if await advent.days_in_flight(session, activity=activity):
        raise Defer("the last day's post is still being sent")
    days = await advent.recap_days(session, activity=activity)
    total = len(rules.days(advent.settings_of(activity)))
    text, body = blocks.recap(days, advent.most_reacted(days), total)
    return Post(text=text, blocks=body, channel=activity.channel_id)


async def _gap(session: AsyncSession, row: OutboxMessage) -> Delivery:
    payload = row.payload
    activity = await row_activity(session, row)
    if activity is None:
        return Skip("run deleted")
    day = date.fromisoformat(payload["day"])
    plan = await advent.schedule_plan(session, activity=activity)
    if plan.get(day) is not None:
        return Skip("the day was filled meanwhile")
    text, body = blocks.gap_notice(
        activity_id=payload["activity_id"],
        channel_id=activity.channel_id,
        day=day,
        number=int(payload["number"]),
    )
    return Post(text=text, blocks=body, users=(str(payload["user_id"]),))


async def _note(session: AsyncSession, row: OutboxMessage) -> Delivery:
    text = str(row.payload["text"])
    return Post(text=text, blocks=[section(text)], users=(str(row.payload["user_id"]),))


RENDERERS: dict[IntentType, Renderer] = {
    intents.DAY: Renderer(_day),
    intents.RECAP: Renderer(_recap),
    intents.GAP: Renderer(_gap),
    intents.NOTE: Renderer(_note),
}
