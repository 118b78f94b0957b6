"""Renderers for poll intents: the poll message, its coalesced updates, DMs, reminders, CSV."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from activities import intents as core_intents
from activities.intents import IntentType
from activities.kinds.poll import intents
from activities.kinds.poll import use_cases as uc
from bot.blocks.common import section, slack_date
from bot.delivery import Delivery, Post, Render, Renderer, Skip, Update, Upload
from bot.kind_renderers import sent_message
from bot.kinds.poll.blocks import DATE_TOKEN, PollView, poll_message
from bot.parsing import escape_mrkdwn
from storage import outbox
from storage.kinds.poll import queries as store
from storage.kinds.poll.models import Poll
from storage.models import OutboxMessage

DELETED_TEXT = "This poll was deleted."

# What a row asks about its poll, given the poll.
PollRender = Callable[[AsyncSession, OutboxMessage, Poll], Awaitable[Delivery]]


async def poll_view(session: AsyncSession, poll: Poll) -> PollView:
    """Read the latest tally and build what the message shows."""
    assert poll.id is not None
    tally, voters = await uc.load_tally(session, poll)
    return PollView(
        poll_id=poll.id,
        question=poll.question,
        options=poll.options,
        kind=poll.kind,  # type: ignore[arg-type]
        max_choices=poll.max_choices,
        anonymous=poll.anonymous,
        hide_results=poll.hide_results,
        closed=poll.closed_at is not None,
        closes_at=poll.closes_at,
        creator_id=poll.creator_id,
        tally=tally,
        voters_by_option=voters,
    )


async def message_for(session: AsyncSession, poll: Poll) -> tuple[str, list[dict[str, Any]]]:
    """Text and blocks of the poll message as it should look now (open, closed or deleted)."""
    if poll.deleted_at is not None:
        return DELETED_TEXT, [section(f":wastebasket: {DELETED_TEXT}")]
    return poll_message(await poll_view(session, poll))


async def _poll(session: AsyncSession, row: OutboxMessage) -> Poll | None:
    return await store.get_poll(session, poll_id=int(row.payload["poll_id"]))


async def _post(session: AsyncSession, row: OutboxMessage) -> Delivery:
    poll = await _poll(session, row)
    if poll is None:
        return Skip("poll gone")
    text, blocks = await message_for(session, poll)
    return Post(text=text, blocks=blocks, channel=poll.channel_id)


async def _post_failed(
    session: AsyncSession, row: OutboxMessage, error: str, now: datetime
) -> None:
    """A poll Slack would not post is never silent: its creator hears why, by DM."""
    poll = await _poll(session, row)
    if poll is None:
        return
    hint = (
        " Invite me there first (`/invite @Convene`), then create the poll again."
        if error in ("not_in_channel", "channel_not_found", "is_archived")
        else ""
    )
    text = (
        f"⚠️ Your poll *{escape_mrkdwn(poll.question[:150])}* could not be posted in "
        f"<#{poll.channel_id}> (Slack said `{escape_mrkdwn(error[:60])}`).{hint}"
    )
    notice = core_intents.ORGANISER_NOTICE(
        f"notice:poll:{poll.id}:failed:{poll.creator_id}", user_id=poll.creator_id, text=text
    )
    await core_intents.say(session, team_id=poll.team_id, intent=notice, now=now)


async def _update(session: AsyncSession, row: OutboxMessage) -> Delivery:
    poll = await _poll(session, row)
    if poll is None:
        return Skip("poll gone")
    assert poll.id is not None
    posted = await sent_message(session, intents.POST.key_of(poll.id), what="the poll message")
    if posted is None:
        return Skip("poll was never posted")
    text, blocks = await message_for(session, poll)
    return Update(channel=posted.channel_id, ts=posted.ts, text=text, blocks=blocks)


def of_undeleted(render: PollRender) -> Render:
    """A renderer of what a poll's row asks about the poll (its results, its CSV): skipped
    once the poll is deleted."""

    async def rendered(session: AsyncSession, row: OutboxMessage) -> Delivery:
        poll = await _poll(session, row)
        if poll is None or poll.deleted_at is not None:
            return Skip("poll gone")
        return await render(session, row, poll)

    return rendered


async def _results(session: AsyncSession, row: OutboxMessage, poll: Poll) -> Delivery:
    text = await uc.results_text(session, poll)
    return Post(
        text=text, blocks=[section(f"```{escape_mrkdwn(text)}```")], users=(poll.creator_id,)
    )


async def _reminder(session: AsyncSession, row: OutboxMessage) -> Delivery:
    poll = await _poll(session, row)
    if poll is None or not poll.is_open or poll.closes_at is None:
        return Skip("poll no longer open")
    assert poll.id is not None
    posted = await outbox.get_by_key(session, dedupe_key=intents.POST.key_of(poll.id))
    text = (
        f":hourglass_flowing_sand: Last call: the poll *{escape_mrkdwn(poll.question)}* "
        f"closes {slack_date(poll.closes_at, token=DATE_TOKEN)}. Vote now if you haven't."
    )
    thread = posted.ts if posted is not None and posted.ts else None
    return Post(text=text, blocks=[section(text)], channel=poll.channel_id, thread_ts=thread)


async def _export(session: AsyncSession, row: OutboxMessage, poll: Poll) -> Delivery:
    content = await uc.export_csv(session, poll)
    return Upload(
        filename=f"poll-{poll.id}.csv",
        content=content.encode(),
        title=f"Poll results: {poll.question[:80]}",
        initial_comment="Here are the poll results you asked for.",
        users=(str(row.payload["user_id"]),),
        answer=True,
    )


RENDERERS: dict[IntentType, Renderer] = {
    intents.POST: Renderer(_post, after_failed=_post_failed),
    intents.UPDATE: Renderer(_update),
    intents.RESULTS: Renderer(of_undeleted(_results)),
    intents.REMINDER: Renderer(_reminder),
    intents.EXPORT: Renderer(of_undeleted(_export)),
}
