"""Governance as Block Kit: rotation DMs, calls for volunteers, welcomes, the charter."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from activities.governance import CHOICES, HANDOVER, LAPSE, RENEW, RoleSummary
from activities.role_polls import PollResult
from activities.text import escape_mrkdwn
from bot.blocks.common import Block, actions, button, context, modal, section, text_field
from storage.models import Activity, AuditEntry, CommunitySettings, RoleTerm, RotationDecision

ROTATION_ACTIONS = {
    RENEW: "rotation_renew",
    HANDOVER: "rotation_handover",
    LAPSE: "rotation_lapse",
}
VOLUNTEER_ACTION = "role_volunteer"
APPOINT_ACTION = "role_appoint"
# Slack wants each button of a block to have its own action_id: the n-th Appoint button
# of a block is `role_appoint`, `role_appoint_2`…; all go to the one appointment handler.
MAX_APPOINT_BUTTONS = 5
APPOINT_ACTIONS = [APPOINT_ACTION] + [
    f"{APPOINT_ACTION}_{n}" for n in range(2, MAX_APPOINT_BUTTONS + 1)
]
POLL_ACTION = "role_poll_open"
HANDOVER_NOTE_ACTION = "handover_note_open"
HANDOVER_CALLBACK = "handover_note"
VOLUNTEER_CALLBACK = "volunteer_note"
CHARTER_CALLBACK = "charter_edit"
CHARTER_FIELDS = (
    ("purpose", "Purpose", "Why this community exists"),
    ("benefits", "What's in it for members", "What people get from taking part"),
    ("taking_part", "How to take part", "How to join in, and where"),
)


def rotation_ask(term: RoleTerm, name: str, window: int) -> tuple[str, list[Block]]:
    text = (
        f"<@{term.user_id}>'s term as *{escape_mrkdwn(name)}* ends on "
        f"*{term.ends_on.isoformat()}* (in {window} days or less). What happens next?"
    )
    value = f"{term.id}:{term.cycle}"
    return text, [
        section(text),
        actions(
            button("Renew for another term", ROTATION_ACTIONS[RENEW], value, style="primary"),
            button("Hand over", ROTATION_ACTIONS[HANDOVER], value),
            button("Let it lapse", ROTATION_ACTIONS[LAPSE], value),
            block_id=f"rotation_{term.id}",
        ),
    ]


def rotation_settled(
    term: RoleTerm, name: str, decision: RotationDecision
) -> tuple[str, list[Block]]:
    text = (
        f"<@{term.user_id}>'s term as *{escape_mrkdwn(name)}*: {CHOICES[decision.choice]} by "
        f"<@{decision.decided_by}> on {decision.decided_at.date().isoformat()}."
    )
    if decision.choice == RENEW:
        text += f" It now ends on {term.ends_on.isoformat()}."
    return text, [section(text)]


def handover_ask(term: RoleTerm, name: str) -> tuple[str, list[Block]]:
    text = (
        f"You're handing over *{escape_mrkdwn(name)}*. Please write a handover note for "
        "whoever takes it on: what you do, who to ask, what's coming up."
    )
    return text, [
        section(text),
        actions(button("Write handover note", HANDOVER_NOTE_ACTION, str(term.id), style="primary")),
    ]


def volunteer_call(call_id: int, name: str, involves: str, ends: str) -> tuple[str, list[Block]]:
    text = f"🙋 *Volunteers wanted: {escape_mrkdwn(name)}*{ends}\n{escape_mrkdwn(involves)}"
    return text, [
        section(text),
        actions(button("Volunteer", VOLUNTEER_ACTION, str(call_id), style="primary")),
    ]


def welcome(
    name: str, note: str, checklist: str, outgoing: str, looked_after: Sequence[Activity]
) -> tuple[str, list[Block]]:
    head = f"🎉 Welcome, you're now *{escape_mrkdwn(name)}*."
    blocks = [section(head)]
    if outgoing:
        said = escape_mrkdwn(note) if note else "_(no handover note written yet)_"
        blocks.append(section(f"*Handover note from <@{outgoing}>*\n{said}"))
    blocks.append(section(f"*Checklist*\n{escape_mrkdwn(checklist)}"))
    if looked_after:
        lines = [
            f"• #{a.id} {escape_mrkdwn(a.title or a.kind)} in <#{a.channel_id}>"
            for a in looked_after
        ]
        blocks.append(section("*Activities you now look after*\n" + "\n".join(lines[:30])))
    return head, blocks


def summary_blocks(found: RoleSummary) -> tuple[str, list[Block]]:
    def line(t: RoleTerm) -> str:
        name = escape_mrkdwn(found.names.get(t.role, t.role))
        when = f"from {t.starts_on.isoformat()} until *{t.ends_on.isoformat()}*"
        return f"• <@{t.user_id}> — {name} {when}"

    current = "\n".join(line(t) for t in found.current[:40]) or "_Nobody holds a role right now._"
    past = "\n".join(line(t) for t in found.past[:20]) or "_None yet._"
    empty = ", ".join(escape_mrkdwn(n) for n in found.open_roles) or "_None._"
    text = f"*Roles*\n{current}\n*Past holders*\n{past}\n*Open roles*\n{empty}"
    return text, [
        section(f"*Roles*\n{current}"),
        section(f"*Past holders*\n{past}"),
        section(f"*Open roles*\n{empty}"),
        context(
            "Terms last a year unless an admin sets `until`. New role: "
            '`/community roles new "Book club host" --activity 3`.'
        ),
    ]


def charter_text(
    settings: CommunitySettings, organisers: Sequence[str], sponsors: Sequence[str]
) -> str:
    parts = []
    for key, label, _ in CHARTER_FIELDS:
        value = (
            getattr(settings, key) or "_not written yet — organisers: `/community charter edit`_"
        )
        parts.append(f"*{label}*\n{escape_mrkdwn(value) if getattr(settings, key) else value}")
    people = ", ".join(f"<@{u}>" for u in organisers) or "_none yet_"
    parts.append(f"*Organisers*\n{people}")
    parts.append(f"*Sponsor*\n{', '.join(f'<@{u}>' for u in sponsors) or '_none yet_'}")
    return "\n\n".join(parts)


def charter_blocks(text: str, joinable: Sequence[Activity] = ()) -> list[Block]:
    blocks = [section("📜 *Our charter*"), section(text)]
    if joinable:
        lines = [
            f"• {escape_mrkdwn(a.title or a.kind)} in <#{a.channel_id}>" for a in joinable[:20]
        ]
        blocks.append(
            section("*How to join the activities*\nJoin these channels:\n" + "\n".join(lines))
        )
    return blocks


def charter_modal(settings: CommunitySettings) -> Block:
    fields = [
        text_field(
            key,
            label,
            optional=True,
            multiline=True,
            max_length=1000,
            placeholder=hint,
            initial=getattr(settings, key),
        )
        for key, label, hint in CHARTER_FIELDS
    ]
    return modal(CHARTER_CALLBACK, "Community charter", "Save", {}, fields)


def volunteer_modal(call_id: int, name: str) -> Block:
    ask = section(f"You're down for *{escape_mrkdwn(name)}*. Add a line about yourself?")
    note = text_field("note", "A line about you", optional=True, max_length=300)
    return modal(
        VOLUNTEER_CALLBACK, "Thanks for volunteering", "Save", {"call": call_id}, [ask, note]
    )


def handover_modal(term_id: int, note: str) -> Block:
    field = text_field(
        "note", "For whoever takes the role on", multiline=True, max_length=2900, initial=note
    )
    return modal(HANDOVER_CALLBACK, "Handover note", "Save", {"term": term_id}, [field])


def audit_blocks(entries: Sequence[AuditEntry]) -> tuple[str, list[Block]]:
    if not entries:
        return "Nothing in the audit log yet.", [section("Nothing in the audit log yet.")]
    lines = [
        f"• {e.at.strftime('%Y-%m-%d %H:%M')} {_actor(e.actor_id)} `{e.action}` "
        f"{escape_mrkdwn(e.subject)}"
        for e in entries
    ]
    chunks = [lines[i : i + 20] for i in range(0, len(lines), 20)]
    text = "*Audit log*\n" + "\n".join(lines)
    return text, [section("*Audit log*"), *(section("\n".join(c)) for c in chunks)]


def _actor(actor_id: str) -> str:
    return f"<@{actor_id}>" if actor_id.startswith(("U", "W")) else escape_mrkdwn(actor_id)


Volunteers = Sequence[tuple[str, str]]  # (user id, the line they added)


@dataclass(frozen=True, slots=True)
class CallOnHome:
    """An open call for volunteers as admins see it on their Home tab."""

    call_id: int
    name: str
    volunteers: Volunteers
    polling: bool = False  # a poll among the volunteers is open


def appoint_buttons(call_id: int, people: Sequence[tuple[str, str]]) -> list[Block]:
    """One "Appoint" button a (user id, label), each with its own action_id."""
    return [
        button(label, APPOINT_ACTIONS[i], f"{call_id}:{user_id}")
        for i, (user_id, label) in enumerate(list(people)[:MAX_APPOINT_BUTTONS])
    ]


def call_items(call: CallOnHome) -> list[Block]:
    """One call's volunteers, each with "Appoint", and "Poll among volunteers" (admins)."""
    who = "\n".join(
        f"#{i + 1} <@{u}>" + (f" — {escape_mrkdwn(note)}" if note else "")
        for i, (u, note) in enumerate(call.volunteers)
    )
    if call.polling:
        who += "\n🗳️ _A poll among them is open in the community channel._"
    blocks: list[Block] = [section(who)]
    people = [(u, f"Appoint #{i + 1}") for i, (u, _) in enumerate(call.volunteers)]
    elements = appoint_buttons(call.call_id, people)
    if len(call.volunteers) >= 2 and not call.polling:
        elements.append(button("Poll among volunteers", POLL_ACTION, str(call.call_id)))
    if elements:
        blocks.append(actions(*elements, block_id=f"appoint_{call.call_id}"))
    return blocks


def empty_roles(found: RoleSummary) -> list[Block]:
    """Admins' part of the Home tab: the roles nobody holds."""
    empty = ", ".join(escape_mrkdwn(n) for n in found.open_roles) or "_none_"
    return [context(f"Roles nobody holds: {empty}")]


def poll_result(result: PollResult, poll_id: int) -> tuple[str, list[Block]]:
    """The admins' DM when a poll among volunteers closes: the count and who to appoint."""
    counts = " · ".join(f"{escape_mrkdwn(label)} {n}" for label, n in result.counts)
    head = f"🗳️ The poll for *{escape_mrkdwn(result.role_name)}* has closed: {counts}."
    blocks: list[Block] = [section(head)]
    if result.call.appointed_user_id:
        blocks.append(context(f"<@{result.call.appointed_user_id}> was appointed meanwhile."))
        return head, blocks
    buttons = appoint_buttons(
        result.call.id or 0,
        [(user_id, f"Appoint {label}") for user_id, label in result.leaders],
    )
    blocks.append(actions(*buttons, block_id=f"poll_appoint_{poll_id}"))
    return head, blocks
