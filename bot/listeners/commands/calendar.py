"""`/community calendar …`: the timeline in Slack, and the links of its ICS feeds."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import timedelta
from functools import partial

from activities import calendar
from activities.timeline import Window
from bot.blocks.calendar import calendar_view
from bot.listeners.context import Caller, Reply, Sub
from bot.services import Services
from storage import calendar as tokens
from storage import rsvps

FEED_PATH = "/calendar/{token}.ics"


def feed_url(services: Services, token: str) -> str:
    base = services.settings.public_url or f"http://localhost:{services.settings.port}"
    return base + FEED_PATH.format(token=token)


async def show(caller: Caller, args: list[str]) -> Reply:
    weeks = calendar.parse_weeks(args)
    now = caller.now
    async with caller.services.db.session() as session:
        found = await caller.services.calendars.community(
            session,
            team_id=caller.team_id,
            window=Window(now, now + timedelta(weeks=weeks)),
            now=now,
        )
        answers = await rsvps.answers_of(
            session,
            team_id=caller.team_id,
            user_id=caller.user_id,
            event_keys=[e.rsvp_key for e in found if e.rsvp_key],
        )
    zone = await caller.timezone()
    text, blocks = calendar_view(found, zone=zone, weeks=weeks, answers=answers)
    return Reply(text, blocks)


async def link(caller: Caller, args: list[str]) -> Reply:
    mine = bool(args) and args[0].lower() == "mine"
    owner = caller.user_id if mine else tokens.COMMUNITY
    async with caller.services.db.session() as session:
        row = await tokens.token_for(session, team_id=caller.team_id, user_id=owner, now=caller.now)
        await session.commit()
    url = feed_url(caller.services, row.token)
    what = "your coffee rounds" if mine else "the community's public calendar"
    return Reply(
        f"Subscribe to {what} in your calendar app with this URL (keep it to yourself: "
        f"anyone with it can read the feed):\n{url}"
    )


async def reset_link(caller: Caller, args: list[str]) -> Reply:
    async with caller.services.db.session() as session:
        row = await tokens.reset(
            session, team_id=caller.team_id, user_id=tokens.COMMUNITY, now=caller.now
        )
        await session.commit()
    return Reply(
        "🔑 The old calendar link no longer works. The new one:\n"
        + feed_url(caller.services, row.token)
    )


class CalendarWords(Mapping[str, Sub]):
    """The named words, plus any number of weeks (`/community calendar 6`), which
    `show` checks and refuses out of range."""

    def __init__(self) -> None:
        self._named = {
            "": Sub(show),
            "link": Sub(link),
            "reset-link": Sub(reset_link, "organiser"),
        }

    def __getitem__(self, word: str) -> Sub:
        if word.isdigit():
            return Sub(partial(_show_weeks, word))
        return self._named[word]

    def __iter__(self) -> Iterator[str]:
        return iter(self._named)

    def __len__(self) -> int:
        return len(self._named)


async def _show_weeks(weeks: str, caller: Caller, args: list[str]) -> Reply:
    return await show(caller, [weeks, *args])


CALENDAR = Sub(words=CalendarWords())
