"""A talk series' messages and modals, as pure Block Kit builders."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from activities.rsvp_answers import EventState
from activities.text import escape_mrkdwn
from bot.blocks import rsvp as rsvp_blocks
from bot.blocks.activities import activity_modal, for_activity
from bot.blocks.common import (
    Block,
    actions,
    button,
    context,
    modal,
    section,
    slack_date,
    text_field,
)
from bot.blocks.live import LiveSection
from storage.kinds.talks.models import Talk
from storage.models import Activity

VOLUNTEER = "talks_volunteer"
VOLUNTEER_MODAL = "talks_volunteer_modal"
HOME_SCHEDULE = "talks_home_schedule"
HOME_DECLINE = "talks_home_decline"
SCHEDULE_MODAL = "talks_schedule_modal"
DECLINE_MODAL = "talks_decline_modal"
CHECKIN_PREFIX = "talks_checkin_"
RECORDABLE = "recordable"


def talk_name(talk: Talk) -> str:
    return f"*{escape_mrkdwn(talk.title)}*"


def local_date(when: datetime, timezone: str) -> str:
    """`<!date^…>` with a fallback written in the reader's own zone."""
    local = when.astimezone(ZoneInfo(timezone))
    fallback = local.strftime("%a %d %b %Y %H:%M ") + (local.tzname() or timezone)
    return f"<!date^{int(when.timestamp())}^{{date_long_pretty}} at {{time}}|{fallback}>"


def call(series_title: str, series_id: int) -> tuple[str, list[Block]]:
    text = f"🎤 Call for speakers: {series_title} needs talks for its next slots."
    return text, [
        section(
            f"🎤 *Call for speakers*: {escape_mrkdwn(series_title)} needs talks for its next "
            "slots. Got something to share? A lightning talk counts."
        ),
        actions(button("Volunteer a talk", VOLUNTEER, str(series_id), style="primary")),
    ]


def ack(talk: Talk) -> str:
    return f"🙌 Thanks for volunteering {talk_name(talk)}! An organiser will answer you soon."


def scheduled_dm(talk: Talk, timezone: str) -> str:
    assert talk.slot_at is not None
    return (
        f"🎤 Your talk {talk_name(talk)} is scheduled for {local_date(talk.slot_at, timezone)}. "
        "I'll check in with you two days before."
    )


def declined_dm(talk: Talk) -> str:
    note = f" Their note: _{escape_mrkdwn(talk.note)}_" if talk.note else ""
    return (
        f"Thanks for volunteering {talk_name(talk)}. "
        f"The organisers can't schedule it this time.{note}"
    )


def announcement(series_title: str, talk: Talk, event: EventState) -> tuple[str, list[Block]]:
    text = f"🎤 {series_title}: {talk.title}"
    if event.cancelled or talk.slot_at is None:
        return rsvp_blocks.cancelled(text, "talk")
    body = (
        f"🎤 *{escape_mrkdwn(series_title)}*: {talk_name(talk)} by <@{talk.speaker_id}>, "
        f"{slack_date(talk.slot_at)}"
    )
    if talk.abstract:
        body += f"\n{escape_mrkdwn(talk.abstract)}"
    recorded = "It will be recorded." if talk.recordable else "It won't be recorded."
    return text, rsvp_blocks.invitation(body, event, recorded)


def checkin(talk: Talk, timezone: str) -> tuple[str, list[Block]]:
    assert talk.slot_at is not None
    text = f"👋 Checking in: you're speaking on {talk.title} {local_date(talk.slot_at, timezone)}."
    buttons = [
        button(
            label,
            f"{CHECKIN_PREFIX}{answer}",
            str(talk.id),
            style="primary" if answer == "confirm" else None,
        )
        for answer, label in (("confirm", "Confirm"), ("move", "Need to move"))
    ]
    return text, [section(text), actions(*buttons)]


def checkin_reply(talk: Talk, answer: str) -> str:
    if answer == "confirm":
        return f"✅ Thanks! See you at {talk_name(talk)}."
    return f"📅 Noted: {talk_name(talk)} needs to move. The organisers will be in touch."


def reminder(talk: Talk, stage: str, timezone: str) -> str:
    assert talk.slot_at is not None
    when = local_date(talk.slot_at, timezone)
    lead = "Tomorrow" if stage == "day" else "In 15 minutes"
    return f"⏰ {lead}: {talk_name(talk)} by <@{talk.speaker_id}>, {when}."


def changed(talk: Talk, timezone: str) -> str:
    if talk.slot_at is None:
        return f"❌ {talk_name(talk)}, which you were going to, was cancelled."
    when = local_date(talk.slot_at, timezone)
    return f"📅 {talk_name(talk)}, which you're going to, moved to {when}."


def qa(talk: Talk, call_link: str) -> str:
    join = f" Join: {call_link}" if call_link else ""
    return (
        f"🙋 {talk_name(talk)} by <@{talk.speaker_id}> starts now.{join} Ask your questions in "
        "this thread, and react to the ones you want answered."
    )


def thanks(talk: Talk) -> str:
    return f"🙏 Thank you <@{talk.speaker_id}> for {talk_name(talk)}! It joins the series history."


def summary(talk: Talk, questions: Sequence[Sequence[object]]) -> str:
    """Links to the Q&A's questions (user, permalink, reactions), most-reacted first."""
    if not questions:
        return f"Thanks again for {talk_name(talk)}! No questions were asked in the thread."
    lines = [f"🙋 Questions from the Q&A on {talk_name(talk)}, most-reacted first:"]
    for number, (user, link, reactions) in enumerate(questions, start=1):
        plural = "" if reactions == 1 else "s"
        lines.append(f"{number}. <{link}|A question> from <@{user}> · {reactions} reaction{plural}")
    return "\n".join(lines)


def history_text(series_title: str, talks: Sequence[Talk]) -> str:
    if not talks:
        return f"🎤 {escape_mrkdwn(series_title)} has no talks in its history yet."
    lines = [f"🎤 *Talks given* ({escape_mrkdwn(series_title)})"]
    for talk in talks:
        when = slack_date(talk.slot_at, "{date_short_pretty}") if talk.slot_at else ""
        lines.append(f"• {talk_name(talk)} by <@{talk.speaker_id}>, {when}")
    return "\n".join(lines)


def backlog_lines(talks: Sequence[Talk]) -> list[str]:
    lines = []
    for talk in talks:
        extra = [talk.months] if talk.months else []
        extra.append("may be recorded" if talk.recordable else "not recorded")
        lines.append(
            f"`#{talk.id}` {talk_name(talk)} by <@{talk.speaker_id}> "
            f"({escape_mrkdwn(', '.join(extra))})"
        )
    return lines


def volunteer_modal(series: Activity) -> Block:
    recordable = {
        "type": "input",
        "block_id": RECORDABLE,
        "optional": True,
        "label": {"type": "plain_text", "text": "Recording"},
        "element": {
            "type": "checkboxes",
            "action_id": RECORDABLE,
            "options": [
                {"text": {"type": "plain_text", "text": "It may be recorded"}, "value": "yes"}
            ],
        },
    }
    return activity_modal(
        VOLUNTEER_MODAL,
        "Volunteer a talk",
        "Volunteer",
        series,
        [
            for_activity(series),
            text_field("title", "Title"),
            text_field("abstract", "Abstract (up to 1,000 characters)", multiline=True),
            text_field(
                "months", "Preferred months", optional=True, placeholder="February or March"
            ),
            recordable,
        ],
        id_key="series",
    )


def schedule_modal(talk: Talk) -> Block:
    date = text_field("date", "Date", placeholder="2027-01-06 (the series' usual time)")
    return _talk_modal(talk, SCHEDULE_MODAL, "Schedule a talk", "Schedule", date)


def decline_modal(talk: Talk) -> Block:
    note = text_field("note", "A note for the speaker", optional=True, multiline=True)
    return _talk_modal(talk, DECLINE_MODAL, "Decline a talk", "Decline", note)


def _talk_modal(talk: Talk, callback_id: str, title: str, submit: str, asked: Block) -> Block:
    """An organiser's decision on one volunteered talk: which talk, then the one field."""
    return modal(
        callback_id,
        title,
        submit,
        {"talk": talk.id},
        [section(f"{talk_name(talk)} by <@{talk.speaker_id}>"), asked],
    )


home_section = LiveSection(
    "🎤 *{title}* in <#{channel}>", "Volunteer a talk", VOLUNTEER, heading="*Talks*"
)


def waiting_items(backlog: Sequence[Talk], more: int) -> list[Block]:
    """Organisers: each volunteered talk, with Schedule / Decline."""
    blocks: list[Block] = []
    for talk, line in zip(backlog, backlog_lines(backlog), strict=True):
        blocks.append(section(line))
        blocks.append(
            actions(
                button("Schedule", HOME_SCHEDULE, str(talk.id), style="primary"),
                button("Decline", HOME_DECLINE, str(talk.id)),
            )
        )
    if more:
        blocks.append(context(f"…and {more} more: `/community talks backlog`."))
    return blocks
