"""The Home tab's "Coming up": the next five entries of the community calendar, within
the four weeks `/community calendar` shows by default."""

from __future__ import annotations

from datetime import timedelta

from activities import calendar
from activities.calendar import Calendars
from activities.timeline import Window
from bot.blocks.calendar import coming_up
from bot.blocks.common import Block
from bot.home import HomeRequest, HomeSection
from storage import rsvps

SHOWN = 5


def coming_up_section(calendars: Calendars) -> HomeSection:
    async def section(home: HomeRequest) -> list[Block]:
        found = await calendars.community(
            home.session,
            team_id=home.team_id,
            window=Window(home.now, home.now + timedelta(weeks=calendar.DEFAULT_WEEKS)),
            now=home.now,
        )
        upcoming = [e for e in found if e.start >= home.now and e.status == "confirmed"]
        shown = upcoming[:SHOWN]
        answers = await rsvps.answers_of(
            home.session,
            team_id=home.team_id,
            user_id=home.user_id,
            event_keys=[e.rsvp_key for e in shown if e.rsvp_key],
        )
        return coming_up(shown, answers)

    return section
