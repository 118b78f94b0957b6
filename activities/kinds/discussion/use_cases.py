"""Topic discussions: a voted backlog, the top topic posted each slot, the archive, digests."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from activities import due, engagement, intents, manage
from activities.actor import Actor
from activities.errors import UserError
from activities.kind import RunContext
from activities.kinds.discussion import intents as topic_intents
from activities.kinds.discussion import rules
from activities.lookup import KindLookup
from activities.text import escape_mrkdwn, truncate
from storage import activities as activity_store
from storage import outbox
from storage.kinds.discussion import queries as store
from storage.kinds.discussion.models import DiscussionTopic, TopicState
from storage.models import Activity, ActivityState

log = logging.getLogger(__name__)

NOT_DISCUSSION = "That isn't a topic discussion. `/community activities` lists them."


SERIES = KindLookup(store.KIND, missing=NOT_DISCUSSION)
load_series = SERIES.load


async def pick_series(
    session: AsyncSession, *, team_id: str, channel_id: str, activity_id: int | None
) -> Activity:
    """The series a member means: the one named, else the one in this channel, else the only one."""
    if activity_id is not None:
        return await load_series(session, team_id=team_id, activity_id=activity_id)
    series = await activity_store.list_activities(
        session,
        team_id=team_id,
        states=(ActivityState.ACTIVE, ActivityState.PAUSED),
        kinds=(store.KIND,),
    )
    here = [a for a in series if a.channel_id == channel_id]
    if here:
        return here[-1]
    if len(series) == 1:
        return series[0]
    if not series:
        raise UserError("There is no topic discussion here yet.")
    ids = ", ".join(f"{a.id} (<#{a.channel_id}>)" for a in series)
    raise UserError(f"Which discussion? Run the command in its channel. Series: {ids}.")


async def _topic(session: AsyncSession, team_id: str, topic_id: int) -> DiscussionTopic:
    topic = await store.get_topic(session, team_id=team_id, topic_id=topic_id)
    if topic is None:
        raise UserError(f"There is no topic {topic_id}. `/community topics` lists them.")
    return topic


def _require_open(topic: DiscussionTopic, doing: str) -> None:
    if topic.state == TopicState.USED:
        raise UserError(
            f"Topic {topic.id} was already discussed; it is in the archive, so you can't "
            f"{doing} it. Pick one from `/community topics`."
        )
    if topic.state != TopicState.OPEN:
        raise UserError(f"Topic {topic.id} is {topic.state}; it isn't in the backlog any more.")


async def touch_backlog(session: AsyncSession, *, activity: Activity, now: datetime) -> None:
    """Post the backlog message the first time, and keep it up to date after."""
    assert activity.id is not None
    posted = await outbox.get_by_key(session, dedupe_key=topic_intents.BACKLOG.key_of(activity.id))
    if posted is None:
        await intents.say(
            session,
            team_id=activity.team_id,
            intent=topic_intents.BACKLOG.of(activity.id),
            now=now,
        )
        return
    await intents.refresh(
        session,
        team_id=activity.team_id,
        intent=topic_intents.BACKLOG_UPDATE.of(activity.id),
        now=now,
    )


async def add_topic(
    session: AsyncSession, actor: Actor, *, activity: Activity, text: str
) -> DiscussionTopic:
    assert activity.id is not None
    if activity.state not in (ActivityState.ACTIVE, ActivityState.PAUSED):
        raise UserError(f"That discussion is {activity.state}; it takes no topics.")
    text = rules.check_topic(text)
    backlog = await store.open_with_votes(session, activity_id=activity.id)
    rules.check_new(text, [(t.id or 0, t.text) for t, _ in backlog])
    topic = await store.add_topic(session, actor, activity=activity, text=text)
    await touch_backlog(session, activity=activity, now=actor.now)
    return topic


async def _backlog_changed(session: AsyncSession, topic: DiscussionTopic, now: datetime) -> None:
    """Redraw the backlog message of the topic's series."""
    activity = await load_series(session, team_id=topic.team_id, activity_id=topic.activity_id)
    await touch_backlog(session, activity=activity, now=now)


async def vote(session: AsyncSession, actor: Actor, *, topic_id: int) -> DiscussionTopic:
    topic = await _topic(session, actor.team_id, topic_id)
    _require_open(topic, "vote for")
    if not await store.add_vote(session, topic_id=topic_id, user_id=actor.user_id, now=actor.now):
        raise UserError(f"You already upvoted topic {topic_id}; one vote each.")
    await _backlog_changed(session, topic, actor.now)
    return topic


async def change(
    session: AsyncSession,
    actor: Actor,
    *,
    topic_id: int,
    organiser: bool,
    action: str,
    text: str = "",
    into_id: int | None = None,
) -> DiscussionTopic:
    """Withdraw (its proposer), or edit, merge or remove (organisers) an open topic."""
    topic = await _topic(session, actor.team_id, topic_id)
    _require_open(topic, action)
    if action == "withdraw":
        if topic.proposer_id != actor.user_id:
            raise UserError("Only the member who suggested a topic can withdraw it.")
        topic.state = TopicState.WITHDRAWN
    elif not organiser:
        raise UserError("Only organisers can edit, merge or remove topics.")
    elif action == "edit":
        topic.text = rules.check_topic(text)
    elif action == "remove":
        topic.state = TopicState.REMOVED
    elif action == "merge":
        assert into_id is not None
        target = await _topic(session, actor.team_id, into_id)
        if target.id == topic.id or target.activity_id != topic.activity_id:
            raise UserError("Merge a topic into another topic of the same discussion.")
        _require_open(target, "merge into")
        await store.move_votes(session, from_id=topic_id, into_id=into_id, now=actor.now)
        topic.state, topic.merged_into = TopicState.MERGED, into_id
    else:
        raise ValueError(f"unknown topic action {action}")
    session.add(topic)
    await session.flush()
    await _backlog_changed(session, topic, actor.now)
    return topic


async def ranked_backlog(
    session: AsyncSession, *, activity_id: int
) -> list[tuple[DiscussionTopic, int]]:
    """Open topics in the order they would be picked (most votes, then oldest)."""
    backlog = await store.open_with_votes(session, activity_id=activity_id)
    by_id = {t.id: (t, n) for t, n in backlog}
    order = rules.rank([rules.Ranked(t.id or 0, n, t.created_at) for t, n in backlog])
    return [by_id[r.topic_id] for r in order]


async def run(ctx: RunContext) -> None:
    """A slot: the top topic becomes the prompt (its proposer asked to open the thread);
    with no topic at all the slot is skipped and the organisers are told."""
    activity = ctx.activity
    assert activity.id is not None and ctx.run.id is not None
    backlog = await ranked_backlog(ctx.session, activity_id=activity.id)
    if not backlog:
        told = await manage.organisers(ctx.session, activity=activity, today=ctx.now.date())
        said = (
            f"💬 The topic discussion in <#{activity.channel_id}> skipped this slot: "
            'the backlog is empty. Add topics with `/community topics add "…"` '
            "before the next one."
        )
        await intents.tell_skipped(
            ctx.session, activity, run_id=ctx.run.id, reason=said, now=ctx.now, to=told
        )
        log.info("discussion slot skipped", extra={"activity_id": activity.id})
        return
    topic, _ = backlog[0]
    assert topic.id is not None
    topic.state = TopicState.USED
    topic.used_at = ctx.now
    ctx.session.add(topic)
    await ctx.session.flush()
    late = ctx.run.scheduled_for if ctx.run.late else None
    await intents.say(
        ctx.session,
        team_id=activity.team_id,
        intent=topic_intents.prompt(topic_id=topic.id, late_since=late),
        now=ctx.now,
    )
    await touch_backlog(ctx.session, activity=activity, now=ctx.now)


async def prompt_posted(
    session: AsyncSession, *, team_id: str, topic_id: int, now: datetime
) -> None:
    """Once the prompt is in the channel: ask its proposer to open the thread, and list it
    in the backlog message's archive (both need the prompt's link)."""
    topic = await _topic(session, team_id, topic_id)
    await intents.say(session, team_id=team_id, intent=topic_intents.PROPOSER.of(topic_id), now=now)
    await _backlog_changed(session, topic, now)


async def ask_if_low(session: AsyncSession, *, activity: Activity, now: datetime) -> bool:
    """Two days before a slot with fewer than two topics left, ask the channel (once)."""
    assert activity.id is not None
    left = len(await store.open_with_votes(session, activity_id=activity.id))
    if not rules.needs_topics(left, activity.next_run_at, now):
        return False
    assert activity.next_run_at is not None
    await intents.say(
        session,
        team_id=activity.team_id,
        intent=topic_intents.ask(activity_id=activity.id, slot=activity.next_run_at, left=left),
        now=now,
    )
    return True


async def send_digests(session: AsyncSession, *, now: datetime) -> int:
    """The day after a prompt, one line under it: who took part, how many replies."""
    due = await store.claim_due_digests(session, used_before=now - rules.DIGEST_AFTER, now=now)
    for topic in due:
        assert topic.id is not None
        await intents.say(
            session, team_id=topic.team_id, intent=topic_intents.DIGEST.of(topic.id), now=now
        )
    return len(due)


@dataclass(frozen=True, slots=True)
class PastPrompt:
    topic: DiscussionTopic
    channel_id: str
    ts: str
    replies: int
    people: int


async def prompt_of(session: AsyncSession, *, topic: DiscussionTopic) -> PastPrompt | None:
    """Where a used topic's prompt is, and how it went (None until it is posted)."""
    assert topic.id is not None
    sent = await outbox.get_by_key(session, dedupe_key=topic_intents.prompt_key(topic.id))
    post = engagement.post_of(sent)
    if post is None:
        return None
    stats = await engagement.stats(session, post)
    people = await engagement.participants(session, post)
    return PastPrompt(topic, post.channel_id, post.ts, stats.replies, len(people))


async def archive(session: AsyncSession, *, activity_id: int, limit: int = 50) -> list[PastPrompt]:
    found = []
    for topic in await store.used(session, activity_id=activity_id, limit=limit):
        past = await prompt_of(session, topic=topic)
        if past is not None:
            found.append(past)
    return found


def quoted(topic: DiscussionTopic, limit: int = 200) -> str:
    return escape_mrkdwn(truncate(topic.text, limit))


async def tick(session: AsyncSession, *, activity: Activity, now: datetime) -> None:
    await ask_if_low(session, activity=activity, now=now)


async def next_due(session: AsyncSession, *, activity: Activity, now: datetime) -> datetime | None:
    """When `tick` may next need to ask this series for topics (two days before its slot)."""
    slot = activity.next_run_at
    return due.next_after(now, [slot - rules.ASK_AHEAD if slot else None])


async def next_digest_due(session: AsyncSession, *, now: datetime) -> datetime | None:
    """When `send_digests` next has a digest to post."""
    used = await store.next_used_for_digest(session, after=now - rules.DIGEST_AFTER)
    return due.next_after(now, [used + rules.DIGEST_AFTER if used else None])


async def waiting(
    session: AsyncSession,
    *,
    team_id: str,
    last_looked: Callable[[int], datetime | None] = lambda series_id: None,
) -> list[tuple[Activity, int]]:
    """Each running series with how many topics came into its backlog since the
    organiser last looked it over (`last_looked`, by series id; every open topic if
    never): those wait for them to edit, merge or remove. A series with none new is
    listed with 0."""
    found = []
    for series in await SERIES.live(session, team_id=team_id):
        assert series.id is not None
        since = last_looked(series.id)
        found.append((series, await store.count_open(session, activity_id=series.id, since=since)))
    return found
