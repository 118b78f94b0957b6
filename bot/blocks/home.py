"""The Home tab: each person's dashboard."""

from __future__ import annotations

from collections.abc import Sequence

from activities.roles import Standing
from bot.blocks.activities import activity_line
from bot.blocks.common import Block, actions, button, context, divider, header, section
from bot.blocks.roles import term_line
from storage.models import Activity, ActivityState, RoleTerm

MAX_HOME_BLOCKS = 100


def activity_controls(activity: Activity) -> Block:
    value = str(activity.id)
    toggle = (
        button("Pause", "home_activity_pause", value)
        if activity.state == ActivityState.ACTIVE
        else button("Resume", "home_activity_resume", value)
    )
    return actions(
        button("Run now", "home_activity_run", value, style="primary"),
        toggle,
        button("Preview", "home_activity_preview", value),
        button("Edit", "home_activity_edit", value),
        block_id=f"activity_{activity.id}",
    )


def home_view(
    *,
    user_id: str,
    standing: Standing,
    my_terms: Sequence[RoleTerm],
    upcoming: Sequence[Activity],
    all_terms: Sequence[RoleTerm],
    extra_sections: Sequence[list[Block]] = (),
) -> Block:
    blocks: list[Block] = [header("Convene — your community")]
    role = "admin" if standing.is_admin else "organiser" if standing.is_organiser else "member"
    role_text = f"You're a *{role}*."
    if my_terms:
        role_text += " " + " ".join(
            f"Your {t.role} term ends {t.ends_on.isoformat()}." for t in my_terms
        )
    blocks.append(section(role_text))
    for extra in extra_sections:
        blocks.extend(extra)
    blocks.append(divider())
    blocks.append(section("*Upcoming*"))
    if not upcoming:
        blocks.append(context("Nothing scheduled yet."))
    for activity in upcoming[:15]:
        blocks.append(section(activity_line(activity)))
        if standing.may_organise:
            blocks.append(activity_controls(activity))
    if standing.is_admin:
        blocks.append(divider())
        blocks.append(section("*Roles and terms*"))
        if all_terms:
            blocks.append(section("\n".join(term_line(t) for t in all_terms[:40])))
        else:
            blocks.append(context("No organisers yet: `/community roles assign @user organiser`."))
    if len(blocks) > MAX_HOME_BLOCKS:
        blocks = [*blocks[: MAX_HOME_BLOCKS - 1], context("…more in `/community activities`.")]
    return {"type": "home", "blocks": blocks}
