"""Talks on the Slack side: `/community talks`, the volunteer modal, the organisers' backlog,
each talk's steps, the call for speakers and the Q&A summary for the speaker."""

from __future__ import annotations

from typing import Any

from activities.kinds.talks import intents as talk_intents
from activities.kinds.talks import rules
from activities.kinds.talks import use_cases as talks
from activities.kinds.talks.kind import KIND
from bot.blocks.common import Block
from bot.home import HomeRequest, Waiting
from bot.kinds.talks import actions, blocks, commands
from bot.kinds.talks.renderers import RENDERERS
from bot.listeners.actions.rsvp import rsvp_home
from bot.listeners.context import Sub
from bot.plugin import KindPlugin, run_dated_steps
from bot.scheduler import Periodic, never_due, read_due
from bot.services import Services
from storage import outbox
from storage.kinds.talks import queries as store


async def talk_steps(services: Services) -> None:
    """Each talk's dated steps and the series' calls for speakers (each claimed once)."""
    await run_dated_steps(
        services,
        "talks tick",
        {"steps": talks.talk_steps, "calls": talks.call_for_speakers},
        counted=("steps",),
    )


def _questions(messages: list[dict[str, Any]], qa_ts: str) -> list[tuple[str, str, int]]:
    """People's replies in the Q&A thread: (user, ts, how many reactions)."""
    found = []
    for message in messages:
        if message.get("ts") == qa_ts or message.get("bot_id") or not message.get("user"):
            continue
        reactions = sum(int(r.get("count", 0)) for r in message.get("reactions") or [])
        found.append((str(message["user"]), str(message["ts"]), reactions))
    return found


async def summarise_questions(services: Services) -> None:
    """After a talk, read its Q&A thread from Slack and send the speaker links to the
    questions, most-reacted first. Only links are kept: the bot stores no message text."""
    async with services.db.session() as session:
        due = await store.to_summarise(session)
    for talk in due:
        assert talk.id is not None
        async with services.db.session() as session:
            posted = await outbox.get_by_key(session, dedupe_key=talk_intents.QA.key_of(talk.id))
        linked: list[tuple[str, str, int]] = []
        if posted is not None and posted.ts:
            client = await services.clients.for_team(talk.team_id)
            replies = await client.conversations_replies(channel=posted.channel_id, ts=posted.ts)
            asked = _questions(list(replies.get("messages") or []), posted.ts)
            for user, ts, reactions in rules.order_questions(asked)[: rules.SUMMARY_LIMIT]:
                found = await client.chat_getPermalink(channel=posted.channel_id, message_ts=ts)
                linked.append((user, str(found["permalink"]), reactions))
        async with services.db.session() as session:
            await talks.record_summary(
                session, talk=talk, questions=linked, now=services.clock.now()
            )
        services.courier.wake()


async def talks_home(home: HomeRequest) -> list[Block]:
    return blocks.home_section(await talks.SERIES.live(home.session, team_id=home.team_id))


async def talks_waiting(home: HomeRequest) -> list[Waiting]:
    async def items() -> list[Block]:
        found = await talks.BACKLOG.waiting(home.session, team_id=home.team_id)
        return blocks.waiting_items(found.first, found.more)

    total = await talks.BACKLOG.total(home.session, team_id=home.team_id)
    return [Waiting("talks_backlog", "Volunteered talks to schedule", total, items=items)]


PLUGIN = KindPlugin(
    kind=KIND,
    renderers=RENDERERS,
    periodic=(
        Periodic(talk_steps, read_due(talks.next_due)),
        # Set off by the talk's last step, in the same tick.
        Periodic(summarise_questions, never_due),
    ),
    home=(talks_home, rsvp_home),
    waiting=(talks_waiting,),
    listeners=(actions.register,),
    community={"talks": Sub(commands.handle)},
)
