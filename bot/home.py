"""Assemble a person's Home tab from the core parts and each kind's sections."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from activities import governance
from activities.roles import ORGANISER, Standing
from activities.text import escape_mrkdwn
from bot.blocks import governance as governance_blocks
from bot.blocks.common import Block, button, context, section
from bot.blocks.home import WAITING_ACTION, home_view
from storage import activities as activity_store
from storage import governance as governance_store
from storage import homes, outbox
from storage import role_polls as role_poll_store
from storage import roles as role_store
from storage.db import Database
from storage.models import OutboxMessage

# Delivery failures an organiser's Home tab shows, the latest.
MAX_FAILURES = 5


@dataclass(frozen=True, slots=True)
class HomeRequest:
    """Whose Home tab is being drawn, and when; kinds add sections from it."""

    session: AsyncSession
    team_id: str
    user_id: str
    standing: Standing
    now: datetime
    # When this person last opened each line of "Waiting for you", by the line's key.
    seen: Mapping[str, datetime] = field(default_factory=dict)


# A kind's part of the Home tab (my coffee group, open polls…), from its plug-in.
HomeSection = Callable[[HomeRequest], Awaitable[list[Block]]]


# What "Review" shows under a waiting line: each item with its buttons. Read only for
# the line the organiser opened (in the same database session as the rest of the tab).
ItemsLoader = Callable[[], Awaitable[list[Block]]]


@dataclass(frozen=True, slots=True)
class Waiting:
    """Things waiting for an organiser in one kind: a line with a count and a button.

    The button is the kind's own (`action`: text, action id, value), or, with `items`,
    "Review", which shows those items under the line."""

    key: str  # unique on the tab, e.g. "advent_tips" or "bookclub_7"
    label: str  # mrkdwn, e.g. "Advent tips to review"
    count: int
    items: ItemsLoader | None = None
    action: tuple[str, str, str] | None = None
    review: str = "Review"  # the button that shows `items` ("Hide" folds them again)
    # The line stays while it is open even when its count is 0: it counts what is new
    # since it was last opened, and its items are more than that (a topic backlog).
    stays_open: bool = False


def ready(blocks: list[Block]) -> ItemsLoader:
    """Items already at hand (read anyway to count them)."""

    async def load() -> list[Block]:
        return blocks

    return load


# A kind's items waiting for organisers (asked only for organisers), from its plug-in.
WaitingItems = Callable[[HomeRequest], Awaitable[list[Waiting]]]


async def build_home(
    db: Database,
    *,
    sections: Sequence[HomeSection],
    waiting: Sequence[WaitingItems] = (),
    team_id: str,
    user_id: str,
    standing: Standing,
    now: datetime,
    page: int = 0,
    focus: str = "",
) -> dict[str, Any]:
    async with db.session() as session:
        terms = await role_store.current_terms(session, team_id=team_id, today=now.date())
        upcoming = await activity_store.list_activities(session, team_id=team_id)
        seen = await homes.seen(session, team_id=team_id, user_id=user_id)
        request = HomeRequest(session, team_id, user_id, standing, now, seen)
        extras = [await make(request) for make in sections]
        waits: list[Waiting] = []
        if standing.may_organise:
            for find in waiting:
                waits.extend(
                    w
                    for w in await find(request)
                    if w.count > 0 or (w.stays_open and w.key == focus)
                )
        opened = next((w.items for w in waits if w.key == focus and w.items), None)
        opened_items = await opened() if opened is not None else []
        if standing.is_admin:
            extras.append(await admin_governance(session, team_id=team_id, now=now))
        failed: list[OutboxMessage] = []
        if standing.may_organise:
            failed = await outbox.last_failed(session, team_id=team_id, limit=MAX_FAILURES)
        names = {r.key: r.name for r in await governance_store.list_roles(session, team_id=team_id)}
    upcoming.sort(key=lambda a: (a.next_run_at is None, a.next_run_at))
    return home_view(
        user_id=user_id,
        standing=standing,
        my_terms=[t for t in terms if t.user_id == user_id],
        upcoming=upcoming,
        all_terms=terms,
        extra_sections=[e for e in extras if e],
        waiting=waiting_section(waits, focus, opened_items) if standing.may_organise else [],
        page=page,
        focus=focus,
        failures=[failure_line(row) for row in failed],
        role_names={ORGANISER: "Organiser", **names},
        opened=bool(opened_items),
    )


def waiting_section(
    waits: Sequence[Waiting], focus: str, opened_items: Sequence[Block]
) -> list[Block]:
    """One section for everything waiting for the organiser, across every kind; the
    line `focus` names shows its items (`opened_items`) under it."""
    blocks: list[Block] = [section("*Waiting for you*")]
    if not waits:
        blocks.append(context("Nothing is waiting for you."))
    for wait in waits:
        shown = wait.key == focus and wait.items is not None
        if wait.action is not None:
            text, action_id, value = wait.action
            accessory = button(text, action_id, value)
        else:
            accessory = button("Hide" if shown else wait.review, WAITING_ACTION, wait.key)
        blocks.append(section(f"{wait.label}: *{wait.count}*", accessory=accessory))
        if shown:
            blocks.extend(opened_items)
    return blocks


def failure_line(row: OutboxMessage) -> str:
    error = escape_mrkdwn(row.last_error[:120]) or "unknown error"
    return f"• `{row.intent}` on {row.created_at.strftime('%Y-%m-%d %H:%M')} UTC: {error}"


async def admin_governance(session: AsyncSession, *, team_id: str, now: datetime) -> list[Block]:
    found = await governance.summary(session, team_id=team_id, today=now.date())
    return governance_blocks.empty_roles(found)


async def role_volunteers(home: HomeRequest) -> list[Waiting]:
    """Admins: each open call for volunteers that has some, to appoint one or poll them."""
    if not home.standing.is_admin:
        return []
    names = {
        r.key: r.name for r in await governance_store.list_roles(home.session, team_id=home.team_id)
    }
    found = []
    for call in await governance_store.open_calls(home.session, team_id=home.team_id):
        assert call.id is not None
        people = await governance_store.volunteers(home.session, call_id=call.id)
        if not people:
            continue
        polling = await role_poll_store.live_for_call(home.session, call_id=call.id)
        name = names.get(call.role, "Organiser" if call.role == ORGANISER else call.role)
        on_home = governance_blocks.CallOnHome(
            call.id, name, [(v.user_id, v.note) for v in people], polling=polling is not None
        )
        found.append(
            Waiting(
                f"role_call_{call.id}",
                f"Volunteers for *{escape_mrkdwn(name)}*",
                len(people),
                items=ready(governance_blocks.call_items(on_home)),
                review="See volunteers",
            )
        )
    return found
