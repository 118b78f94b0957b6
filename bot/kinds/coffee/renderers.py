"""Renderers for coffee intents: group intros, check-ins, round summaries."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from activities.intents import IntentType
from activities.kinds.coffee import intents
from activities.kinds.coffee import use_cases as coffee
from bot.blocks.common import Block
from bot.delivery import Delivery, Post, Render, Renderer, Skip
from bot.kinds.coffee import blocks
from storage.kinds.coffee import queries as store
from storage.kinds.coffee.models import CoffeeGroup, CoffeeRound
from storage.models import Activity, OutboxMessage


@dataclass(frozen=True)
class _Group:
    """A group, with its id and the round and activity it belongs to."""

    group: CoffeeGroup
    id: int
    round: CoffeeRound
    activity: Activity


async def _group_round(session: AsyncSession, row: OutboxMessage) -> _Group | Skip:
    """The row's group, with its round and activity; or why there is nothing to send."""
    group = await store.get_group(session, group_id=int(row.payload["group_id"]))
    if group is None or group.id is None:
        return Skip("group deleted")
    found = await store.round_with_activity(session, round_id=group.round_id)
    if found is None:
        return Skip("round or activity deleted")
    return _Group(group, group.id, *found)


async def _intro(session: AsyncSession, row: OutboxMessage) -> Delivery:
    found = await _group_round(session, row)
    if isinstance(found, Skip):
        return found
    group, activity = found.group, found.activity
    text, body = blocks.intro(
        kind=activity.kind,
        channel_id=activity.channel_id,
        members=group.members,
        suggested_at=group.suggested_at,
        icebreaker=group.icebreaker,
        group_id=found.id,
    )
    return Post(text=text, blocks=body, users=tuple(group.members))


async def _intro_sent(session: AsyncSession, row: OutboxMessage, channel: str, ts: str) -> None:
    await store.record_dm(session, group_id=int(row.payload["group_id"]), channel_id=channel, ts=ts)


async def _checkin(session: AsyncSession, row: OutboxMessage) -> Delivery:
    found = await _group_round(session, row)
    if isinstance(found, Skip):
        return found
    group = found.group
    text, body = blocks.checkin(members=group.members, group_id=found.id)
    # Into the group's DM when it is known; either way it pings the group (quiet hours),
    # and asking once the round is over is pointless.
    return Post(
        text=text,
        blocks=body,
        channel=group.dm_channel_id or None,
        users=tuple(group.members),
        pointless_after=found.round.ends_at,
    )


# What a round's row says in the round's channel, given the round and its activity.
RoundMessage = Callable[[AsyncSession, CoffeeRound, Activity], Awaitable[tuple[str, list[Block]]]]


def in_round_channel(build: RoundMessage) -> Render:
    """Post what `build` says about the row's round in its activity's channel; skipped
    once the round (or its activity) is deleted."""

    async def render(session: AsyncSession, row: OutboxMessage) -> Delivery:
        found = await store.round_with_activity(session, round_id=int(row.payload["round_id"]))
        if found is None:
            return Skip("round deleted")
        rnd, activity = found
        text, body = await build(session, rnd, activity)
        return Post(text=text, blocks=body, channel=activity.channel_id)

    return render


async def _started(
    session: AsyncSession, rnd: CoffeeRound, activity: Activity
) -> tuple[str, list[Block]]:
    return blocks.round_started(
        kind=activity.kind, participants=rnd.participant_count, groups=rnd.group_count
    )


async def _ended(
    session: AsyncSession, rnd: CoffeeRound, activity: Activity
) -> tuple[str, list[Block]]:
    assert rnd.id is not None  # a stored round
    result = await coffee.outcome(session, round_id=rnd.id)
    return blocks.round_ended(kind=activity.kind, met=result.met, groups=result.groups)


RENDERERS: dict[IntentType, Renderer] = {
    intents.INTRO: Renderer(_intro, after_sent=_intro_sent),
    intents.CHECKIN: Renderer(_checkin),
    intents.ROUND_STARTED: Renderer(in_round_channel(_started)),
    intents.ROUND_ENDED: Renderer(in_round_channel(_ended)),
}
