"""The Home tab's layout rules, with plain objects: the state a redraw keeps (and what a
forged one comes to), and the block budget that keeps the activities and their pager."""

from __future__ import annotations

import json
from datetime import date

from activities.roles import Standing
from bot.blocks.common import context, section
from bot.blocks.home import (
    FOLDED,
    FOLDED_OPENED,
    MAX_HOME_BLOCKS,
    carry_home_state,
    fold,
    home_state,
    home_view,
    opened_from_home,
)
from storage.models import Activity, RoleTerm

ORGANISER = Standing(is_admin=False, is_organiser=True)
ADMIN = Standing(is_admin=True, is_organiser=False)


def activities(count: int) -> list[Activity]:
    return [
        Activity(
            id=n + 1,
            team_id="T1",
            kind="announcement",
            channel_id="C1",
            title=f"Note {n + 1}",
            schedule_rule="cron:0 9 * * mon",
            timezone="UTC",
            created_by="U1",
        )
        for n in range(count)
    ]


def test_a_redraw_keeps_the_page_and_the_opened_line() -> None:
    view = home_view(
        user_id="U1",
        standing=ORGANISER,
        my_terms=[],
        upcoming=activities(30),
        all_terms=[],
        page=2,
        focus="advent_tips",
    )
    assert home_state(view) == (2, "advent_tips")
    # A page past the end is the last page, and says so.
    late = home_view(
        user_id="U1",
        standing=ORGANISER,
        my_terms=[],
        upcoming=activities(30),
        all_terms=[],
        page=99,
    )
    assert home_state(late) == (2, "")


def test_forged_or_foreign_metadata_is_the_first_page() -> None:
    for metadata in ("", "not json", "[1]", '{"page": "x"}', '{"page": -4}', "17"):
        view = {"type": "home", "private_metadata": metadata}
        assert home_state(view) == (0, ""), metadata
    assert home_state({"type": "modal", "private_metadata": '{"page": 3}'}) == (0, "")


def test_a_modal_opened_on_the_tab_carries_its_state_and_keeps_its_own() -> None:
    modal = {"type": "modal", "private_metadata": json.dumps({"kind": "poll"})}
    carried = carry_home_state(modal, 3, "talks_backlog")
    assert opened_from_home(carried) and not opened_from_home(modal)
    assert json.loads(carried["private_metadata"])["kind"] == "poll"
    assert home_state(carried) == (3, "talks_backlog")
    # Metadata that is not a JSON object (an id) is left alone.
    plain = {"type": "modal", "private_metadata": "42"}
    assert carry_home_state(plain, 1, "") is plain


def long_home(*, opened: bool) -> str:
    many = [section(f"waiting {n}") for n in range(150)]
    view = home_view(
        user_id="U1",
        standing=ORGANISER,
        my_terms=[],
        upcoming=activities(60),
        all_terms=[],
        waiting=many,
        opened=opened,
    )
    blocks = view["blocks"]
    assert len(blocks) <= MAX_HOME_BLOCKS
    return json.dumps(blocks, ensure_ascii=False)


def test_long_sections_give_way_before_the_activities_and_their_pager() -> None:
    texts = long_home(opened=False)
    assert FOLDED in texts and "page 1 of 5" in texts and '"home_pager"' in texts
    assert texts.count("home_activity_run") == 12
    # No list is opened: hiding one would free nothing, so the note does not say to.
    assert "Hide" not in texts


def test_the_fold_note_advises_hiding_only_an_opened_list() -> None:
    texts = long_home(opened=True)
    assert FOLDED_OPENED in texts and "page 1 of 5" in texts


def test_the_fold_keeps_what_fits_and_never_more_than_the_room() -> None:
    middle = [section(f"line {n}") for n in range(10)]
    assert fold(middle, 10, opened=False) == middle
    assert fold(middle, 4, opened=True) == [*middle[:3], context(FOLDED_OPENED)]
    assert fold(middle, 1, opened=False) == [context(FOLDED)]
    # No room at all: nothing, not the front of the list a negative slice would keep.
    for room in (0, -1, -5):
        assert fold(middle, room, opened=True) == []


def test_the_admins_roles_list_names_each_role_in_sections_within_slacks_limit() -> None:
    # 40 terms of a role with the longest name, all "&" (escaped to five characters each).
    name = "&" * 32
    terms = [
        RoleTerm(
            team_id="T1",
            user_id=f"U{n:010d}",
            role="key-of-the-role",
            starts_on=date(2026, 1, 1),
            ends_on=date(2027, 1, 1),
            assigned_by="U1",
        )
        for n in range(40)
    ]
    view = home_view(
        user_id="U1",
        standing=ADMIN,
        my_terms=[],
        upcoming=[],
        all_terms=terms,
        role_names={"key-of-the-role": name},
    )
    texts = [b["text"]["text"] for b in view["blocks"] if "<@U" in str(b.get("text", ""))]
    assert len(texts) >= 2 and all(len(t) <= 3000 for t in texts)
    lines = "\n".join(texts).split("\n")
    assert len(lines) == 40 and all("&amp;" * 32 in line for line in lines)
    assert "key-of-the-role" not in json.dumps(view)
