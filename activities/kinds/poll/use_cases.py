"""Poll use-cases: create, vote, close, delete, export, deadlines, reminders, the `poll` kind.

Each call runs in the caller's transaction; what must be said to Slack is recorded as
intents (outbox rows). Voting is atomic in the database: see storage/polls.py.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from activities import due, intents
from activities.actor import Actor
from activities.clock import Clock
from activities.intents import Intent
from activities.kind import RunContext, read_settings
from activities.kinds.poll import intents as poll_intents
from activities.kinds.poll.rules import (
    PollError,
    PollSettings,
    PollSpec,
    Tally,
    VoteDecision,
    build_poll_spec,
    decide_vote,
    next_event_template,
    results_csv,
    results_summary,
)
from activities.text import escape_mrkdwn
from storage import activities as activity_store
from storage import outbox, rows
from storage.db import Database
from storage.group_commit import GroupCommit
from storage.kinds.poll import queries as store
from storage.kinds.poll.models import Poll

log = logging.getLogger(__name__)

REMIND_BEFORE = timedelta(hours=1)
# A reminder only makes sense for polls that stay open a while longer than that.
REMIND_MIN_OPEN = timedelta(hours=2)

DELETED_REFUSAL = "This poll was deleted, so it takes no more votes."
NOT_THIS_POLL = "That button doesn't belong to this poll. Vote with the buttons on the poll itself."
NO_POLL = "I can't find that poll any more."
CREATOR_OR_ORGANISER = "Only the person who created this poll, organisers and admins can {what} it."
CLOSED_REFUSAL = "This poll is closed, so votes can no longer be changed."
ALREADY_CLOSED = "This poll is already closed."
ALREADY_DELETED = "This poll is already deleted."
HIDDEN_UNTIL_CLOSE = (
    "This poll hides its results until it closes, so it can't be exported yet. "
    "Close it first, or export it after its deadline."
)


# --------------------------------------------------------------------------- helpers


def voter_key(*, poll: Poll, user_id: str, secret: str) -> str:
    """The stored key: the user id on named polls, an HMAC of (poll, user) on anonymous ones."""
    if not poll.anonymous:
        return user_id
    message = f"{poll.id}:{user_id}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def _context(poll: Poll) -> dict[str, Any]:
    return {"team_id": poll.team_id, "poll_id": poll.id, "channel": poll.channel_id}


async def load_tally(
    session: AsyncSession, poll: Poll
) -> tuple[Tally, dict[int, list[str]] | None]:
    """The current tally, plus voters per option for named polls (None when anonymous)."""
    assert poll.id is not None
    per_option, voters = await store.counts(session, poll_id=poll.id)
    counts = tuple(per_option.get(i, 0) for i in range(len(poll.options)))
    tally = Tally(counts=counts, voters=voters, votes=sum(counts))
    if poll.anonymous:
        return tally, None
    return tally, await store.voters_by_option(session, poll_id=poll.id)


async def _load(session: AsyncSession, *, team_id: str, poll_id: int) -> Poll:
    poll = await store.get_poll(session, poll_id=poll_id, team_id=team_id)
    if poll is None:
        raise PollError(NO_POLL)
    return poll


async def _enqueue(session: AsyncSession, poll: Poll, intent: Intent, now: datetime) -> None:
    await outbox.enqueue(session, team_id=poll.team_id, intent=intent, now=now)


async def _redraw_members(session: AsyncSession, poll: Poll, now: datetime, but: str = "") -> None:
    """Opened, closed or deleted, whatever made it (/poll, a schedule, a book club, a role
    poll): the channel's members' open Home tabs list the open polls they haven't voted in
    (`but`: see create_poll)."""
    await intents.redraw_channel(
        session, team_id=poll.team_id, channel_id=poll.channel_id, now=now, but=but
    )


# --------------------------------------------------------------------------- create


async def create_poll(
    session: AsyncSession,
    *,
    actor: Actor,
    channel_id: str,
    spec: PollSpec,
    activity_id: int | None = None,
    but: str = "",
) -> Poll:
    """Store a validated poll (created by `actor`) and ask for it to be posted in the
    channel, and for its members' Home tabs to be redrawn (not `but`'s: the request
    redraws that one itself, where it was)."""
    made = Poll(
        team_id=actor.team_id,
        channel_id=channel_id,
        creator_id=actor.user_id,
        activity_id=activity_id,
        created_at=actor.now,
        **spec.columns(),
    )
    poll = await rows.add_row(session, row=made)
    assert poll.id is not None
    await _enqueue(session, poll, poll_intents.POST.of(poll.id), actor.now)
    await _redraw_members(session, poll, actor.now, but)
    log.info("poll created", extra={**_context(poll), "options": len(poll.options)})
    return poll


# --------------------------------------------------------------------------- vote


@dataclass(frozen=True)
class VoteOutcome:
    """What a click did. ``poll`` carries the poll's fixed facts (id, team, options, kind);
    it may come from a cache, so its ``closed_at``/``deleted_at`` are not current."""

    poll: Poll
    decision: VoteDecision
    option_text: str
    changed: bool = False


@dataclass(frozen=True)
class Ballot:
    """One click on a vote button, as Slack described it."""

    team_id: str
    poll_id: int
    option_index: int
    user_id: str
    channel_id: str
    message_ts: str
    now: datetime

    @classmethod
    def by(
        cls, actor: Actor, poll_id: int, option_index: int, *, channel_id: str, message_ts: str
    ) -> Ballot:
        """The ballot of the person's click (who, when) on the poll message at `message_ts`."""
        return cls(
            actor.team_id, poll_id, option_index, actor.user_id, channel_id, message_ts, actor.now
        )


@dataclass(frozen=True)
class PostedPoll:
    """The facts of a posted poll that never change: its row's fixed columns and the
    message it was posted as. Closing and deleting do change, so they are read per batch."""

    poll: Poll
    channel_id: str
    # None while the post is on its way: Slack shows the message (and takes clicks on
    # it) before the bot has recorded its ts.
    ts: str | None


class PostedPolls:
    """A small in-process cache of PostedPoll, so a vote does not re-read them.

    Safe across processes: nothing cached here is ever updated (the poll's options,
    kind and limits are set at creation; the post's channel and ts once it was sent).
    """

    def __init__(self, capacity: int = 1024) -> None:
        self._capacity = capacity
        self._items: OrderedDict[int, PostedPoll] = OrderedDict()

    def get(self, poll_id: int) -> PostedPoll | None:
        item = self._items.get(poll_id)
        if item is not None:
            self._items.move_to_end(poll_id)
        return item

    def put(self, item: PostedPoll) -> None:
        assert item.poll.id is not None
        self._items[item.poll.id] = item
        self._items.move_to_end(item.poll.id)
        while len(self._items) > self._capacity:
            self._items.popitem(last=False)


async def _posted_poll(
    session: AsyncSession, *, poll_id: int, cache: PostedPolls | None
) -> PostedPoll | None:
    """The poll and its message, from the cache or the database (None: no such post).

    A post still on its way is returned with no ts and not cached, so the next vote
    reads the ts once it is recorded."""
    item = cache.get(poll_id) if cache is not None else None
    if item is not None:
        return item
    poll = await store.get_poll(session, poll_id=poll_id)
    posted = await outbox.get_by_key(session, dedupe_key=poll_intents.POST.key_of(poll_id))
    if poll is None:
        raise PollError(NO_POLL)
    if posted is None:
        return None
    # The outbox row learns its channel when it is sent; the poll's own is the same.
    item = PostedPoll(poll, posted.channel_id or poll.channel_id, posted.ts or None)
    if cache is not None and item.ts is not None:
        cache.put(item)
    return item


async def cast_vote(
    session: AsyncSession,
    *,
    team_id: str,
    poll_id: int,
    option_index: int,
    user_id: str,
    channel_id: str,
    message_ts: str,
    secret: str,
    now: datetime,
) -> VoteOutcome:
    """Toggle ``user_id``'s vote for an option; raises PollError with the reason if refused.

    One ballot through cast_votes, in the caller's transaction.
    """
    ballot = Ballot(team_id, poll_id, option_index, user_id, channel_id, message_ts, now)
    (result,) = await cast_votes(session, [ballot], secret=secret, now=now)
    if isinstance(result, PollError):
        raise result
    return result


async def cast_votes(
    session: AsyncSession,
    ballots: Sequence[Ballot],
    *,
    secret: str,
    now: datetime,
    cache: PostedPolls | None = None,
) -> list[VoteOutcome | PollError]:
    """Apply ``ballots`` in order, in the caller's transaction; one outcome or refusal each.

    A click must come from the poll's own message (channel and ts), so a button value
    edited to point at another poll is refused. Per poll, whatever the number of ballots:
    the poll held and read (closed? deleted?), the voters' current picks read, the net
    changes written (a delete and an upsert), and one request to redraw the message, all
    in this transaction. The database still enforces one vote per (poll, voter, slot).
    ``now`` is this transaction's time (the redraw is timed from it); each vote keeps its
    click's time.
    """
    results: list[VoteOutcome | PollError | None] = [None] * len(ballots)
    by_poll: dict[int, list[int]] = {}
    for i, ballot in enumerate(ballots):
        by_poll.setdefault(ballot.poll_id, []).append(i)
    for poll_id, indices in by_poll.items():
        for i, result in zip(
            indices,
            await _cast_on_poll(
                session,
                poll_id,
                [ballots[i] for i in indices],
                secret=secret,
                now=now,
                cache=cache,
            ),
            strict=True,
        ):
            results[i] = result
    return [r for r in results if r is not None]


async def _cast_on_poll(
    session: AsyncSession,
    poll_id: int,
    ballots: list[Ballot],
    *,
    secret: str,
    now: datetime,
    cache: PostedPolls | None,
) -> list[VoteOutcome | PollError]:
    try:
        posted = await _posted_poll(session, poll_id=poll_id, cache=cache)
    except PollError as exc:
        return [exc for _ in ballots]
    # Held until commit: nothing read below can change before the writes land.
    state = await store.hold_for_votes(session, poll_id=poll_id)
    if state is None:
        return [PollError(NO_POLL) for _ in ballots]
    refusal = DELETED_REFUSAL if state[1] is not None else CLOSED_REFUSAL if state[0] else None
    out: list[VoteOutcome | PollError] = []
    valid: list[tuple[int, Ballot, str]] = []
    for ballot in ballots:
        poll = posted.poll if posted is not None else None
        if poll is None or poll.team_id != ballot.team_id:
            out.append(PollError(NO_POLL if posted is not None else NOT_THIS_POLL))
        elif posted is None or not _from_message(
            posted.channel_id, posted.ts, clicked_in=ballot.channel_id, clicked_ts=ballot.message_ts
        ):
            log.warning("vote refused: click not from the poll's message", extra=_context(poll))
            out.append(PollError(NOT_THIS_POLL))
        elif not 0 <= ballot.option_index < len(poll.options):
            out.append(PollError(NOT_THIS_POLL))
        elif refusal is not None:
            out.append(PollError(refusal))
        else:
            key = voter_key(poll=poll, user_id=ballot.user_id, secret=secret)
            valid.append((len(out), ballot, key))
            out.append(PollError(NOT_THIS_POLL))  # replaced below
    if not valid or posted is None:
        return out
    poll = posted.poll
    keys = [key for _, _, key in valid]
    before = await store.picks_of(session, poll_id=poll_id, voter_keys=keys)
    picks = dict(before)
    voted_at: dict[str, datetime] = {}
    for position, ballot, key in valid:
        decision = decide_vote(
            max_choices=poll.max_choices,
            current=picks.get(key, frozenset()),
            clicked=ballot.option_index,
            option_count=len(poll.options),
        )
        changed = decision.accepted
        if changed:
            # A voter's later clicks in this batch see this one.
            picks[key] = _after(picks.get(key, frozenset()), decision)
            voted_at[key] = ballot.now
            # Never the voter: anonymous polls must not leave a trace of who voted in logs.
            log.debug("vote recorded", extra={**_context(poll), "action": decision.action})
        out[position] = VoteOutcome(
            poll, decision, poll.options[ballot.option_index], changed=changed
        )
    if voted_at:
        await _write_changes(session, poll, before=before, after=picks, voted_at=voted_at)
        # Timed from now, not from the clicks: a click that waited in the queue must not
        # make the courier think the last redraw was longer ago than it was.
        await refresh_message(session, poll=poll, now=now)
    return out


def _after(current: frozenset[int], decision: VoteDecision) -> frozenset[int]:
    held = current - decision.remove_indices
    return held | {decision.add_index} if decision.add_index is not None else held


async def _write_changes(
    session: AsyncSession,
    poll: Poll,
    *,
    before: dict[str, frozenset[int]],
    after: dict[str, frozenset[int]],
    voted_at: dict[str, datetime],
) -> None:
    """Write each voter's net change: a batch costs two statements, however many votes.

    Single choice keeps a voter's vote in slot 0 (so they hold one row at most); multi
    choice holds one row per option, its slot the option.
    """
    assert poll.id is not None
    single = poll.max_choices == 1
    remove: list[tuple[str, int]] = []
    put: list[store.VoteRow] = []
    for key, when in voted_at.items():
        old, new = before.get(key, frozenset()), after.get(key, frozenset())
        if single:
            if new and new != old:
                put.append(store.VoteRow(key, 0, next(iter(new)), when))
            elif old and not new:
                remove.append((key, 0))
        else:
            remove.extend((key, index) for index in sorted(old - new))
            put.extend(store.VoteRow(key, index, index, when) for index in sorted(new - old))
    await store.write_votes(
        session,
        team_id=poll.team_id,
        poll_id=poll.id,
        remove=remove,
        put=put,
        single_choice=single,
    )


async def refresh_message(session: AsyncSession, *, poll: Poll, now: datetime) -> None:
    """Ask for the poll message to be redrawn, in the transaction that changed the votes.

    The write locks the outbox row until this transaction commits, so the courier either
    claims it afterwards (and renders these votes) or had claimed it before (then
    mark_sent sees the new version and sends again): the last tally is always drawn. It
    is one write per batch of votes (a version bump while a redraw is due, the upsert
    after one was sent), and the courier coalesces the sends to about one a second.
    """
    assert poll.id is not None
    if not await outbox.refresh_unsent(session, dedupe_key=poll_intents.UPDATE.key_of(poll.id)):
        await _enqueue(session, poll, poll_intents.UPDATE.of(poll.id), now)


class VoteQueue:
    """Group commit for votes: clicks that arrive together share one transaction.

    Each click waits for its own outcome (see storage/group_commit.py). A flood of votes
    then costs a few statements per vote and one commit per batch, instead of a
    transaction each, and a lone vote still goes straight through.
    """

    def __init__(self, db: Database, *, secret: str, clock: Clock, max_batch: int = 200) -> None:
        self._secret = secret
        self._clock = clock
        self._cache = PostedPolls()
        self._batches: GroupCommit[Ballot, VoteOutcome] = GroupCommit(
            db, self._apply, name="vote-queue", max_batch=max_batch
        )

    async def cast(self, ballot: Ballot) -> VoteOutcome:
        """Apply one click; raises PollError with the reason if it was refused."""
        return await self._batches.submit(ballot)

    async def _apply(
        self, session: AsyncSession, ballots: Sequence[Ballot]
    ) -> list[VoteOutcome | PollError]:
        return await cast_votes(
            session, ballots, secret=self._secret, now=self._clock.now(), cache=self._cache
        )


# --------------------------------------------------------------------------- manage


async def _load_managed(
    session: AsyncSession,
    actor: Actor,
    poll_id: int,
    may_organise: bool,
    what: str,
    if_deleted: str = DELETED_REFUSAL,
) -> Poll:
    """The poll, if ``actor`` may ``what`` it (its creator or an organiser) and it
    isn't deleted; otherwise a PollError saying why (``if_deleted`` for a deleted poll).
    """
    poll = await _load(session, team_id=actor.team_id, poll_id=poll_id)
    if actor.user_id != poll.creator_id and not may_organise:
        raise PollError(CREATOR_OR_ORGANISER.format(what=what))
    if poll.deleted_at is not None:
        raise PollError(if_deleted)
    return poll


async def _ended(session: AsyncSession, poll: Poll, now: datetime, how: str, *also: Intent) -> None:
    """`poll` was just closed or deleted (`how`): its message is redrawn (and `also` said),
    its members' Home tabs too, and the change is logged."""
    assert poll.id is not None
    for intent in (poll_intents.UPDATE.of(poll.id), *also):
        await _enqueue(session, poll, intent, now)
    await _redraw_members(session, poll, now)
    log.info("poll %s", how, extra=_context(poll))


async def _close(session: AsyncSession, poll: Poll, now: datetime) -> bool:
    assert poll.id is not None
    if not await store.mark_closed(session, poll_id=poll.id, now=now):
        return False
    poll.closed_at = now
    await _ended(session, poll, now, "closed", poll_intents.RESULTS.of(poll.id))
    return True


async def close_poll(
    session: AsyncSession, *, actor: Actor, poll_id: int, may_organise: bool
) -> Poll:
    poll = await _load_managed(session, actor, poll_id, may_organise, "close")
    if not await _close(session, poll, actor.now):
        raise PollError(ALREADY_CLOSED)
    return poll


async def delete_poll(
    session: AsyncSession, *, actor: Actor, poll_id: int, may_organise: bool
) -> Poll:
    poll = await _load_managed(session, actor, poll_id, may_organise, "delete", ALREADY_DELETED)
    now = actor.now
    # Still guarded in the database: two deletes racing, only one wins.
    if not await store.mark_deleted(session, poll_id=poll_id, now=now):
        raise PollError(ALREADY_DELETED)
    poll.deleted_at = now
    await _ended(session, poll, now, "deleted")
    return poll


async def request_export(
    session: AsyncSession, *, actor: Actor, poll_id: int, may_organise: bool
) -> Poll:
    """Ask for the results CSV to be sent to ``actor`` by DM."""
    poll = await _load_managed(session, actor, poll_id, may_organise, "export")
    if poll.hide_results and poll.closed_at is None:
        # Hidden means hidden from everyone until the close, the creator included.
        raise PollError(HIDDEN_UNTIL_CLOSE)
    await _enqueue(
        session, poll, poll_intents.poll_export(poll_id, actor.user_id, actor.now), actor.now
    )
    return poll


async def export_csv(session: AsyncSession, poll: Poll) -> str:
    """The results CSV; anonymous polls get counts only, never a voter column."""
    tally, voters = await load_tally(session, poll)
    return results_csv(poll.question, poll.options, tally, voters)


async def results_text(session: AsyncSession, poll: Poll) -> str:
    tally, _ = await load_tally(session, poll)
    return results_summary(
        question=poll.question,
        options=poll.options,
        kind=poll.kind,  # type: ignore[arg-type]
        tally=tally,
    )


# --------------------------------------------------------------------------- periodic


async def close_due(session: AsyncSession, *, now: datetime) -> list[Poll]:
    """Close every poll whose deadline has passed (each exactly once, whoever runs it);
    returns the polls this call closed."""
    return [
        poll
        for poll in await store.due_to_close(session, now=now)
        if await _close(session, poll, now)
    ]


async def remind_due(
    session: AsyncSession, *, now: datetime, before: timedelta = REMIND_BEFORE
) -> list[int]:
    """One channel reminder per poll about ``before`` its deadline (long-open polls only)."""
    reminded: list[int] = []
    for poll in await store.due_for_reminder(session, now=now, horizon=now + before):
        assert poll.id is not None and poll.closes_at is not None
        if poll.closes_at - poll.created_at < REMIND_MIN_OPEN:
            await store.mark_reminded(session, poll_id=poll.id, now=now)
            continue
        if await store.mark_reminded(session, poll_id=poll.id, now=now):
            await _enqueue(session, poll, poll_intents.REMINDER.of(poll.id), now)
            reminded.append(poll.id)
    return reminded


# --------------------------------------------------------------------------- kind


async def run(ctx: RunContext) -> None:
    """A scheduled slot: post a new poll that closes after the configured time."""
    activity = ctx.activity
    assert activity.id is not None
    settings = read_settings(PollSettings, activity)
    spec = build_poll_spec(
        settings.question,
        settings.options,
        scale=settings.scale,
        multi=settings.multi,
        choices=settings.choices,
        anonymous=settings.anonymous,
        hide_results=settings.hide_results,
        closes_at=ctx.now + timedelta(seconds=settings.closes_after_seconds),
        now=ctx.now,
    )
    creator = Actor(activity.team_id, activity.created_by, ctx.now)
    await create_poll(
        ctx.session,
        actor=creator,
        channel_id=activity.channel_id,
        spec=spec,
        activity_id=activity.id,
    )


async def check_message(
    session: AsyncSession, *, poll_id: int, channel_id: str, message_ts: str
) -> None:
    """Refuse a menu click whose value names a poll other than the message's own."""
    try:
        posted = await _posted_poll(session, poll_id=poll_id, cache=None)
    except PollError:
        posted = None
    if posted is None or not _from_message(
        posted.channel_id, posted.ts, clicked_in=channel_id, clicked_ts=message_ts
    ):
        raise PollError(NOT_THIS_POLL)


def _from_message(channel_id: str, ts: str | None, *, clicked_in: str, clicked_ts: str) -> bool:
    """Whether a click came from the poll's own message (in `channel_id`, at `ts`).

    Before the bot has recorded the ts, a click in that channel can only be on the poll's
    own message, the one bot message that carries its buttons: Slack shows a message
    (and takes clicks on it) before the bot's chat.postMessage call returns."""
    return channel_id == clicked_in and ts in (None, clicked_ts)


async def next_event_kinds(session: AsyncSession, *, team_id: str) -> list[str]:
    """The kinds of activity the community runs, for the "vote for our next event" template."""
    items = await activity_store.list_activities(session, team_id=team_id)
    return [a.kind for a in items]


TEMPLATES = ("next-event",)


async def template_poll(
    session: AsyncSession,
    *,
    team_id: str,
    name: str,
    event_labels: Mapping[str, str],
    question: str | None,
) -> tuple[str, tuple[str, ...]]:
    """The question and options of a named poll template (`/poll --template next-event`)."""
    if name.strip().lower() not in TEMPLATES:
        raise PollError(
            f"Unknown template `{escape_mrkdwn(name[:40])}`. Try `/poll --template next-event`."
        )
    running = await next_event_kinds(session, team_id=team_id)
    default_question, options = next_event_template(running, event_labels)
    return question or default_question, options


async def next_due(session: AsyncSession, *, now: datetime) -> datetime | None:
    """When `close_due` or `remind_due` next has a poll to close or remind about."""
    closes = await store.next_deadline(session, after=now)
    remind = await store.next_unreminded_deadline(session, after=now + REMIND_BEFORE)
    return due.next_after(now, [closes, remind - REMIND_BEFORE if remind else None])
