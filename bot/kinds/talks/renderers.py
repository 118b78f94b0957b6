"""How a talk series' intents are sent: calls, DMs to speakers and those going,
the announcement with live RSVP counts, the Q&A thread, the thank-you."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from activities import rsvp_answers
from activities.intents import IntentType
from activities.kind import read_settings
from activities.kinds.talks import intents, rules
from activities.kinds.talks.rules import TalksSettings
from bot.blocks.common import Block, section
from bot.delivery import Delivery, Post, Renderer, Skip, Update
from bot.kind_renderers import in_its_channel
from bot.kinds.talks import blocks
from storage import activities as activity_store
from storage import members, outbox
from storage.kinds.talks import queries as store
from storage.kinds.talks.models import Talk, TalkStatus
from storage.models import Activity, OutboxMessage


@dataclass(frozen=True, slots=True)
class Loaded:
    series: Activity
    talk: Talk


async def _load(session: AsyncSession, row: OutboxMessage) -> Loaded | None:
    talk = await store.get_talk(session, team_id=row.team_id, talk_id=int(row.payload["talk_id"]))
    if talk is None:
        return None
    series = await activity_store.get_activity(
        session, team_id=row.team_id, activity_id=talk.activity_id
    )
    return Loaded(series, talk) if series is not None else None


async def _zone(session: AsyncSession, team_id: str, user_id: str, default: str) -> str:
    member = await members.get_member(session, team_id=team_id, user_id=user_id)
    return member.timezone if member and member.timezone else default


def _dm(
    user_id: str,
    text: str,
    body: list[Block] | None = None,
    *,
    answer: bool = False,
    pointless_after: datetime | None = None,
) -> Post:
    return Post(
        text=text,
        blocks=body or [section(text)],
        users=(user_id,),
        answer=answer,
        pointless_after=pointless_after,
    )


async def _ack(session: AsyncSession, row: OutboxMessage) -> Delivery:
    loaded = await _load(session, row)
    if loaded is None:
        return Skip("talk gone")
    # The speaker just volunteered it: the acknowledgement answers them, at once.
    return _dm(loaded.talk.speaker_id, blocks.ack(loaded.talk), answer=True)


async def _answer(session: AsyncSession, row: OutboxMessage) -> Delivery:
    loaded = await _load(session, row)
    if loaded is None:
        return Skip("talk gone")
    talk = loaded.talk
    if talk.status == TalkStatus.DECLINED:
        return _dm(talk.speaker_id, blocks.declined_dm(talk))
    if talk.status != TalkStatus.SCHEDULED:
        return Skip("no longer scheduled")
    zone = await _zone(session, row.team_id, talk.speaker_id, loaded.series.timezone)
    return _dm(talk.speaker_id, blocks.scheduled_dm(talk, zone))


async def _announcement(session: AsyncSession, loaded: Loaded) -> tuple[str, list[Block]]:
    assert loaded.talk.id is not None
    key = rules.event_key(loaded.talk.id)
    event = await rsvp_answers.state(session, team_id=loaded.talk.team_id, event_key=key)
    return blocks.announcement(loaded.series.title, loaded.talk, event)


async def _announce(session: AsyncSession, row: OutboxMessage) -> Delivery:
    loaded = await _load(session, row)
    if loaded is None:
        return Skip("talk gone")
    text, body = await _announcement(session, loaded)
    return Post(text=text, blocks=body, channel=loaded.series.channel_id)


async def _announce_update(session: AsyncSession, row: OutboxMessage) -> Delivery:
    posted = await outbox.get_by_key(
        session, dedupe_key=intents.ANNOUNCE.key_of(int(row.payload["talk_id"]))
    )
    loaded = await _load(session, row)
    if loaded is None or posted is None or not posted.ts:
        # Not announced yet: the announcement, when it goes, shows the current state.
        return Skip("not announced")
    text, body = await _announcement(session, loaded)
    return Update(channel=posted.channel_id, ts=posted.ts, text=text, blocks=body)


async def _checkin(session: AsyncSession, row: OutboxMessage) -> Delivery:
    loaded = await _load(session, row)
    if loaded is None or loaded.talk.slot_at is None:
        return Skip("talk gone")
    talk = loaded.talk
    zone = await _zone(session, row.team_id, talk.speaker_id, loaded.series.timezone)
    text, body = blocks.checkin(talk, zone)
    return _dm(talk.speaker_id, text, body, pointless_after=talk.slot_at)


async def _reminder(session: AsyncSession, row: OutboxMessage) -> Delivery:
    loaded = await _load(session, row)
    if loaded is None or loaded.talk.slot_at is None:
        return Skip("talk gone")
    user_id = str(row.payload["user_id"])
    zone = await _zone(session, row.team_id, user_id, loaded.series.timezone)
    text = blocks.reminder(loaded.talk, str(row.payload["stage"]), zone)
    return _dm(user_id, text, pointless_after=loaded.talk.slot_at)


async def _changed(session: AsyncSession, row: OutboxMessage) -> Delivery:
    loaded = await _load(session, row)
    if loaded is None:
        return Skip("talk gone")
    user_id = str(row.payload["user_id"])
    zone = await _zone(session, row.team_id, user_id, loaded.series.timezone)
    return _dm(user_id, blocks.changed(loaded.talk, zone))


async def _qa(session: AsyncSession, row: OutboxMessage) -> Delivery:
    loaded = await _load(session, row)
    if loaded is None:
        return Skip("talk gone")
    settings = read_settings(TalksSettings, loaded.series)
    text = blocks.qa(loaded.talk, settings.call_link)
    return Post(text=text, blocks=[section(text)], channel=loaded.series.channel_id)


async def _thanks(session: AsyncSession, row: OutboxMessage) -> Delivery:
    loaded = await _load(session, row)
    if loaded is None:
        return Skip("talk gone")
    text = blocks.thanks(loaded.talk)
    return Post(text=text, blocks=[section(text)], channel=loaded.series.channel_id)


async def _summary(session: AsyncSession, row: OutboxMessage) -> Delivery:
    loaded = await _load(session, row)
    if loaded is None:
        return Skip("talk gone")
    text = blocks.summary(loaded.talk, row.payload.get("questions") or [])
    return _dm(loaded.talk.speaker_id, text)


RENDERERS: dict[IntentType, Renderer] = {
    intents.CALL: in_its_channel(blocks.call, gone="series deleted"),
    intents.ACK: Renderer(_ack),
    intents.ANSWER: Renderer(_answer),
    intents.ANNOUNCE: Renderer(_announce),
    intents.ANNOUNCE_UPDATE: Renderer(_announce_update),
    intents.CHECKIN: Renderer(_checkin),
    intents.REMINDER: Renderer(_reminder),
    intents.CHANGED: Renderer(_changed),
    intents.QA: Renderer(_qa),
    intents.THANKS: Renderer(_thanks),
    intents.SUMMARY: Renderer(_summary),
}
