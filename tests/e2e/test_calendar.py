"""The community calendar end to end: `/community calendar` and its ICS feed over HTTP."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import aiohttp
from icalendar import Calendar

from bot.blocks.preview import inert
from bot.sandbox.server import DEFAULT_TEAM_ID as TEAM
from storage import rsvps
from tests.e2e.harness import Harness, reply_text

DATE = re.compile(r"<!date\^(\d+)\^[^|]*\|[^>]*> \*([^*]+)\*")


async def organiser(h: Harness) -> None:
    said = reply_text(await h.command("UADMIN", "/community", "roles assign <@UORG> organiser"))
    assert "organiser until" in said, said


async def new(h: Harness, text: str) -> None:
    said = reply_text(await h.command("UORG", "/community", text))
    assert "✅" in said, said


def blocks_text(response: object) -> str:
    body = getattr(response, "json", {}) or {}
    return "\n".join(b["text"]["text"] for b in body.get("blocks", []) if "text" in b)


async def fetch(h: Harness, url: str, etag: str = "") -> tuple[int, bytes, str]:
    path = url.split("localhost", 1)[1].split("/", 1)[1]
    headers = {"If-None-Match": etag} if etag else {}
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"http://127.0.0.1:{h.bot.port}/{path}", headers=headers) as resp,
    ):
        return resp.status, await resp.read(), resp.headers.get("ETag", "")


def events(body: bytes) -> dict[str, dict[str, object]]:
    calendar = Calendar.from_ical(body)
    zones = {str(z["TZID"]) for z in calendar.walk("VTIMEZONE")}
    found: dict[str, dict[str, object]] = {}
    for event in calendar.walk("VEVENT"):
        start: Any = event["DTSTART"]  # a vDDDTypes: icalendar types a value as any of them
        tzid = start.params.get("TZID")
        assert tzid is None or tzid in zones, (tzid, zones)  # a VTIMEZONE per TZID used
        found[str(event["UID"])] = {
            "start": start.dt,
            "title": str(event["SUMMARY"]),
            "sequence": int(str(event["SEQUENCE"])),
            "status": str(event["STATUS"]),
            "tzid": tzid,
        }
    assert len(found) == len(calendar.walk("VEVENT"))  # no UID twice
    return found


def titles_of(body: bytes) -> list[str]:
    return [str(e["title"]) for e in events(body).values()]


async def test_feed_matches_the_calendar_and_survives_edits_and_cancels(harness: Harness) -> None:
    h = harness
    h.slack.add_channel("C0SECRET", "secret", ["UORG"], is_private=True)
    await organiser(h)
    await new(
        h,
        'new announcement <#C0COMMUNITY|community> "every monday 09:00" "Stand-up" '
        "--tz Europe/London",
    )
    await new(
        h,
        'new announcement <#C0COMMUNITY|community> "every wednesday 12:00" "Lunch" '
        "--tz America/New_York",
    )
    await new(h, 'new announcement <#C0SECRET|secret> "every friday 10:00" "Hush"')

    shown = await h.command("UMEM", "/community", "calendar")
    lines = DATE.findall(blocks_text(shown))
    assert len(lines) == 8, blocks_text(shown)  # four Mondays, four Wednesdays; not #secret

    link = reply_text(await h.command("UMEM", "/community", "calendar link"))
    url = link.split("\n")[-1]
    status, body, etag = await fetch(h, url)
    assert status == 200
    first = events(body)
    assert {e["tzid"] for e in first.values()} == {"Europe/London", "America/New_York"}
    assert not any(e["title"] == "Hush" for e in first.values())
    now = h.clock.now()
    soon = {
        (int(e["start"].timestamp()), e["title"])  # type: ignore[attr-defined]
        for e in first.values()
        if now <= e["start"] < now + timedelta(weeks=4)  # type: ignore[operator]
    }
    assert soon == {(int(ts), title) for ts, title in lines}

    assert (await fetch(h, url, etag))[0] == 304

    h.clock.advance(timedelta(minutes=1))
    said = reply_text(await h.command("UORG", "/community", 'edit 1 --text "Stand-up moved"'))
    assert "Saved" in said, said
    h.clock.advance(timedelta(minutes=1))
    said = reply_text(await h.command("UORG", "/community", "cancel 2"))
    assert "Cancelled" in said, said
    status, body, new_etag = await fetch(h, url, etag)
    assert status == 200 and new_etag != etag
    second = events(body)
    assert set(second) == set(first)  # every UID kept
    for uid, event in second.items():
        before = first[uid]
        if uid.startswith("activity-1-"):  # the edited one
            assert event["status"] == "CONFIRMED"
            assert event["sequence"] > before["sequence"]  # type: ignore[operator]
        else:
            assert event["status"] == "CANCELLED" and before["status"] == "CONFIRMED"

    unknown_status, unknown_body, _ = await fetch(h, "http://localhost/calendar/nope.ics")
    said = reply_text(await h.command("UORG", "/community", "calendar reset-link"))
    new_url = said.split("\n")[-1]
    assert new_url != url and (await fetch(h, new_url))[0] == 200
    old_status, old_body, _ = await fetch(h, url)
    assert (old_status, old_body) == (unknown_status, unknown_body) and old_status == 404


async def test_weeks_out_of_range_and_the_personal_feed(harness: Harness) -> None:
    h = harness
    said = reply_text(await h.command("UMEM", "/community", "calendar 13"))
    assert "1 to 12 weeks" in said, said
    await organiser(h)
    await new(h, "new coffee <#C0COMMUNITY|community> --tz Europe/London")
    await new(h, 'new announcement <#C0COMMUNITY|community> "every monday 09:00" "Stand-up"')
    link = reply_text(await h.command("UMEM", "/community", "calendar link mine"))
    status, body, _ = await fetch(h, link.split("\n")[-1])
    assert status == 200
    titles = [str(e["title"]) for e in events(body).values()]
    assert titles and all("round starts" in t or "check-in" in t for t in titles), titles

    # An event of the shared RSVP model: in UMEM's feed once they answer "going".
    async with h.bot.db.session() as session:
        await rsvps.open_event(
            session,
            team_id=TEAM,
            event_key="talk:7",
            title="Talk: Rust at work",
            channel_id="C0COMMUNITY",
            starts_at=h.clock.now() + timedelta(days=3),
            message=None,
            now=h.clock.now(),
        )
    mine = link.split("\n")[-1]
    assert "Talk: Rust at work" not in titles_of((await fetch(h, mine))[1])
    async with h.bot.db.session() as session:
        await rsvps.answer(
            session,
            team_id=TEAM,
            event_key="talk:7",
            user_id="UMEM",
            answer="going",
            now=h.clock.now(),
        )
    assert titles_of((await fetch(h, mine))[1]).count("Talk: Rust at work") == 1
    h.slack.add_user("UOUT", "otto", join_general=False)
    link = reply_text(await h.command("UOUT", "/community", "calendar link mine"))
    assert events((await fetch(h, link.split("\n")[-1]))[1]) == {}
    assert isinstance(h.clock.now(), datetime)


async def test_preview_shows_the_next_post_exactly_as_the_courier_sends_it(
    harness: Harness,
) -> None:
    h = harness
    await organiser(h)
    await new(
        h,
        'new announcement <#C0COMMUNITY|community> "every monday 14:00" '
        '"Stand-up *notes* are in the doc :pushpin: — see <https://example.com|the doc>" '
        "--tz Europe/London",
    )
    await new(
        h,
        'new poll <#C0COMMUNITY|community> "every tuesday 16:00" "Lunch?" "Pizza" "Soup" '
        "--tz Europe/London",
    )
    previews = {}
    for activity_id in (1, 2):
        response = await h.command("UORG", "/community", f"preview {activity_id}")
        blocks = response.json["blocks"]
        assert "Times in your time zone (Europe/Paris)" in blocks[0]["text"]["text"]
        assert "exactly as it will be sent" in blocks[1]["text"]["text"], blocks
        previews[activity_id] = blocks[3:]
    assert "Stand-up *notes*" in str(previews[1]) and "Pizza" in str(previews[2])
    assert h.slack.calls_to("chat.postMessage") == []  # a preview sends nothing
    for _ in range(2):  # Monday 14:00 (START + 1 h), then Tuesday 16:00
        h.clock.advance(timedelta(hours=1) if _ == 0 else timedelta(hours=26))
        await h.tick()
        await h.settle()
    posts = [c.args for c in h.slack.calls_to("chat.postMessage") if c.ok]
    assert len(posts) == 2, posts
    for activity_id, post in zip((1, 2), posts, strict=True):
        # Every word as sent; the preview's buttons are labels (their ids don't exist yet).
        assert inert(post["blocks"]) == previews[activity_id]


async def test_home_tab_shows_the_next_five_entries(harness: Harness) -> None:
    h = harness
    await organiser(h)
    await new(h, 'new announcement <#C0COMMUNITY|community> "weekdays 09:00" "Daily"')
    await h.say.event({"type": "app_home_opened", "user": "UMEM", "tab": "home", "channel": "D1"})
    await h.slack.wait_for("views.publish")
    home = str(h.slack.home_views["UMEM"])
    coming = home.split("*Coming up*")[1].split("'}")[0]
    assert coming.count("*Daily*") == 5, coming
