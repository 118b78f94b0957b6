"""Timeline entries as an iCalendar feed (RFC 5545), the way calendar clients need it.

UIDs come from the entries (never a position), SEQUENCE and LAST-MODIFIED from the
activity's last change, DTSTAMP too (so an unchanged feed is byte-identical and its
ETag stable), a VTIMEZONE for every TZID used, and a refresh hint for clients.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from activities.timeline import TimelineEntry

if TYPE_CHECKING:
    from icalendar import Event, Timezone

REFRESH = timedelta(hours=1)


def message_link(channel_id: str, ts: str) -> str:
    return f"https://slack.com/archives/{channel_id}/p{ts.replace('.', '')}"


@lru_cache(maxsize=64)
def vtimezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    """The zone's observances over the years the feed covers (slow to build: cached)."""
    from icalendar import Timezone  # see feed()

    return Timezone.from_tzinfo(
        ZoneInfo(tzid),
        tzid=tzid,
        first_date=date(first_year, 1, 1),
        last_date=date(last_year + 1, 1, 1),
    )


def _event(entry: TimelineEntry) -> Event:
    from icalendar import Event  # see feed()

    zone = UTC if entry.timezone == "UTC" else ZoneInfo(entry.timezone)
    event = Event()
    event.add("uid", entry.uid)
    event.add("summary", entry.title)
    event.add("dtstart", entry.start.astimezone(zone))
    if entry.end is not None:
        event.add("dtend", entry.end.astimezone(zone))
    modified = entry.last_modified.astimezone(UTC)
    event.add("dtstamp", modified)
    event.add("last-modified", modified)
    event.add("sequence", entry.sequence)
    event.add("status", "CANCELLED" if entry.status == "cancelled" else "CONFIRMED")
    if entry.message is not None:
        event.add("url", message_link(*entry.message))
    description = entry.description or f"In Slack channel {entry.channel_id}"
    event.add("description", description)
    return event


def feed(name: str, entries: Sequence[TimelineEntry]) -> bytes:
    # icalendar (80 modules, with dateutil) is imported when a calendar client first asks
    # for a feed, not at every start: ~20 ms and ~4 MB a process that may never serve one.
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", "-//Convene//Community calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    zones = sorted({e.timezone for e in entries if e.timezone != "UTC"})
    if entries:
        first = min(e.start for e in entries).year
        last = max((e.end or e.start) for e in entries).year
        for tzid in zones:
            calendar.add_component(vtimezone(tzid, first, last))
    for entry in entries:
        calendar.add_component(_event(entry))
    body: bytes = calendar.to_ical()
    return body


def etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
