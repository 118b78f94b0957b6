"""A talk series end to end with the clock moved: a call for speakers, volunteers through
the button and the command (bad abstracts and duplicate titles refused), one declined from
the Home tab, one scheduled (a slot taken twice refused, a cancelled talk's RSVPs refused),
the announcement with RSVPs, the speaker's check-in, reminders in two time zones, the Q&A
thread and its summary for the speaker, the thank-you and the history; a restart between."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import select

from bot.kinds.bookclub.plugin import book_club_steps
from bot.kinds.talks.plugin import talk_steps
from bot.sandbox.driver import checkboxes_value, text_value
from storage import outbox
from storage.kinds.talks.models import Talk
from storage.models import Activity, OutboxStatus
from tests.e2e.harness import ADMIN, Harness, eventually, reply_text

CHANNEL = "C0COMMUNITY"
SLOT = datetime(2027, 1, 6, 13, 0, tzinfo=UTC)  # the first Wednesday of January, London time


async def talks(h: Harness) -> list[Talk]:
    async with h.bot.db.session() as session:
        return list((await session.exec(select(Talk).order_by(Talk.id))).all())  # type: ignore[arg-type]


async def community(h: Harness, user: str, text: str) -> str:
    return reply_text(await h.command(user, "/community", text, channel_id=CHANNEL))


def posted(h: Harness, fragment: str) -> list[dict[str, Any]]:
    return [m for m in h.slack.messages(CHANNEL) if fragment in str(m.get("text"))]


def dms(h: Harness, user: str, fragment: str) -> list[str]:
    return [str(m["text"]) for m in h.slack.dm_messages(user) if fragment in str(m.get("text"))]


async def says(h: Harness, user: str, fragment: str) -> None:
    await eventually(
        lambda: any(fragment in str(m.get("text")) for m in h.slack.ephemerals_to(user))
    )


async def move_to(h: Harness, when: datetime, ticks: int = 1) -> None:
    h.clock.set(when)
    for _ in range(ticks):
        await h.tick()
        await h.settle()
        h.clock.advance(timedelta(seconds=2))  # coalesced updates go out a moment later
        await h.settle()


async def modal_after(h: Harness, opened: int) -> dict[str, Any]:
    """The modal the bot opened after `opened` views (it opens it after the ack)."""
    await eventually(lambda: len(h.slack.opened_views) > opened)
    return h.slack.opened_views[-1]


def talk_form(title: str, abstract: str, *, recorded: bool = False) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": {"title": text_value(title)},
        "abstract": {"abstract": text_value(abstract)},
        "months": {"months": text_value("January")},
    }
    if recorded:
        values["recordable"] = {"recordable": checkboxes_value(["yes"])}
    return values


def react(h: Harness, ts: str, count: int) -> None:
    """Members react to a message (the local Slack's store, as reactions by people land)."""
    for message in h.slack.channels[CHANNEL].messages:
        if message["ts"] == ts:
            message["reactions"] = [{"name": "+1", "users": [], "count": count}]


async def test_a_talk_series_from_call_for_speakers_to_thank_you(harness: Harness) -> None:
    h = harness
    created = await community(
        h,
        ADMIN,
        'new talks #community "every month on the first wednesday 13:00" --tz Europe/London '
        "--call-link https://meet.example.org/talks",
    )
    assert "✅ Talks" in created, created
    (series,) = [a for a in await activity_rows(h) if a.kind == "talks"]
    await move_to(h, h.clock.now(), ticks=2)
    (call,) = posted(h, "Call for speakers")  # nothing booked: one call, not one a tick

    # Two volunteers: the call's button and the command, each through the modal.
    opened = len(h.slack.opened_views)
    await h.say.click("UMEM", call, "talks_volunteer", value=str(series.id))
    view = await modal_after(h, opened)
    refused = await h.say.submit_view("UMEM", view, talk_form("Rust for Pythonistas", "x" * 1001))
    assert "1,000" in refused.json["errors"]["abstract"]
    ok = await h.say.submit_view(
        "UMEM", view, talk_form("Rust for Pythonistas", "Ownership, gently.", recorded=True)
    )
    assert ok.status == 200
    await h.settle()
    assert dms(h, "UMEM", "Thanks for volunteering *Rust for Pythonistas*")

    opened = len(h.slack.opened_views)
    await community(h, "UORG", "talks volunteer")
    view = await modal_after(h, opened)
    refused = await h.say.submit_view("UORG", view, talk_form("rust for  PYTHONISTAS", "Mine"))
    assert "already has a talk called" in refused.json["errors"]["title"]
    await h.say.submit_view("UORG", view, talk_form("Gardening at scale", "Compost."))
    opened = len(h.slack.opened_views)
    await community(h, ADMIN, "talks volunteer")
    view = await modal_after(h, opened)
    await h.say.submit_view(ADMIN, view, talk_form("Vim in anger", "Modal editing."))
    rust, gardening, vim = await talks(h)
    assert (rust.recordable, gardening.recordable) == (True, False)

    # The organiser's backlog on the Home tab: Decline opens a modal with a note.
    await h.say.app_home_opened(ADMIN)
    await eventually(
        lambda: "Volunteered talks to schedule: *3*" in str(h.slack.home_views.get(ADMIN))
    )
    await h.say.click_home(ADMIN, "home_waiting", value="talks_backlog")
    await eventually(lambda: "Gardening at scale" in str(h.slack.home_views.get(ADMIN)))
    opened = len(h.slack.opened_views)
    await h.say.click_home(ADMIN, "talks_home_decline", value=str(gardening.id))
    view = await modal_after(h, opened)
    await h.say.submit_view(ADMIN, view, {"note": {"note": text_value("Better for spring")}})
    await h.settle()
    (declined,) = dms(h, "UORG", "can't schedule it this time")
    assert "Better for spring" in declined
    assert "already declined" in await community(
        h, ADMIN, f"talks schedule {gardening.id} 2027-02-03"
    )
    assert (
        "only organisers"
        in (await community(h, "UMEM", f"talks schedule {rust.id} 2027-01-06")).lower()
    )

    # One slot, one talk; a cancelled talk tells those going and refuses RSVPs.
    said = await community(h, ADMIN, f"talks schedule {vim.id} 2026-12-02")
    assert "is scheduled" in said, said
    taken = await community(h, ADMIN, f"talks schedule {rust.id} 2026-12-02")
    assert "That slot already has *Vim in anger*" in taken
    await move_to(h, h.clock.now())
    (vim_post,) = posted(h, "Vim in anger")  # less than a week ahead: announced at once
    await h.say.click("UORG", vim_post, "rsvp_going", value=f"talk:{vim.id}")
    await says(h, "UORG", "You're going to *Vim in anger*")
    assert "Cancelled" in await community(h, ADMIN, f"talks cancel {vim.id}")
    await move_to(h, h.clock.now())
    assert dms(h, "UORG", "*Vim in anger*, which you were going to, was cancelled")
    assert "was cancelled" in str(h.slack.get_message(CHANNEL, vim_post["ts"]))
    await h.say.raw_action(
        "UORG",
        {
            "container": {"type": "message", "message_ts": vim_post["ts"], "channel_id": CHANNEL},
            "channel": {"id": CHANNEL, "name": "community"},
            "actions": [
                {
                    "type": "button",
                    "action_id": "rsvp_going",
                    "block_id": "b",
                    "value": f"talk:{vim.id}",
                }
            ],
        },
    )
    await says(h, "UORG", "This event was cancelled.")

    # Scheduled from the Home tab's backlog: a date in the past stays in the modal.
    published = len(h.slack.calls_to("views.publish"))
    await h.say.app_home_opened(ADMIN)
    await h.slack.wait_for("views.publish", count=published + 1)
    assert "Volunteered talks to schedule: *1*" in str(h.slack.home_views.get(ADMIN))
    await h.say.click_home(ADMIN, "home_waiting", value="talks_backlog")
    await eventually(lambda: "Rust for Pythonistas" in str(h.slack.home_views.get(ADMIN)))
    opened = len(h.slack.opened_views)
    await h.say.click_home(ADMIN, "talks_home_schedule", value=str(rust.id))
    view = await modal_after(h, opened)
    refused = await h.say.submit_view(ADMIN, view, {"date": {"date": text_value("2026-11-02")}})
    assert "in the past" in refused.json["errors"]["date"]
    ok = await h.say.submit_view(ADMIN, view, {"date": {"date": text_value("2027-01-06")}})
    assert ok.status == 200
    # It left the backlog, and nothing else waits.
    await eventually(lambda: "Volunteered talks" not in str(h.slack.home_views.get(ADMIN)))
    await h.settle()
    (told,) = dms(h, "UMEM", "is scheduled for")
    assert f"<!date^{int(SLOT.timestamp())}^" in told and "08:00 EST" in told  # the speaker's zone

    await h.restart()  # nothing is lost or sent twice across a restart

    # A week ahead: the announcement with live RSVP counts; a second call for speakers
    # (a fortnight on, one of the next two slots still empty).
    await move_to(h, SLOT - timedelta(days=7) + timedelta(minutes=1), ticks=2)
    (announcement,) = posted(h, "Talks: Rust for Pythonistas")
    assert len(posted(h, "Call for speakers")) == 2
    key = f"talk:{rust.id}"
    for user, answer in (("UORG", "going"), ("UMEM", "going"), (ADMIN, "cant")):
        await h.say.click(user, announcement, f"rsvp_{answer}", value=key)
        await says(h, user, "Rust for Pythonistas")
    h.clock.advance(timedelta(seconds=2))
    await h.settle()
    live = h.slack.get_message(CHANNEL, announcement["ts"])
    assert "Going (2)" in str(live) and "Can't (1)" in str(live)

    # The speaker's check-in two days before.
    await move_to(h, SLOT - timedelta(days=2) + timedelta(minutes=1))
    (checkin,) = [m for m in h.slack.dm_messages("UMEM") if "Checking in" in str(m.get("text"))]
    await h.say.click("UMEM", checkin, "talks_checkin_confirm", value=str(rust.id))
    await says(h, "UMEM", "Thanks! See you at")

    # Reminders to those going, a day and 15 minutes before, each in their own zone. The
    # talk is at 08:00 in New York: the 15-minute reminder falls at 07:46 there, before
    # their working hours, and by 08:00 the talk has started, so it is dropped, not sent.
    await move_to(h, SLOT - timedelta(days=1) + timedelta(minutes=1), ticks=2)
    await move_to(h, SLOT - timedelta(minutes=14), ticks=2)
    for user, local, stages in (
        ("UMEM", "08:00 EST", ["⏰ Tomorrow"]),
        ("UORG", "14:00 CET", ["⏰ Tomorrow", "⏰ In 15 minutes"]),
    ):
        reminders = dms(h, user, "by <@UMEM>")
        assert [r.split(":")[0] for r in reminders] == stages, reminders
        assert all(local in r for r in reminders)
    assert not dms(h, ADMIN, "⏰")
    async with h.bot.db.session() as session:
        rows = await outbox.list_rows(session, status=OutboxStatus.DROPPED)
    assert [(r.intent, r.payload["user_id"], r.payload["stage"]) for r in rows] == [
        ("talks.reminder", "UMEM", "soon")
    ]
    assert "once the event had started" in rows[0].last_error

    # At the start: the Q&A thread; members ask, react; RSVPs are closed.
    await move_to(h, SLOT + timedelta(minutes=1))
    (qa,) = posted(h, "starts now")
    assert "meet.example.org/talks" in qa["text"]
    h.slack.add_message(
        CHANNEL, "UORG", "How does borrowing feel after Python?", thread_ts=qa["ts"]
    )
    popular = h.slack.add_message(CHANNEL, ADMIN, "Would you use PyO3?", thread_ts=qa["ts"])
    react(h, popular["ts"], 3)
    await h.say.click("UORG", announcement, "rsvp_maybe", value=key)
    await says(h, "UORG", "This event has ended.")

    # Afterwards: the thank-you, the speaker's summary (most-reacted first), the history.
    await move_to(h, SLOT + timedelta(hours=1, minutes=1), ticks=2)
    (thanks,) = posted(h, "Thank you <@UMEM>")
    assert "Rust for Pythonistas" in thanks["text"]
    (summary,) = dms(h, "UMEM", "Questions from the Q&A")
    # Links, not text: the most-reacted question (the admin's) comes first.
    assert summary.index(f"<@{ADMIN}> · 3 reactions") < summary.index("<@UORG> · 0 reactions")
    assert "PyO3" not in summary and "/archives/" in summary
    history = await community(h, "UORG", f"talks history {series.id}")
    assert "Rust for Pythonistas" in history and "Vim" not in history


async def activity_rows(h: Harness) -> list[Activity]:
    async with h.bot.db.session() as session:
        return list((await session.exec(select(Activity))).all())


async def test_the_talks_tick_logs_the_series_it_called_under_its_task_name(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """The tick's log line names the series it called for speakers (its ids, not a count),
    and the scheduler reports a failing task by these names."""
    h = harness
    await community(h, ADMIN, 'new talks #community "every month on the first wednesday 13:00"')
    (series,) = [a for a in await activity_rows(h) if a.kind == "talks"]
    caplog.set_level(logging.INFO, logger="bot.plugin")
    await move_to(h, h.clock.now())
    (tick,) = [r for r in caplog.records if r.getMessage() == "talks tick"]
    assert (vars(tick)["calls"], vars(tick)["steps"]) == ([series.id], 0)
    assert (talk_steps.__name__, book_club_steps.__name__) == ("talk_steps", "book_club_steps")
