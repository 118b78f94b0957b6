"""The foundation, end to end: signed requests in, Slack Web API calls out."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from storage import outbox
from storage.models import Activity, AuditEntry, OutboxStatus, ProcessedEvent
from tests.e2e.harness import ADMIN, Harness, reply_text

NEW_ANNOUNCEMENT = (
    "/community",
    'new announcement <#C0COMMUNITY|community> "every monday 14:00" '
    '"Stand-up notes are in the doc" --tz Europe/London',
)


async def make_organiser(h: Harness, user: str = "UORG") -> None:
    said = reply_text(await h.command(ADMIN, "/community", f"roles assign <@{user}> organiser"))
    assert "organiser until" in said


async def create_announcement(h: Harness, user: str = "UORG") -> int:
    said = reply_text(await h.command(user, *NEW_ANNOUNCEMENT))
    assert "✅" in said, said
    async with h.bot.db.session() as session:
        activity = (await session.exec(select(Activity))).one()
    assert activity.id is not None
    return activity.id


def posts_in(h: Harness, channel: str) -> list[dict[str, object]]:
    return [
        c.args for c in h.slack.calls_to("chat.postMessage") if c.args.get("channel") == channel
    ]


async def test_announcement_created_then_run_posts_exactly_once(harness: Harness) -> None:
    h = harness
    await make_organiser(h)
    activity_id = await create_announcement(h)

    said = reply_text(await h.command("UORG", "/community", f"run {activity_id}"))
    assert f"Running *#{activity_id}*" in said
    await h.slack.wait_for(
        "chat.postMessage", where=lambda c: c.args.get("channel") == "C0COMMUNITY"
    )
    await h.settle()
    posts = posts_in(h, "C0COMMUNITY")
    assert len(posts) == 1
    assert "Stand-up notes are in the doc" in str(posts[0]["text"])
    assert h.slack.block_errors == []


async def test_run_after_a_restart_still_posts_exactly_once(harness: Harness) -> None:
    h = harness
    await make_organiser(h)
    activity_id = await create_announcement(h)
    await h.restart()

    reply_text(await h.command("UORG", "/community", f"run {activity_id}"))
    await h.slack.wait_for(
        "chat.postMessage", where=lambda c: c.args.get("channel") == "C0COMMUNITY"
    )
    await h.restart()
    await h.settle()
    assert len(posts_in(h, "C0COMMUNITY")) == 1


async def test_scheduled_slot_runs_once_and_a_missed_one_runs_late_once(harness: Harness) -> None:
    h = harness
    await make_organiser(h)
    await create_announcement(h)  # Monday 14:00 Europe/London; the clock is Monday 13:00 UTC

    await h.tick()
    await h.settle()
    assert posts_in(h, "C0COMMUNITY") == []  # not due yet

    h.clock.advance(timedelta(hours=1, minutes=1))
    await h.tick()
    await h.tick()  # a second tick in the same slot does nothing
    await h.settle()
    assert len(posts_in(h, "C0COMMUNITY")) == 1

    # The bot is down for three weeks: the missed slot runs once, late, and says so.
    await h.stop()
    h.clock.advance(timedelta(weeks=3))
    await h.start()
    await h.tick()
    await h.tick()
    await h.settle()
    posts = posts_in(h, "C0COMMUNITY")
    assert len(posts) == 2
    assert "Posted late" in str(posts[1]["blocks"])
    async with h.bot.db.session() as session:
        activity = (await session.exec(select(Activity))).one()
    assert activity.next_run_at is not None and activity.next_run_at > h.clock.now()


async def test_non_organiser_is_refused_with_who_may(harness: Harness) -> None:
    said = reply_text(await harness.command("UMEM", *NEW_ANNOUNCEMENT))
    assert "Only organisers and admins" in said
    async with harness.bot.db.session() as session:
        assert (await session.exec(select(Activity))).all() == []


async def test_unsigned_and_stale_requests_get_401_and_touch_nothing(harness: Harness) -> None:
    h = harness
    forged = await h.say.command(ADMIN, "/community", "roles assign <@UMEM> organiser", sign=False)
    assert forged.status == 401
    stale = await h.say.command(
        ADMIN, "/community", "roles assign <@UMEM> organiser", timestamp=1_000_000_000
    )
    assert stale.status == 401
    said = reply_text(await h.command("UMEM", "/community", "activities"))
    assert "Only organisers" in said  # the forged assignment did not happen


async def test_a_retried_event_is_handled_once(harness: Harness) -> None:
    h = harness
    event = {
        "type": "app_home_opened",
        "user": "UMEM",
        "channel": "D0HOME",
        "tab": "home",
        "event_ts": "1795700000.000100",
    }
    first = await h.say.event(event, event_id="Ev0RETRY0001")
    again = await h.say.event(event, event_id="Ev0RETRY0001", retry_num=1)
    assert first.status == 200 and again.status == 200
    await h.slack.wait_for("views.publish")
    async with h.bot.db.session() as session:
        seen = (await session.exec(select(ProcessedEvent))).all()
    assert [e.event_id for e in seen] == ["Ev0RETRY0001"]
    assert len(h.slack.calls_to("views.publish")) == 1


async def test_roles_assign_list_end_are_admin_only_and_audited(harness: Harness) -> None:
    h = harness
    refused = reply_text(await h.command("UMEM", "/community", "roles assign <@UMEM> organiser"))
    assert "Only workspace admins" in refused

    said = reply_text(
        await h.command(ADMIN, "/community", "roles assign <@UORG> organiser until 2027-06-30")
    )
    assert "until 2027-06-30" in said
    # A Slack workspace admin (from users.info) may assign too, without being listed.
    said = reply_text(await h.command("UWSADMIN", "/community", "roles assign @mia organiser"))
    assert "<@UMEM> is an organiser until 2027-11-29" in said
    listing = reply_text(await h.command("UMEM", "/community", "roles"))
    assert "<@UORG>" in listing and "2027-06-30" in listing

    said = reply_text(await h.command(ADMIN, "/community", "roles end <@UORG>"))
    assert "no longer an organiser" in said
    said = reply_text(await h.command("UORG", "/community", "activities"))
    assert "Your organiser term ended on 2026-11-30" in said, said
    async with h.bot.db.session() as session:
        actions = [e.action for e in (await session.exec(select(AuditEntry)))]
    assert actions == ["role.assign", "role.assign", "role.end"]


async def test_bad_input_gets_an_ephemeral_error_with_an_example(harness: Harness) -> None:
    h = harness
    await make_organiser(h)
    cases = {
        "frobnicate": "Unknown subcommand",
        'new announcement <#C0COMMUNITY|community> "every blursday" "hi"': "every monday 09:00",
        "new announcement <#C0COMMUNITY|community>": "Example",
        "new teleport": "Unknown activity kind",
        "pause": "Which activity?",
        "pause 999": "no activity #999",
        'new announcement <#C0COMMUNITY|community> "every monday 09:00" "unterminated': "quote",
    }
    for text, expected in cases.items():
        response = await h.command("UORG", "/community", text)
        assert response.json["response_type"] == "ephemeral"
        assert expected.lower() in reply_text(response).lower(), (text, reply_text(response))


async def test_pause_resume_cancel_and_preview(harness: Harness) -> None:
    h = harness
    await make_organiser(h)
    activity_id = await create_announcement(h)
    preview = reply_text(await h.command("UORG", "/community", f"preview {activity_id}"))
    assert preview.count("<!date^") == 5
    assert "Paused" in reply_text(await h.command("UORG", "/community", f"pause {activity_id}"))
    h.clock.advance(timedelta(hours=2))
    await h.tick()
    await h.settle()
    assert posts_in(h, "C0COMMUNITY") == []  # paused: the slot passes silently
    said = reply_text(await h.command("UORG", "/community", f"run {activity_id}"))
    assert "Resume it first" in said
    assert "Resumed" in reply_text(await h.command("UORG", "/community", f"resume {activity_id}"))
    assert "Cancelled" in reply_text(await h.command("UORG", "/community", f"cancel {activity_id}"))
    assert "cancelled" in reply_text(await h.command("UORG", "/community", f"resume {activity_id}"))


async def test_announcement_from_the_modal(harness: Harness) -> None:
    from bot.sandbox import channel_value, text_value

    h = harness
    await make_organiser(h)
    response = await h.command("UORG", "/community", "new announcement", channel_id="C0COMMUNITY")
    assert response.status == 200
    opened = await h.slack.wait_for("views.open")
    view = h.slack.opened_views[-1]
    bad = await h.say.submit_view(
        "UORG",
        view,
        {
            "channel": {"channel": channel_value("C0COMMUNITY")},
            "schedule": {"schedule": text_value("every blursday")},
            "text": {"text": text_value("Hello")},
        },
    )
    assert bad.json["response_action"] == "errors" and "schedule" in bad.json["errors"]
    good = await h.say.submit_view(
        "UORG",
        view,
        {
            "channel": {"channel": channel_value("C0COMMUNITY")},
            "schedule": {"schedule": text_value("weekdays 08:45")},
            "text": {"text": text_value("Good morning, <!channel>")},
        },
    )
    assert good.status == 200 and not good.body
    await h.slack.wait_for("chat.postEphemeral")
    async with h.bot.db.session() as session:
        activity = (await session.exec(select(Activity))).one()
    assert activity.config["text"] == "Good morning, <!channel>"
    assert opened


async def test_courier_marks_permanent_failures_and_retries_transient_ones(
    harness: Harness,
) -> None:
    h = harness
    await make_organiser(h)
    activity_id = await create_announcement(h)
    h.slack.fail_next("chat.postMessage", error="channel_not_found")
    reply_text(await h.command("UORG", "/community", f"run {activity_id}"))
    await h.slack.wait_for("chat.postMessage")
    await h.settle()
    async with h.bot.db.session() as session:
        rows = await outbox.list_rows(session)
    assert [(r.status, r.last_error) for r in rows] == [(OutboxStatus.FAILED, "channel_not_found")]

    # Rate limited: the courier's client does not sleep on it inside the claim; the
    # courier keeps the row and tries again no sooner than Retry-After says — without
    # spending an attempt, and without a second call meanwhile.
    h.slack.rate_limit_next("chat.postMessage", retry_after=30)
    reply_text(await h.command("UORG", "/community", f"run {activity_id}"))
    await h.slack.wait_for("chat.postMessage", count=2, timeout=5)
    await h.settle()
    async with h.bot.db.session() as session:
        rows = await outbox.list_rows(session)
    assert (rows[1].status, rows[1].last_error, rows[1].attempts) == ("pending", "ratelimited", 0)
    assert rows[1].next_attempt_at >= h.clock.now() + timedelta(seconds=30)
    assert len(h.slack.calls_to("chat.postMessage")) == 2
    h.clock.advance(timedelta(seconds=31))
    await h.settle()
    async with h.bot.db.session() as session:
        rows = await outbox.list_rows(session)
    assert rows[1].status == OutboxStatus.SENT and rows[1].ts
    assert len([c for c in h.slack.calls_to("chat.postMessage") if c.ok]) == 1


async def test_healthz_and_help(harness: Harness) -> None:
    import aiohttp

    h = harness
    url = f"http://127.0.0.1:{h.bot.port}/healthz"
    async with aiohttp.ClientSession() as http, http.get(url) as resp:
        assert resp.status == 200 and (await resp.json()) == {"ok": True}
    for command, expected in [
        ("/community", "roles assign"),
        ("/poll", "--anonymous"),
        ("/coffee", "pause 2w"),
    ]:
        assert expected in reply_text(await h.command("UMEM", command, "help"))


async def test_home_tab_shows_role_and_activities(harness: Harness) -> None:
    h = harness
    await make_organiser(h)
    activity_id = await create_announcement(h)
    await h.say.event({"type": "app_home_opened", "user": "UORG", "tab": "home", "channel": "D1"})
    await h.slack.wait_for("views.publish")
    home = h.slack.home_views["UORG"]
    text = str(home)
    assert "organiser" in text and f"#{activity_id}" in text
    await h.say.click_home("UORG", "home_activity_pause", value=str(activity_id))
    await h.slack.wait_for("views.publish", count=2)
    async with h.bot.db.session() as session:
        activity = (await session.exec(select(Activity))).one()
    assert activity.state == "paused"


async def test_the_holder_and_admins_hear_before_an_organiser_term_ends(harness: Harness) -> None:
    h = harness
    ends = (h.clock.now() + timedelta(days=10)).date().isoformat()
    reply_text(await h.command(ADMIN, "/community", f"roles assign <@UORG> organiser until {ends}"))
    await h.tick()
    await h.tick()  # reminded once, not every tick
    await h.settle()
    dms = sorted(str(c.args["users"]) for c in h.slack.calls_to("conversations.open"))
    assert dms == sorted([str([ADMIN]), str(["UORG"])])
    reminders = [
        str(c.args["text"])
        for c in h.slack.calls_to("chat.postMessage")
        if "term as *Organiser* ends" in str(c.args["text"])
    ]
    assert len(reminders) == 2 and all("<@UORG>'s term" in r for r in reminders)


async def test_a_message_that_cannot_be_rendered_is_retried_then_failed(harness: Harness) -> None:
    from activities.intents import Intent

    h = harness
    broken = Intent("announcement.post", "broken:1", {"no": "activity id"})
    async with h.bot.db.session() as session:
        await outbox.enqueue(session, team_id="T0001", intent=broken, now=h.clock.now())
    await h.settle()
    async with h.bot.db.session() as session:
        (row,) = await outbox.list_rows(session)
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 1)
    assert row.last_error.startswith("KeyError")
    for _ in range(10):
        h.clock.advance(timedelta(minutes=10))
        await h.settle()
    async with h.bot.db.session() as session:
        (row,) = await outbox.list_rows(session)
    assert row.status == OutboxStatus.FAILED and row.last_error.startswith("KeyError")
    assert h.slack.calls_to("chat.postMessage") == []


async def test_a_slow_command_is_acknowledged_in_time_and_answered_later(harness: Harness) -> None:
    h = harness
    await make_organiser(h)
    h.slack.delay("users.info", 3.0)  # Slack is slow today: the role check takes 3 s
    response = await h.command("UORG", "/community", "activities")
    assert response.elapsed < 2.9
    assert "Working on it" in reply_text(response)
    (later,) = await h.slack.wait_for("response_url", timeout=10)
    assert later.args["response_type"] == "ephemeral"
    assert "No activities yet" in str(later.args["text"])


async def test_command_text_arrives_with_entities_and_is_read_as_typed(harness: Harness) -> None:
    h = harness
    await make_organiser(h)
    text = (
        'new announcement <#C0COMMUNITY|community> "every monday 09:00" '
        '"R&amp;D demo &lt;3" --tz Europe/London'
    )
    reply_text(await h.command("UORG", "/community", text))
    async with h.bot.db.session() as session:
        activity = (await session.exec(select(Activity))).one()
    assert activity.config["text"] == "R&D demo <3"


async def test_what_people_typed_is_never_echoed_as_live_markup(harness: Harness) -> None:
    h = harness
    await make_organiser(h)
    for text in ["&lt;!channel&gt;", "pause &lt;!here&gt;", "new &lt;!everyone&gt;"]:
        said = reply_text(await h.command("UORG", "/community", text))
        assert "<!" not in said and "&lt;!" in said, said
