"""Advent's Block Kit: the day post, the recap, the gap notice, its modals and Home section."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from activities.kinds.advent.rules import MAX_TIP
from activities.kinds.advent.use_cases import PlannedDay, RecapDay
from activities.text import escape_mrkdwn, truncate
from bot.blocks.activities import activity_modal
from bot.blocks.common import (
    Block,
    actions,
    button,
    context,
    header,
    input_block,
    message_link,
    modal,
    section,
    slack_date,
)
from bot.blocks.live import LiveSection
from storage.models import Activity

CONTRIBUTE = "advent_contribute"
ADD_FOR_DAY = "advent_add_for_day"
APPROVE = "advent_approve"
RETURN = "advent_return"
CONTRIBUTE_VIEW = "advent_contribute_view"
ENTRIES_VIEW = "advent_entries_view"
RETURN_VIEW = "advent_return_view"
CREDIT_ME = "credit"
ANONYMOUS = "anonymous"


def _link(url: str) -> str:
    return f" <{url}|Read more>" if url else ""


def day_post(
    *,
    activity_id: int,
    number: int,
    total: int,
    tip: str,
    link: str,
    author_id: str | None,
    late_since: datetime | None,
    look_back: str | None,
) -> tuple[str, list[Block]]:
    title = f"Day {number} of {total}"
    body = escape_mrkdwn(tip) + _link(link)
    credit = f"Tip from <@{author_id}>" if author_id else "Tip from the organisers"
    blocks: list[Block] = [header(f"🎄 {title}"), section(body), context(credit)]
    if look_back:
        blocks.append(context(look_back))
    blocks.append(section("🧵 What did you learn, or how do you do it? Share it in the thread."))
    blocks.append(actions(button("Contribute a tip", CONTRIBUTE, str(activity_id))))
    if late_since is not None:
        blocks.append(
            context(
                f"⏰ Posted late: this was due {slack_date(late_since)} while the bot was offline."
            )
        )
    return f"{title}: {truncate(tip, 150)}", blocks


def recap(days: Sequence[RecapDay], top: Sequence[RecapDay], total: int) -> tuple[str, list[Block]]:
    text = f"Advent of learning recap: {len(days)} of {total} days"
    lines = [
        f"• <{message_link(d.channel_id, d.ts)}|Day {d.number}>: "
        f"{escape_mrkdwn(truncate(d.text, 120))}"
        for d in days
    ]
    blocks: list[Block] = [header("🎁 Advent of learning: the recap")]
    for start in range(0, len(lines), 20):
        blocks.append(section("\n".join(lines[start : start + 20])))
    if not lines:
        blocks.append(section("No day has been posted yet."))
    if top:
        ranked = "\n".join(
            f"{i}. <{message_link(d.channel_id, d.ts)}|Day {d.number}> — {d.reactions} reactions, "
            f"{d.replies} replies"
            for i, d in enumerate(top, start=1)
        )
        blocks.append(section(f"*Most reacted*\n{ranked}"))
    credited = sorted({d.author_id for d in days if d.author_id})
    if credited:
        names = ", ".join(f"<@{u}>" for u in credited)
        blocks.append(section(f"🙏 Thank you to everyone who contributed: {names}."))
    return text, blocks


def gap_notice(
    *, activity_id: int, channel_id: str, day: date, number: int
) -> tuple[str, list[Block]]:
    text = (
        f"📭 Day {number} ({day:%a %d %b}) of the advent run in <#{channel_id}> has no entry yet."
    )
    return text, [
        section(text + " Add one, or approve a member's tip, before it is due."),
        actions(button("Add an entry", ADD_FOR_DAY, f"{activity_id}:{day.isoformat()}")),
    ]


def contribute_modal(run: Activity) -> Block:
    credit = {"text": {"type": "plain_text", "text": "Credit me"}, "value": CREDIT_ME}
    anonymous = {"text": {"type": "plain_text", "text": "Post anonymously"}, "value": ANONYMOUS}
    return activity_modal(
        CONTRIBUTE_VIEW,
        "Contribute a tip",
        "Send",
        run,
        [
            input_block(
                "tip",
                "Your tip",
                {"type": "plain_text_input", "multiline": True, "max_length": MAX_TIP},
                hint=f"Up to {MAX_TIP} characters; an organiser reads it first.",
            ),
            input_block(
                "link", "Link", {"type": "plain_text_input"}, optional=True, hint="https://…"
            ),
            input_block(
                "credit",
                "Credit",
                {"type": "radio_buttons", "options": [credit, anonymous], "initial_option": credit},
            ),
        ],
    )


def entries_modal(run: Activity, day: date | None = None) -> Block:
    hint = (
        f"One entry for {day:%a %d %b}: `tip` or `tip | https://link`."
        if day
        else "One entry per line: `tip` or `tip | https://link`. They fill the free days in order."
    )
    return modal(
        ENTRIES_VIEW,
        "Add advent entries",
        "Add",
        {
            "activity_id": run.id,
            "channel": run.channel_id,
            "day": day.isoformat() if day else None,
        },
        [
            input_block(
                "entries",
                "Entries",
                {"type": "plain_text_input", "multiline": True, "max_length": 3000},
                hint=hint,
            )
        ],
    )


def return_modal(entry_id: int) -> Block:
    return modal(
        RETURN_VIEW,
        "Return a tip",
        "Return",
        {"entry_id": entry_id},
        [
            input_block(
                "note",
                "Note to the author",
                {"type": "plain_text_input", "multiline": True, "max_length": 500},
                hint="What should they change?",
            )
        ],
    )


# Members: a "Contribute a tip" button per run.
home_section = LiveSection(
    "*Advent of learning* in <#{channel}>: share a tip for a day.", "Contribute a tip", CONTRIBUTE
)


def waiting_items(pending: Sequence[tuple[int, str, str]], more: int) -> list[Block]:
    """Organisers: each tip waiting for a decision, with Approve / Return."""
    blocks: list[Block] = []
    for entry_id, author_id, text in pending:
        blocks.append(section(f"<@{author_id}>: {escape_mrkdwn(truncate(text, 300))}"))
        blocks.append(
            actions(
                button("Approve", APPROVE, str(entry_id), style="primary"),
                button("Return with a note", RETURN, str(entry_id)),
                block_id=f"advent_entry_{entry_id}",
            )
        )
    if more:
        blocks.append(context(f"…and {more} more after these."))
    return blocks


def plan_text(days: Sequence[PlannedDay]) -> str:
    """Organisers' view of the run: each day's entry (with its number), pins and gaps."""
    lines = []
    for d in days:
        if d.entry is None:
            what = "— _no entry yet_ —" if not d.posted else "— _skipped_ —"
        else:
            pinned = " 📌" if d.entry.pinned_on == d.day else ""
            what = f"entry {d.entry.id}{pinned}: {escape_mrkdwn(truncate(d.entry.text, 80))}"
        done = "✅ " if d.posted else ""
        lines.append(f"{done}Day {d.number} ({d.day:%a %d %b}) {what}")
    return "*Advent plan*\n" + "\n".join(lines)
