"""Block Kit for recognition: a win's post, the "Share as a win" modal, thanks (the DM
and the shout-out), the monthly wins digest and the thanks leaderboard."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from activities.member_history import History
from activities.recognition import WIN_LIMIT, Placing, escape_keeping_mentions
from activities.text import escape_mrkdwn, truncate
from bot.blocks.common import (
    Block,
    context,
    header,
    input_block,
    modal,
    section,
    slack_date,
    text_field,
)
from storage.models import Thanks, Win

SHARE_WIN_SHORTCUT = "share_win"
SHARE_WIN_CALLBACK = "share_win_modal"
DIGEST_LINES = 40  # a month's wins, each one line, well inside Slack's 50 blocks


def mentions(user_ids: Sequence[str]) -> str:
    return ", ".join(f"<@{u}>" for u in user_ids)


def win_post(win: Win, source_link: str) -> tuple[str, list[Block]]:
    text = escape_keeping_mentions(win.text)
    credit = f"👏 Credit: {mentions(win.credited)} · shared by <@{win.author_id}>"
    if source_link:
        credit += f" · <{source_link}|the original message>"
    fallback = f"🏆 A win: {escape_keeping_mentions(truncate(win.text, 150))}"
    return fallback, [section(f"🏆 *A win to celebrate*\n{text}"), context(credit)]


def win_modal(text: str, author_id: str, metadata: dict[str, str]) -> Block:
    """The shortcut's form: the message's text (editable) and whom it credits (its author
    to begin with)."""
    said = text_field(
        "text", "What went well", multiline=True, max_length=WIN_LIMIT, initial=text[:WIN_LIMIT]
    )
    people = {"type": "multi_users_select", "initial_users": [author_id] if author_id else []}
    credit = input_block("credit", "Credit", people, optional=True)
    return modal(SHARE_WIN_CALLBACK, "Share as a win", "Share", metadata, [said, credit])


def _reason(thanks: Thanks, limit: int = 1000) -> str:
    """The reason as it reads after "thanked you": "for …" as typed, anything else quoted."""
    reason = escape_mrkdwn(truncate(thanks.reason, limit)) if thanks.reason else ""
    if not reason:
        return ""
    return f" {reason}" if reason.lower().startswith("for ") else f": “{reason}”"


def thanks_dm(thanks: Thanks) -> tuple[str, list[Block]]:
    text = f"🙏 <@{thanks.giver_id}> thanked you{_reason(thanks)}"
    note = (
        f"Also shared in <#{thanks.channel_id}>. Prefer private thanks? "
        "`/community me shoutouts off`"
        if thanks.public
        else "Only you can see this."
    )
    return text, [section(text), context(note)]


def thanks_post(thanks: Thanks) -> tuple[str, list[Block]]:
    text = f"🙏 <@{thanks.giver_id}> thanks <@{thanks.receiver_id}>{_reason(thanks)}"
    return text, [section(text)]


def wins_digest(label: str, wins: Sequence[Win]) -> tuple[str, list[Block]]:
    fallback = f"🏆 {len(wins)} wins in {label}"
    people = sorted({u for w in wins for u in w.credited})
    lines = [
        f"• {escape_keeping_mentions(truncate(w.text, 200))} — {mentions(w.credited)}"
        for w in wins[:DIGEST_LINES]
    ]
    more = len(wins) - DIGEST_LINES
    if more > 0:
        lines.append(f"…and {more} more.")
    blocks: list[Block] = [
        header(f"🏆 Wins of {label}"),
        section(f"{len(wins)} wins shared, crediting {len(people)} people. Well done, all!"),
    ]
    # One section for every ten lines keeps each inside Slack's 3,000 characters.
    for start in range(0, len(lines), 10):
        blocks.append(section("\n".join(lines[start : start + 10])))
    return fallback, blocks


def leaderboard(label: str, placings: Sequence[Placing]) -> tuple[str, list[Block]]:
    if not placings:
        text = f"Nobody has been thanked yet in {label}. Be the first: `/community thanks @…`"
        return text, [section(text)]
    lines = [f"{p.rank}. <@{p.user_id}> — {p.count}" for p in placings]
    text = f"*Most thanked in {label}* (it starts fresh each month)\n" + "\n".join(lines)
    return text, [section(text)]


def _dated(when: datetime | None, line: str) -> str:
    return f"• {slack_date(when, '{date_short}')}: {line}" if when else f"• {line}"


def _thanks_line(thanks: Thanks, other: str) -> str:
    return _dated(thanks.created_at, f"<@{other}>{_reason(thanks, 120)}")


def my_history(history: History) -> tuple[str, list[Block]]:
    """A member's own history (`/community me`): only ever shown to that member."""
    count, groups = history.groups
    rsvps, answered = history.rsvps
    talks, given_talks = history.talks
    wins, credited = history.wins
    gave, given = history.given
    got, received = history.received
    parts = [
        (
            f"☕ *Coffee and breakfast groups:* {count}",
            [_dated(when, mentions(others) or "just you") for when, others in groups],
        ),
        (
            f"📅 *RSVPs:* {rsvps}",
            [_dated(e.starts_at, f"{escape_mrkdwn(e.title)} — {a}") for e, a in answered],
        ),
        (
            f"🎤 *Talks:* {talks}",
            [_dated(t.slot_at, f"{escape_mrkdwn(t.title)} ({t.status})") for t in given_talks],
        ),
        (
            f"🏆 *Wins crediting you:* {wins}",
            [
                _dated(w.created_at, escape_keeping_mentions(truncate(w.text, 120)))
                for w in credited
            ],
        ),
        (f"🙏 *Thanks you gave:* {gave}", [_thanks_line(t, t.receiver_id) for t in given]),
        (f"💛 *Thanks you received:* {got}", [_thanks_line(t, t.giver_id) for t in received]),
    ]
    shoutouts = (
        "Public shout-outs of thanks to you: *off* (`/community me shoutouts on` to allow them)"
        if history.shoutouts_off
        else "Public shout-outs of thanks to you: *on* (`/community me shoutouts off` for DM only)"
    )
    intro = "*Your history in this community* (only you can see this)"
    sections = ["\n".join([title, *lines]) for title, lines in parts]
    text = "\n\n".join([intro, *sections])
    return text, [section(intro), *(section(s) for s in sections), context(shoutouts)]
