"""Topic discussions' Block Kit: the backlog message, the prompt, the ask, the suggest modal."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from activities.kinds.discussion.rules import MAX_TOPIC
from activities.kinds.discussion.use_cases import PastPrompt
from activities.text import escape_mrkdwn, truncate
from bot.blocks.activities import activity_modal
from bot.blocks.common import (
    Block,
    actions,
    button,
    context,
    header,
    message_link,
    section,
    slack_date,
    text_field,
)
from bot.blocks.live import LiveSection
from storage.kinds.discussion.models import DiscussionTopic
from storage.models import Activity

UPVOTE = "discussion_upvote"
SUGGEST = "discussion_suggest"
SUGGEST_VIEW = "discussion_suggest_view"
SHOWN = 20


def _votes(n: int) -> str:
    return "1 vote" if n == 1 else f"{n} votes"


def backlog(
    *,
    activity_id: int,
    ranked: Sequence[tuple[DiscussionTopic, int]],
    past: Sequence[PastPrompt],
    next_slot: datetime | None,
) -> tuple[str, list[Block]]:
    when = f" Next discussion {slack_date(next_slot)}." if next_slot else ""
    blocks: list[Block] = [
        header("💬 Topic backlog"),
        context(f"Upvote what you'd like to talk about; the top topic is picked.{when}"),
    ]
    for topic, votes in ranked[:SHOWN]:
        blocks.append(
            section(
                f"*{_votes(votes)}* · {escape_mrkdwn(truncate(topic.text, 200))} "
                f"— <@{topic.proposer_id}> (topic {topic.id})",
                accessory=button("👍 Upvote", UPVOTE, str(topic.id)),
            )
        )
    if not ranked:
        blocks.append(section("_No topics yet: suggest the first one._"))
    elif len(ranked) > SHOWN:
        blocks.append(context(f"…and {len(ranked) - SHOWN} more: `/community topics`."))
    blocks.append(actions(button("Suggest a topic", SUGGEST, str(activity_id), style="primary")))
    if past:
        lines = [
            f"• <{message_link(p.channel_id, p.ts)}|{escape_mrkdwn(truncate(p.topic.text, 80))}> "
            f"— {p.replies} {'reply' if p.replies == 1 else 'replies'}"
            for p in past[:5]
        ]
        blocks.append(section("*Archive*\n" + "\n".join(lines)))
    return f"Topic backlog: {len(ranked)} topics", blocks


def archive_text(past: Sequence[PastPrompt]) -> str:
    if not past:
        return "No topic has been discussed yet."
    lines = [
        f"• {p.topic.used_at:%d %b %Y}: <{message_link(p.channel_id, p.ts)}|"
        f"{escape_mrkdwn(truncate(p.topic.text, 120))}> — {p.replies} "
        f"{'reply' if p.replies == 1 else 'replies'}"
        for p in past
        if p.topic.used_at is not None
    ]
    return "*Past discussions*\n" + "\n".join(lines)


def backlog_text(ranked: Sequence[tuple[DiscussionTopic, int]]) -> str:
    if not ranked:
        return 'The backlog is empty. Suggest a topic: `/community topics add "…"`.'
    lines = [
        f"{i}. *{_votes(n)}* · {escape_mrkdwn(truncate(t.text, 150))} — <@{t.proposer_id}> "
        f"(topic {t.id})"
        for i, (t, n) in enumerate(ranked, start=1)
    ]
    return "*Topic backlog*\n" + "\n".join(lines) + "\nUpvote: `/community topics vote <topic>`."


def prompt(topic: DiscussionTopic, *, late_since: datetime | None) -> tuple[str, list[Block]]:
    text = escape_mrkdwn(topic.text)
    blocks = [
        section(f"💬 *Today's topic:* {text}"),
        context(f"Suggested by <@{topic.proposer_id}>. Talk about it in the thread 🧵"),
    ]
    if late_since is not None:
        blocks.append(
            context(
                f"⏰ Posted late: this was due {slack_date(late_since)} while the bot was offline."
            )
        )
    return f"Today's topic: {truncate(topic.text, 150)}", blocks


def proposer_dm(topic: DiscussionTopic, channel_id: str, ts: str) -> str:
    return (
        f"💬 Your topic “{escape_mrkdwn(truncate(topic.text, 150))}” is today's discussion in "
        f"<#{channel_id}>. Would you open the thread with a first thought? "
        f"<{message_link(channel_id, ts)}|Go to the prompt>"
    )


def ask(*, activity_id: int, left: int, slot: datetime) -> tuple[str, list[Block]]:
    have = "no topics" if left == 0 else ("only 1 topic" if left == 1 else f"{left} topics")
    text = (
        f"🗳️ The next discussion is {slot_text(slot)} and the backlog has {have}. "
        "What would you like to talk about?"
    )
    return text, [
        section(text),
        actions(button("Suggest a topic", SUGGEST, str(activity_id), style="primary")),
    ]


def slot_text(slot: datetime) -> str:
    return slack_date(slot)


def suggest_modal(series: Activity) -> Block:
    topic = text_field(
        "topic", "Topic", max_length=MAX_TOPIC, hint="A question people can answer from experience."
    )
    return activity_modal(SUGGEST_VIEW, "Suggest a topic", "Suggest", series, [topic])


home_section = LiveSection(
    "*Topic discussions* in <#{channel}>: what should we talk about next?",
    "Suggest a topic",
    SUGGEST,
)


def waiting_items(ranked: Sequence[tuple[DiscussionTopic, int]], more: int) -> list[Block]:
    """Organisers: the backlog in pick order, and how to tidy it."""
    lines = [
        f"• *{_votes(n)}* · {escape_mrkdwn(truncate(t.text, 150))} — <@{t.proposer_id}> "
        f"(topic {t.id})"
        for t, n in ranked
    ]
    if more:
        lines.append(f"…and {more} more: `/community topics`.")
    return [
        section("\n".join(lines)),
        context(
            '`/community topics edit <topic> "…"` · `topics merge <topic> into <topic>` · '
            "`topics remove <topic>`"
        ),
    ]
