"""`GET /calendar/<token>.ics`: the community's (or one person's) calendar as a feed.

An unknown or reset token answers 404 with the same body as any other unknown
page, so nothing tells which tokens exist. ETag/If-None-Match spare clients that
poll every hour from downloading an unchanged feed.
"""

from __future__ import annotations

import logging

from aiohttp import web

from activities.timeline import Window
from bot import ics
from bot.listeners.commands.calendar import FEED_PATH
from bot.services import Services
from storage import calendar as tokens

log = logging.getLogger(__name__)


def add_routes(app: web.Application, services: Services) -> None:
    async def feed(request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        now = services.clock.now()
        async with services.db.session() as session:
            row = await tokens.by_token(session, token=token)
            if row is None:
                raise web.HTTPNotFound()
            window = Window.around(now)
            calendars = services.calendars
            if row.user_id == tokens.COMMUNITY:
                name = "Community calendar"
                found = await calendars.community(
                    session, team_id=row.team_id, window=window, now=now
                )
            else:
                name = "My coffee rounds"
                found = await calendars.personal(
                    session, team_id=row.team_id, user_id=row.user_id, window=window, now=now
                )
        body = ics.feed(name, found)
        tag = ics.etag(body)
        headers = {"ETag": tag, "Cache-Control": "private, max-age=300"}
        wanted = {t.strip() for t in request.headers.get("If-None-Match", "").split(",")}
        if tag in wanted or "*" in wanted:
            return web.Response(status=304, headers=headers)
        log.info("calendar feed served", extra={"team_id": row.team_id, "events": len(found)})
        return web.Response(
            body=body, content_type="text/calendar", charset="utf-8", headers=headers
        )

    app.router.add_get(FEED_PATH, feed)
