"""Renderers for recognition intents: a win's post, thanks by DM and in the channel, the
monthly wins digest. Each reads its row at send time (the outbox keeps only ids)."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from activities import intents
from activities.intents import IntentType
from activities.recognition import Month
from bot.blocks import recognition as blocks
from bot.delivery import Delivery, Post, Renderer, Skip
from storage import recognition as store
from storage.models import OutboxMessage


async def _win(session: AsyncSession, row: OutboxMessage) -> Delivery:
    win = await store.get_win(session, win_id=int(row.payload["win_id"]))
    if win is None:
        return Skip("win gone")
    text, body = blocks.win_post(win, str(row.payload.get("source_link") or ""))
    return Post(text=text, blocks=body, channel=str(row.payload["channel"]))


async def _win_sent(session: AsyncSession, row: OutboxMessage, channel: str, ts: str) -> None:
    await store.record_post(session, win_id=int(row.payload["win_id"]), channel_id=channel, ts=ts)


async def _thanks_dm(session: AsyncSession, row: OutboxMessage) -> Delivery:
    thanks = await store.get_thanks(session, thanks_id=int(row.payload["thanks_id"]))
    if thanks is None:
        return Skip("thanks gone")
    text, body = blocks.thanks_dm(thanks)
    return Post(text=text, blocks=body, users=(thanks.receiver_id,))


async def _thanks_post(session: AsyncSession, row: OutboxMessage) -> Delivery:
    thanks = await store.get_thanks(session, thanks_id=int(row.payload["thanks_id"]))
    if thanks is None or not thanks.channel_id:
        return Skip("thanks gone or no channel")
    # Opted out since it was given: the shout-out is not posted after all.
    if await store.opted_out(session, team_id=thanks.team_id, user_id=thanks.receiver_id):
        return Skip("the receiver opted out of shout-outs")
    text, body = blocks.thanks_post(thanks)
    return Post(text=text, blocks=body, channel=thanks.channel_id)


async def _digest(session: AsyncSession, row: OutboxMessage) -> Delivery:
    month = Month.parse(str(row.payload["month"]))
    start, end = month.window()
    wins = await store.wins_between(session, team_id=row.team_id, start=start, end=end)
    if not wins:
        return Skip("no wins that month")
    text, body = blocks.wins_digest(month.label, wins)
    return Post(text=text, blocks=body, channel=str(row.payload["channel"]))


RENDERERS: dict[IntentType, Renderer] = {
    intents.WIN_POST: Renderer(_win, after_sent=_win_sent),
    intents.THANKS_DM: Renderer(_thanks_dm),
    intents.THANKS_POST: Renderer(_thanks_post),
    intents.WINS_DIGEST: Renderer(_digest),
}
