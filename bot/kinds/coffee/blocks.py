"""Block Kit for coffee pairings: intros, check-ins, summaries, status, the Home section."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from activities import quiet_hours
from bot.blocks.common import Block, actions, button, context, section, slack_date
from bot.parsing import escape_mrkdwn

SKIP_NEXT = "coffee_skip_next"
PAUSE_2W = "coffee_pause_2w"
CHECKIN_PREFIX = "coffee_checkin_"
HOME_JOIN = "coffee_home_join"
HOME_PAUSE = "coffee_home_pause"
HOME_RESUME = "coffee_home_resume"


def _mentions(members: Sequence[str]) -> str:
    people = [f"<@{m}>" for m in members]
    return people[0] if len(people) == 1 else ", ".join(people[:-1]) + " and " + people[-1]


def intro(
    *,
    kind: str,
    channel_id: str,
    members: Sequence[str],
    suggested_at: datetime | None,
    icebreaker: str,
    group_id: int,
) -> tuple[str, list[Block]]:
    what = "breakfast" if kind == "breakfast" else "coffee"
    text = f"☕ Hi {_mentions(members)}! You're this round's {what} group from <#{channel_id}>."
    blocks: list[Block] = [section(text)]
    if suggested_at is not None:
        blocks.append(
            section(
                f"🕒 A time that suits all your working hours: *{slack_date(suggested_at)}* "
                "(shown in your own time zone). Move it if another time works better."
            )
        )
    else:
        blocks.append(section("🕒 Your working hours barely overlap: pick a time that works."))
    if icebreaker:
        blocks.append(section(f"💬 Icebreaker: _{escape_mrkdwn(icebreaker)}_"))
    blocks.append(
        actions(
            button("Skip next round", SKIP_NEXT, str(group_id)),
            button("Pause 2 weeks", PAUSE_2W, str(group_id)),
        )
    )
    blocks.append(context("`/coffee help` for all the controls."))
    return text, blocks


def checkin(*, members: Sequence[str], group_id: int) -> tuple[str, list[Block]]:
    text = f"👋 Halfway through the round: did you meet, {_mentions(members)}?"
    value = str(group_id)
    return text, [
        section(text),
        actions(
            button("We met 🎉", f"{CHECKIN_PREFIX}met", value, style="primary"),
            button("Not yet", f"{CHECKIN_PREFIX}not_yet", value),
            button("Couldn't make it", f"{CHECKIN_PREFIX}couldnt", value),
        ),
    ]


def round_started(*, kind: str, participants: int, groups: int) -> tuple[str, list[Block]]:
    what = "Breakfast switch-up" if kind == "breakfast" else "Coffee round"
    text = (
        f"☕ {what} started: {participants} people, {groups} groups. "
        "Check your DMs to meet someone you don't know yet!"
    )
    return text, [section(text)]


def round_ended(*, kind: str, met: int, groups: int) -> tuple[str, list[Block]]:
    what = "breakfast switch-up" if kind == "breakfast" else "coffee round"
    text = f"✅ This {what} is over: {met} of {groups} groups met. See you next round!"
    return text, [section(text)]


def status_text(
    *,
    state: str,
    paused_until: datetime | None,
    next_rounds: Sequence[tuple[str, datetime | None]],
    current: Sequence[Sequence[str]],
    user_id: str,
) -> str:
    if state == "out":
        lines = ["You've left coffee pairings. `/coffee join` to take part again."]
    elif state == "paused" and paused_until is not None:
        lines = [f"⏸️ You're paused until {slack_date(paused_until)}. `/coffee resume` to return."]
    else:
        lines = ["✅ You're in: you'll be matched in every channel you're a member of."]
    if next_rounds:
        for channel_id, when in next_rounds:
            lines.append(f"• <#{channel_id}>: next round {slack_date(when) if when else 'none'}")
    else:
        lines.append("No coffee activities here yet; ask an organiser to start one.")
    for members in current:
        others = [m for m in members if m != user_id]
        lines.append(f"☕ Your current group: {_mentions(others)}" if others else "")
    return "\n".join(line for line in lines if line)


def history_text(items: Sequence[tuple[datetime | None, Sequence[str]]], user_id: str) -> str:
    if not items:
        return "No coffee groups yet. You'll be matched in the next round."
    lines = ["*Your past coffee groups*"]
    for when, members in items:
        others = [m for m in members if m != user_id]
        day = slack_date(when, "{date_short}") if when else ""
        lines.append(f"• {day}: {_mentions(others)}")
    return "\n".join(lines)


def home_section(
    *, state: str, paused_until: datetime | None, current: Sequence[Sequence[str]], user_id: str
) -> list[Block]:
    if state == "out":
        line = "☕ *Coffee:* you're not taking part."
        buttons = [button("Join", HOME_JOIN, "join", style="primary")]
    elif state == "paused" and paused_until is not None:
        line = f"☕ *Coffee:* paused until {slack_date(paused_until)}."
        buttons = [button("Resume", HOME_RESUME, "resume", style="primary")]
    else:
        line = "☕ *Coffee:* you're in."
        buttons = [button("Pause 2 weeks", HOME_PAUSE, "pause")]
    for members in current:
        others = [m for m in members if m != user_id]
        if others:
            line += f" Your current group: {_mentions(others)}."
    return [section(line), actions(*buttons)]


def hours_text(start: int, end: int, days: frozenset[int]) -> str:
    """`09:00–17:00, mon-thu`."""
    return f"{start:02d}:00–{end:02d}:00, {quiet_hours.days_text(days)}"


def settings_text(hours: quiet_hours.Hours) -> str:
    """`/coffee settings` and the Home tab: when DMs, reminders and check-ins reach you."""
    return (
        f"🕘 *Your hours:* {hours_text(hours.start, hours.end, hours.days)}, your time. "
        "DMs, reminders and check-ins reach you only then (channel posts keep their "
        f"schedule). Change them with `{quiet_hours.DAYS_EXAMPLE}`."
    )
