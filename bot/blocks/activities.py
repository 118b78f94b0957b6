"""Activity lists and previews, for every kind."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from activities import schedule
from bot.blocks.common import Block, context, modal, section, slack_date
from bot.parsing import escape_mrkdwn
from storage.models import Activity

STATE_ICON = {"active": "▶️", "paused": "⏸️", "cancelled": "⏹️", "finished": "✅"}


def activity_modal(
    callback_id: str,
    title: str,
    submit: str,
    activity: Activity,
    blocks: list[Block],
    *,
    id_key: str = "activity_id",
) -> Block:
    """A modal about one activity: its id (under `id_key`) and its channel come back with
    the submission."""
    return modal(
        callback_id, title, submit, {id_key: activity.id, "channel": activity.channel_id}, blocks
    )


def for_activity(activity: Activity) -> Block:
    """The line that says which activity a modal is about."""
    return context(f"For {escape_mrkdwn(activity.title)}")


def describe_schedule(activity: Activity) -> str:
    try:
        return schedule.describe(
            schedule.Schedule(rule=activity.schedule_rule, timezone=activity.timezone)
        )
    except ValueError:
        return activity.schedule_rule


def activity_line(activity: Activity) -> str:
    title = escape_mrkdwn(activity.title) if activity.title else activity.kind
    nxt = slack_date(activity.next_run_at) if activity.next_run_at else "not scheduled"
    return (
        f"{STATE_ICON.get(activity.state, '')} *#{activity.id}* {title} · `{activity.kind}` "
        f"in <#{activity.channel_id}> · {describe_schedule(activity)} · next: {nxt}"
    )


def activity_list(items: Sequence[Activity]) -> tuple[str, list[Block]]:
    if not items:
        text = (
            "No activities yet. Start one with "
            '`/community new announcement #general "every monday 09:00" "Hello!"`.'
        )
        return text, [section(text)]
    lines = [activity_line(a) for a in items]
    blocks: list[Block] = [section("*Activities*")]
    # One section per activity keeps each under Slack's text limit; 49 fit in a message.
    blocks.extend(section(line) for line in lines[:48])
    if len(lines) > 48:
        blocks.append(context(f"…and {len(lines) - 48} more"))
    return "Activities:\n" + "\n".join(lines), blocks


def preview_text(activity: Activity, times: Sequence[datetime]) -> str:
    if not times:
        return f"Activity #{activity.id} has no upcoming occurrences ({activity.state})."
    when = "\n".join(f"• {slack_date(t, '{date_long_pretty} at {time}')}" for t in times)
    return f"*Next occurrences of #{activity.id}* ({describe_schedule(activity)}):\n{when}"
