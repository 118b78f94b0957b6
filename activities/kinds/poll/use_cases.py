"""Poll use-cases: create, vote, close, delete, export, deadlines, reminders, the `poll` kind.

Each call runs in the caller's transaction; what must be said to Slack is recorded as
intents (outbox rows). Voting is atomic in the database: see storage/polls.py.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from activities.intents import Intent
from activities.kind import RunContext, read_settings
from activities.kinds.poll.intents import (
    poll_export,
    poll_post,
    poll_reminder,
    poll_results_dm,
    poll_update,
    post_key,
)
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
from storage import outbox
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


# --------------------------------------------------------------------------- create


async def create_poll(
    session: AsyncSession,
    *,
    team_id: str,
    channel_id: str,
    creator_id: str,
    spec: PollSpec,
    now: datetime,
    activity_id: int | None = None,
) -> Poll:
    """Store a validated poll and ask for it to be posted in the channel."""
    poll = await store.create_poll(
        session,
        team_id=team_id,
        channel_id=channel_id,
        creator_id=creator_id,
        question=spec.question,
        options=spec.options,
        kind=spec.kind,
        max_choices=spec.max_choices,
        anonymous=spec.anonymous,
        hide_results=spec.hide_results,
        closes_at=spec.closes_at,
        activity_id=activity_id,
        now=now,
    )
    assert poll.id is not None
    await _enqueue(session, poll, poll_post(poll.id), now)
    log.info("poll created", extra={**_context(poll), "options": len(poll.options)})
    return poll


# --------------------------------------------------------------------------- vote


@dataclass(frozen=True)
class VoteOutcome:
    poll: Poll
    decision: VoteDecision
    option_text: str
    changed: bool = False


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

    The click must come from the poll's own message (channel and ts), so a button value
    edited to point at another poll is refused. The writes are single atomic statements.
    """
    poll = await _load(session, team_id=team_id, poll_id=poll_id)
    posted = await outbox.get_by_key(session, dedupe_key=post_key(poll_id))
    if posted is None or posted.ts != message_ts or posted.channel_id != channel_id:
        log.warning("vote refused: click not from the poll's message", extra=_context(poll))
        raise PollError(NOT_THIS_POLL)
    if not 0 <= option_index < len(poll.options):
        raise PollError(NOT_THIS_POLL)
    if poll.deleted_at is not None:
        raise PollError(DELETED_REFUSAL)
    if poll.closed_at is not None:
        raise PollError(CLOSED_REFUSAL)
    key = voter_key(poll=poll, user_id=user_id, secret=secret)
    current = await store.voter_picks(session, poll_id=poll_id, voter_key=key)
    decision = decide_vote(
        max_choices=poll.max_choices,
        current=current,
        clicked=option_index,
        option_count=len(poll.options),
    )
    option_text = poll.options[option_index]
    if not decision.accepted:
        return VoteOutcome(poll, decision, option_text)
    decision, changed = await _write_vote(
        session, poll=poll, key=key, option_index=option_index, decision=decision, now=now
    )
    # Never the voter: anonymous polls must not leave a trace of who voted in the logs.
    log.debug("vote recorded", extra={**_context(poll), "action": decision.action})
    return VoteOutcome(poll, decision, option_text, changed)


async def refresh_message(session: AsyncSession, *, poll: Poll, now: datetime) -> None:
    """Ask for the poll message to be redrawn, after a vote has been committed.

    Its own transaction, after the vote's: if an update is already pending, the
    courier will render it later and read this vote too, so nothing is written and
    a flood of votes does not queue on one outbox row's lock.
    """
    assert poll.id is not None
    await outbox.request_refresh(
        session, team_id=poll.team_id, intent=poll_update(poll.id), now=now
    )


async def _write_vote(
    session: AsyncSession,
    *,
    poll: Poll,
    key: str,
    option_index: int,
    decision: VoteDecision,
    now: datetime,
) -> tuple[VoteDecision, bool]:
    assert poll.id is not None
    poll_id, team_id = poll.id, poll.team_id
    single = poll.max_choices == 1
    if decision.action == "remove":
        changed = await store.remove_vote(
            session, poll_id=poll_id, voter_key=key, option_index=option_index
        )
    else:
        changed = await store.put_vote(
            session,
            team_id=team_id,
            poll_id=poll_id,
            voter_key=key,
            option_index=option_index,
            single_choice=single,
            max_choices=poll.max_choices,
            option_count=len(poll.options),
            now=now,
        )
        if not changed:
            # Refused by the database: closed meanwhile, or the choice limit was reached.
            fresh = await store.get_poll(session, poll_id=poll_id)
            if fresh is None or not fresh.is_open:
                raise PollError(CLOSED_REFUSAL)
            decision = VoteDecision(
                "refuse", reason="You've reached this poll's limit of choices; remove one first."
            )
    return decision, changed


# --------------------------------------------------------------------------- manage


async def _load_managed(
    session: AsyncSession,
    *,
    team_id: str,
    poll_id: int,
    actor_id: str,
    may_organise: bool,
    what: str,
    if_deleted: str = DELETED_REFUSAL,
) -> Poll:
    """The poll, if ``actor_id`` may ``what`` it (its creator or an organiser) and it
    isn't deleted; otherwise a PollError saying why (``if_deleted`` for a deleted poll).
    """
    poll = await _load(session, team_id=team_id, poll_id=poll_id)
    if actor_id != poll.creator_id and not may_organise:
        raise PollError(CREATOR_OR_ORGANISER.format(what=what))
    if poll.deleted_at is not None:
        raise PollError(if_deleted)
    return poll


async def _close(session: AsyncSession, poll: Poll, now: datetime) -> bool:
    assert poll.id is not None
    if not await store.mark_closed(session, poll_id=poll.id, now=now):
        return False
    poll.closed_at = now
    await _enqueue(session, poll, poll_update(poll.id), now)
    await _enqueue(session, poll, poll_results_dm(poll.id), now)
    log.info("poll closed", extra=_context(poll))
    return True


async def close_poll(
    session: AsyncSession,
    *,
    team_id: str,
    poll_id: int,
    actor_id: str,
    may_organise: bool,
    now: datetime,
) -> Poll:
    poll = await _load_managed(
        session,
        team_id=team_id,
        poll_id=poll_id,
        actor_id=actor_id,
        may_organise=may_organise,
        what="close",
    )
    if not await _close(session, poll, now):
        raise PollError(ALREADY_CLOSED)
    return poll


async def delete_poll(
    session: AsyncSession,
    *,
    team_id: str,
    poll_id: int,
    actor_id: str,
    may_organise: bool,
    now: datetime,
) -> Poll:
    poll = await _load_managed(
        session,
        team_id=team_id,
        poll_id=poll_id,
        actor_id=actor_id,
        may_organise=may_organise,
        what="delete",
        if_deleted=ALREADY_DELETED,
    )
    # Still guarded in the database: two deletes racing, only one wins.
    if not await store.mark_deleted(session, poll_id=poll_id, now=now):
        raise PollError(ALREADY_DELETED)
    poll.deleted_at = now
    await _enqueue(session, poll, poll_update(poll_id), now)
    log.info("poll deleted", extra=_context(poll))
    return poll


async def request_export(
    session: AsyncSession,
    *,
    team_id: str,
    poll_id: int,
    actor_id: str,
    may_organise: bool,
    now: datetime,
) -> Poll:
    """Ask for the results CSV to be sent to ``actor_id`` by DM."""
    poll = await _load_managed(
        session,
        team_id=team_id,
        poll_id=poll_id,
        actor_id=actor_id,
        may_organise=may_organise,
        what="export",
    )
    if poll.hide_results and poll.closed_at is None:
        # Hidden means hidden from everyone until the close, the creator included.
        raise PollError(HIDDEN_UNTIL_CLOSE)
    await _enqueue(session, poll, poll_export(poll_id, actor_id, now), now)
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


async def close_due(session: AsyncSession, *, now: datetime) -> list[int]:
    """Close every poll whose deadline has passed (each exactly once, whoever runs it)."""
    closed: list[int] = []
    for poll in await store.due_to_close(session, now=now):
        if await _close(session, poll, now):
            assert poll.id is not None
            closed.append(poll.id)
    return closed


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
            await _enqueue(session, poll, poll_reminder(poll.id), now)
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
    await create_poll(
        ctx.session,
        team_id=activity.team_id,
        channel_id=activity.channel_id,
        creator_id=activity.created_by,
        spec=spec,
        now=ctx.now,
        activity_id=activity.id,
    )


async def check_message(
    session: AsyncSession, *, poll_id: int, channel_id: str, message_ts: str
) -> None:
    """Refuse a menu click whose value names a poll other than the message's own."""
    posted = await outbox.get_by_key(session, dedupe_key=post_key(poll_id))
    if posted is None or posted.ts != message_ts or posted.channel_id != channel_id:
        raise PollError(NOT_THIS_POLL)


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
