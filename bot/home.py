"""Assemble and publish a person's Home tab."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from activities.roles import Standing
from bot.blocks.common import Block
from bot.blocks.home import home_view
from bot.features import FEATURES
from bot.services import Services
from storage import activities as activity_store
from storage import roles as role_store


@dataclass(frozen=True, slots=True)
class HomeRequest:
    """Whose Home tab is being drawn, and when; features add sections from it."""

    session: AsyncSession
    team_id: str
    user_id: str
    standing: Standing
    now: datetime


# Features add their own Home sections (my coffee group, open polls…) in bot/features.
HomeSection = Callable[[HomeRequest], Awaitable[list[Block]]]


async def build_home(services: Services, team_id: str, user_id: str) -> dict[str, Any]:
    standing = await services.standing(team_id, user_id)
    today = services.clock.now().date()
    async with services.db.session() as session:
        terms = await role_store.current_terms(session, team_id=team_id, today=today)
        upcoming = await activity_store.list_activities(session, team_id=team_id)
        sections = [s for feature in FEATURES for s in feature.HOME_SECTIONS]
        request = HomeRequest(session, team_id, user_id, standing, services.clock.now())
        extras = [await make(request) for make in sections]
    upcoming.sort(key=lambda a: (a.next_run_at is None, a.next_run_at))
    return home_view(
        user_id=user_id,
        standing=standing,
        my_terms=[t for t in terms if t.user_id == user_id],
        upcoming=upcoming,
        all_terms=terms,
        extra_sections=[e for e in extras if e],
    )


async def publish_home(services: Services, client: Any, team_id: str, user_id: str) -> None:
    view = await build_home(services, team_id, user_id)
    await client.views_publish(user_id=user_id, view=view)
