"""The book club's messages and modal, as pure Block Kit builders."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from activities.kinds.bookclub.rules import PROGRESS
from activities.rsvp_answers import EventState
from activities.text import escape_mrkdwn
from bot.blocks import rsvp as rsvp_blocks
from bot.blocks.activities import activity_modal, for_activity
from bot.blocks.common import (
    Block,
    actions,
    button,
    context,
    header,
    section,
    slack_date,
    text_field,
)
from bot.blocks.live import LiveSection
from storage.kinds.bookclub.models import BookMilestone, BookProposal
from storage.models import Activity

PROPOSE = "bookclub_propose"
UPVOTE = "bookclub_upvote"
OPEN_VOTE = "bookclub_vote"
PROGRESS_PREFIX = "bookclub_progress_"
PROPOSE_MODAL = "bookclub_propose_modal"
BOARD_LIMIT = 20  # proposals shown on the board (a message holds 50 blocks)


def book_text(proposal: BookProposal) -> str:
    title = f"*{escape_mrkdwn(proposal.title)}*"
    if proposal.link:
        title = f"<{proposal.link}|{escape_mrkdwn(proposal.title)}>"
        title = f"*{title}*"
    return f"{title} by {escape_mrkdwn(proposal.author)}" if proposal.author else title


def local_time(when: datetime, timezone: str) -> str:
    """A fallback for `<!date^…>` in the reader's own zone (Slack shows the token itself)."""
    local = when.astimezone(ZoneInfo(timezone))
    return local.strftime("%a %d %b %Y %H:%M ") + (local.tzname() or timezone)


def local_date(when: datetime, timezone: str) -> str:
    unix = int(when.timestamp())
    return f"<!date^{unix}^{{date_long_pretty}} at {{time}}|{local_time(when, timezone)}>"


def board(
    club_title: str, club_id: int, ranked: Sequence[tuple[BookProposal, int]], current: str | None
) -> tuple[str, list[Block]]:
    text = f"📚 {club_title}: proposed books"
    blocks: list[Block] = [header(text)]
    if current:
        blocks.append(section(f"Now reading: {current}"))
    if not ranked:
        blocks.append(section("No proposals yet. Propose the next book!"))
    for proposal, votes in ranked[:BOARD_LIMIT]:
        line = f"{book_text(proposal)} · proposed by <@{proposal.proposer_id}> · `#{proposal.id}`"
        if proposal.why:
            line += f"\n_{escape_mrkdwn(proposal.why[:300])}_"
        blocks.append(
            section(
                line,
                accessory=button(f"+1 ({votes})", UPVOTE, str(proposal.id)),
                block_id=f"proposal:{proposal.id}",
            )
        )
    if len(ranked) > BOARD_LIMIT:
        blocks.append(context(f"…and {len(ranked) - BOARD_LIMIT} more."))
    blocks.append(
        actions(
            button("Propose a book", PROPOSE, str(club_id), style="primary"),
            button("Open the vote", OPEN_VOTE, str(club_id)),
        )
    )
    blocks.append(
        context(
            "+1 the books you'd like to read (click again to take it back). "
            "Withdraw your own with `/community bookclub withdraw <number>`."
        )
    )
    return text, blocks


def nudge(club_title: str, club_id: int) -> tuple[str, list[Block]]:
    text = f"📚 {club_title}: what should we read next? Propose a book or +1 the proposals."
    return text, [
        section(escape_mrkdwn(text)),
        actions(button("Propose a book", PROPOSE, str(club_id), style="primary")),
    ]


def winner(book: BookProposal, votes: int, runners_up: int) -> str:
    rest = (
        f" The {runners_up} runner{'s' if runners_up != 1 else ''}-up stay proposed with their +1s."
        if runners_up
        else ""
    )
    return f"🏆 Our next book: {book_text(book)} ({votes} vote{'s' if votes != 1 else ''}).{rest}"


def plan(book: BookProposal, meeting_at: datetime, milestones: Sequence[BookMilestone]) -> str:
    lines = [f"🗓️ Reading plan for {book_text(book)}: we meet {slack_date(meeting_at)}."]
    for m in milestones:
        lines.append(
            f"• From {slack_date(m.due_at, '{date_short_pretty}')}: {escape_mrkdwn(m.section)}"
        )
    return "\n".join(lines)


def milestone(
    book: BookProposal, milestone: BookMilestone, total: int, counts: Mapping[str, int]
) -> tuple[str, list[Block]]:
    text = (
        f"📖 Reading milestone {milestone.position + 1} of {total} for {book.title}: "
        f"{milestone.section}"
    )
    body = (
        f"📖 *Milestone {milestone.position + 1} of {total}* for {book_text(book)}\n"
        f"This week: *{escape_mrkdwn(milestone.section)}*. Talk about it in the thread below: "
        "spoilers up to the end of this section only."
    )
    buttons = [
        button(
            f"{label} ({counts.get(answer, 0)})" if counts.get(answer) else label,
            f"{PROGRESS_PREFIX}{answer}",
            str(milestone.id),
            style="primary" if answer == "finished" else None,
        )
        for answer, label in PROGRESS.items()
    ]
    summary = ", ".join(f"{counts.get(a, 0)} {label.lower()}" for a, label in PROGRESS.items())
    return text, [section(body), actions(*buttons), context(summary)]


def milestone_thread(milestone: BookMilestone) -> str:
    return (
        f"🧵 Thread for *{escape_mrkdwn(milestone.section)}*: share thoughts and questions here, "
        "with no spoilers past the end of this section."
    )


def meeting(
    title: str, book: BookProposal, meeting_at: datetime, event: EventState
) -> tuple[str, list[Block]]:
    text = f"📚 {title}: we meet to discuss {book.title}"
    if event.cancelled:
        return rsvp_blocks.cancelled(text, "meeting")
    body = (
        f"📚 *{escape_mrkdwn(title)}*: we meet {slack_date(meeting_at)} "
        f"to discuss {book_text(book)}. Are you coming?"
    )
    note = "reminders go to those going, a day and 15 minutes before."
    return text, rsvp_blocks.invitation(body, event, note)


def reminder(book: BookProposal, meeting_at: datetime, stage: str, timezone: str) -> str:
    when = local_date(meeting_at, timezone)
    if stage == "day":
        return f"⏰ Tomorrow: the book club meets to discuss {book_text(book)}, {when}."
    return f"⏰ In 15 minutes: the book club meets to discuss {book_text(book)}, {when}."


def moved(book: BookProposal, meeting_at: datetime, timezone: str) -> str:
    when = local_date(meeting_at, timezone)
    return f"📅 The book club meeting on {book_text(book)}, which you're going to, moved to {when}."


def discussion(book: BookProposal, call_link: str, prompts: Sequence[str]) -> str:
    lines = [f"💬 Our meeting on {book_text(book)} starts now. Discuss in this thread."]
    if call_link:
        lines.append(f"Join the call: {call_link}")
    if prompts:
        lines.append("*Prompts*")
        lines.extend(f"• {escape_mrkdwn(p)}" for p in prompts)
    return "\n".join(lines)


def history_entry(book: BookProposal, meeting_at: datetime, finished: int) -> str:
    return (
        f"📖 Added to the books we read: {book_text(book)} (met "
        f"{slack_date(meeting_at, '{date_short_pretty}')}, {finished} finished it). "
        "`/community bookclub history` lists them all."
    )


def history_text(club_title: str, items: Sequence[tuple[datetime, BookProposal, int]]) -> str:
    if not items:
        return f"📚 {escape_mrkdwn(club_title)} hasn't finished a book yet."
    lines = [f"📚 *Books we read* ({escape_mrkdwn(club_title)})"]
    for when, book, finished in items:
        lines.append(
            f"• {book_text(book)}: {slack_date(when, '{date_short_pretty}')}, {finished} finished"
        )
    return "\n".join(lines)


def propose_modal(club: Activity) -> Block:
    return activity_modal(
        PROPOSE_MODAL,
        "Propose a book",
        "Propose",
        club,
        [
            for_activity(club),
            text_field("title", "Title", max_length=200, placeholder="Piranesi"),
            text_field(
                "author", "Author", optional=True, max_length=120, placeholder="Susanna Clarke"
            ),
            text_field("link", "Link", optional=True, max_length=500, placeholder="https://…"),
            text_field("why", "Why this book?", optional=True, multiline=True, max_length=500),
        ],
        id_key="club",
    )


home_section = LiveSection(
    "📚 *{title}* in <#{channel}>", "Propose a book", PROPOSE, heading="*Book clubs*"
)
