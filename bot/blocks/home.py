"""The Home tab: each person's dashboard."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Literal, get_args

from activities.roles import Standing
from activities.text import escape_mrkdwn
from bot.blocks.activities import activity_line
from bot.blocks.common import (
    Block,
    actions,
    button,
    context,
    divider,
    header,
    section,
    sections,
)
from bot.blocks.roles import term_line
from storage.models import Activity, ActivityState, RoleTerm

MAX_HOME_BLOCKS = 100
# Activities a Home page shows (two blocks each for organisers); "More" pages on.
PAGE_SIZE = 12
MORE_ACTION = "home_more"
# Where the sections above the activities were cut to keep the tab within the limit;
# hiding a list only frees room when one is opened, so only then is it advised.
FOLDED = "…cut short to fit the tab."
FOLDED_OPENED = "…cut short to fit the tab: *Hide* an opened list to see the rest."
# "Review" / "Hide" on a line of "Waiting for you" (value: the line's key).
WAITING_ACTION = "home_waiting"
# In a modal's metadata: the state of the Home tab it was opened on.
HOME_KEY = "home"
# An organiser's buttons under each activity; the listener takes the verb back off the id.
ActivityVerb = Literal["run", "pause", "resume", "preview", "edit", "cancel"]
ACTIVITY_VERBS: tuple[ActivityVerb, ...] = get_args(ActivityVerb)
ACTIVITY_ACTION = "home_activity_"


def activity_action(verb: ActivityVerb) -> str:
    """The action id of an activity's `verb` button (`home_activity_pause`…)."""
    return ACTIVITY_ACTION + verb


_VERB_OF: dict[str, ActivityVerb] = {activity_action(verb): verb for verb in ACTIVITY_VERBS}


def activity_verb(action_id: str) -> ActivityVerb:
    """The verb of a clicked activity button (the listener is registered for these only)."""
    return _VERB_OF[action_id]


def activity_controls(activity: Activity) -> Block:
    value = str(activity.id)
    toggle = (
        button("Pause", activity_action("pause"), value)
        if activity.state == ActivityState.ACTIVE
        else button("Resume", activity_action("resume"), value)
    )
    return actions(
        button("Run now", activity_action("run"), value, style="primary"),
        toggle,
        button("Preview", activity_action("preview"), value),
        button("Edit", activity_action("edit"), value),
        cancel_button(value),
        block_id=f"activity_{activity.id}",
    )


def cancel_button(value: str) -> Block:
    element = button("Cancel", activity_action("cancel"), value, style="danger")
    element["confirm"] = {
        "title": {"type": "plain_text", "text": "Cancel this activity?"},
        "text": {"type": "plain_text", "text": "It stops for good; its history stays."},
        "confirm": {"type": "plain_text", "text": "Cancel it"},
        "deny": {"type": "plain_text", "text": "Keep it"},
        "style": "danger",
    }
    return element


def pager(page: int, pages: int) -> Block | None:
    if pages <= 1:
        return None
    elements = []
    if page > 0:
        elements.append(button("◀ Back", f"{MORE_ACTION}_back", str(page - 1)))
    if page + 1 < pages:
        elements.append(button("More ▶", MORE_ACTION, str(page + 1)))
    return actions(*elements, block_id="home_pager")


def home_view(
    *,
    user_id: str,
    standing: Standing,
    my_terms: Sequence[RoleTerm],
    upcoming: Sequence[Activity],
    all_terms: Sequence[RoleTerm],
    extra_sections: Sequence[list[Block]] = (),
    waiting: Sequence[Block] = (),
    page: int = 0,
    focus: str = "",
    failures: Sequence[str] = (),
    role_names: Mapping[str, str] | None = None,
    opened: bool = False,
) -> Block:
    """`opened`: a list of `waiting` is shown opened (its "Hide" would make room)."""
    blocks: list[Block] = [header("Convene — your community")]
    role = "admin" if standing.is_admin else "organiser" if standing.is_organiser else "member"
    role_text = f"You're a *{role}*."
    names = role_names or {}
    if my_terms:
        role_text += "\n*Your roles and terms*\n" + "\n".join(
            f"• {escape_mrkdwn(names.get(t.role, t.role))} from {t.starts_on.isoformat()} "
            f"until *{t.ends_on.isoformat()}*"
            for t in my_terms
        )
    blocks.append(section(role_text))
    middle = [*waiting, *(b for extra in extra_sections for b in extra)]
    tail = _activities_and_roles(
        standing, upcoming, all_terms, page=page, failures=failures, names=names
    )
    # The activities, their pager and the roles always fit: the sections above give way.
    room = MAX_HOME_BLOCKS - len(blocks) - len(tail)
    blocks = [*blocks, *fold(middle, room, opened=opened), *tail]
    if len(blocks) > MAX_HOME_BLOCKS:
        blocks = [*blocks[: MAX_HOME_BLOCKS - 1], context("…more in `/community activities`.")]
    # What the tab shows (its page, the waiting items opened): a redraw keeps it.
    pages = max(1, -(-len(upcoming) // PAGE_SIZE))
    state = json.dumps({"page": min(max(page, 0), pages - 1), "focus": focus})
    return {"type": "home", "blocks": blocks, "private_metadata": state}


def fold(middle: Sequence[Block], room: int, *, opened: bool) -> list[Block]:
    """The sections above the activities within `room` blocks: all of them when they fit,
    else as many as leave a block for the note that they were cut (none at all when not
    even the note fits)."""
    if len(middle) <= room:
        return list(middle)
    if room <= 0:
        return []
    return [*middle[: room - 1], context(FOLDED_OPENED if opened else FOLDED)]


def _activities_and_roles(
    standing: Standing,
    upcoming: Sequence[Activity],
    all_terms: Sequence[RoleTerm],
    *,
    page: int,
    failures: Sequence[str],
    names: Mapping[str, str],
) -> list[Block]:
    """One page of activities (with organisers' buttons) and its pager, the delivery
    failures (organisers) and the roles and terms (admins)."""
    blocks: list[Block] = [divider()]
    pages = max(1, -(-len(upcoming) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    heading = "*Upcoming*" + (f" (page {page + 1} of {pages})" if pages > 1 else "")
    blocks.append(section(heading))
    if not upcoming:
        blocks.append(context("Nothing scheduled yet."))
    for activity in upcoming[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]:
        blocks.append(section(activity_line(activity)))
        if standing.may_organise:
            blocks.append(activity_controls(activity))
    more = pager(page, pages)
    if more is not None:
        blocks.append(more)
    if standing.may_organise and failures:
        blocks.append(section("*Last delivery failures*\n" + "\n".join(failures[:5])))
    if standing.is_admin:
        blocks.append(divider())
        blocks.append(section("*Roles and terms*"))
        if all_terms:
            # Up to 40 lines of up to ~80 characters: split between lines, so none is
            # clipped at Slack's 3000 characters a section.
            blocks.extend(sections("\n".join(term_line(t, names) for t in all_terms[:40])))
        else:
            blocks.append(context("No organisers yet: `/community roles assign @user organiser`."))
    return blocks


def home_state(view: Mapping[str, Any]) -> tuple[int, str]:
    """What a Home tab this bot drew shows (page, opened waiting items), from the tab
    itself or from a modal opened on it (which carries it under `HOME_KEY`); else the
    first page with nothing opened."""
    try:
        state = json.loads(str(view.get("private_metadata") or "{}"))
        if view.get("type") != "home":
            state = state.get(HOME_KEY)
        if not isinstance(state, dict):
            return 0, ""
        return max(int(state.get("page", 0)), 0), str(state.get("focus", ""))[:100]
    except (ValueError, TypeError, AttributeError):
        return 0, ""


def opened_from_home(view: Mapping[str, Any]) -> bool:
    """A modal opened by a click on the Home tab (see `carry_home_state`)."""
    try:
        metadata = json.loads(str(view.get("private_metadata") or "{}"))
    except ValueError:
        return False
    return isinstance(metadata, dict) and isinstance(metadata.get(HOME_KEY), dict)


def carry_home_state(modal: Block, page: int, focus: str) -> Block:
    """The modal, remembering the Home tab it was opened on: its submission redraws that
    tab where it was. Modals whose metadata is not a JSON object are left as they are."""
    raw = str(modal.get("private_metadata") or "{}")
    try:
        metadata = json.loads(raw)
    except ValueError:
        return modal
    if not isinstance(metadata, dict):
        return modal
    metadata[HOME_KEY] = {"page": page, "focus": focus}
    return {**modal, "private_metadata": json.dumps(metadata)}
