"""Governance end to end, against the local Slack with the clock moved: rotation DMs on
the right days, the volunteer call, appointment with handover note and checklist,
ownership moved, the lapse; the appointment race; the charter for people who join."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlmodel import select

from bot.sandbox.driver import text_value
from storage import outbox
from storage.models import Activity, OutboxStatus, RoleTerm, VolunteerCall
from tests.e2e.harness import ADMIN, Harness, eventually, reply_text

CHANNEL = "C0COMMUNITY"


def said(h: Harness, user: str, fragment: str) -> bool:
    """A click's answer (through its response_url) to `user` contains `fragment`."""
    return any(fragment in str(m.get("text")) for m in h.slack.ephemerals_to(user))


async def answered(h: Harness, user: str, fragment: str) -> None:
    await eventually(lambda: said(h, user, fragment))


def asks(h: Harness, user: str) -> list[dict[str, Any]]:
    return [m for m in h.slack.dm_messages(user) if "What happens next?" in str(m.get("text"))]


async def go_to(h: Harness, day: datetime) -> None:
    h.clock.set(day)
    await h.tick()
    await h.tick()  # a second pass (or a second process) sends nothing twice
    await h.settle()


async def organiser_with_activity(h: Harness) -> None:
    said_ = reply_text(await h.command(ADMIN, "/community", "roles assign <@UORG> organiser"))
    assert "organiser until 2027-11-29" in said_
    reply_text(await h.command(ADMIN, "/community", f"settings channel <#{CHANNEL}|community>"))
    text = f'new announcement <#{CHANNEL}|community> "every monday 09:00" "Hi" --tz Europe/London'
    assert "#1" in reply_text(await h.command("UORG", "/community", text))


async def test_a_term_rotates_from_reminders_to_appointment_and_lapse(harness: Harness) -> None:
    h = harness
    await organiser_with_activity(h)
    # 14:00 UTC: inside the working hours of London, Paris and New York alike.
    ends = datetime.combine(datetime(2027, 11, 29).date(), time(14), tzinfo=h.clock.now().tzinfo)

    await go_to(h, ends - timedelta(days=31))
    assert asks(h, "UORG") == [] and asks(h, ADMIN) == []
    # A month before, a Saturday: the reminders are due, and wait for Monday morning (the
    # holder's and the admin's quiet hours); the volunteer call is not due yet.
    await go_to(h, ends - timedelta(days=30))
    assert asks(h, "UORG") == [] and asks(h, ADMIN) == []
    assert not any("Volunteers wanted" in str(m.get("text")) for m in h.slack.messages(CHANNEL))

    await go_to(h, ends - timedelta(days=28))
    assert len(asks(h, "UORG")) == 1 and len(asks(h, ADMIN)) == 1
    calls = [m for m in h.slack.messages(CHANNEL) if "Volunteers wanted" in str(m.get("text"))]
    assert len(calls) == 1 and "run the community's activities" in str(calls[0]["text"])
    await h.say.click("UMEM", calls[0], "role_volunteer")
    await answered(h, "UMEM", "Thank you!")
    await h.slack.wait_for("views.open")
    line = {"note": {"note": text_value("I ran the 2025 meetups.")}}
    assert (await h.say.submit_view("UMEM", h.slack.opened_views[-1], line)).status == 200
    await h.say.click("UMEM", calls[0], "role_volunteer")
    await answered(h, "UMEM", "already volunteered")
    await h.say.click("UORG", calls[0], "role_volunteer")
    await answered(h, "UORG", "already hold this role")

    await go_to(h, ends - timedelta(days=7))
    assert len(asks(h, "UORG")) == 2 and len(asks(h, ADMIN)) == 2
    await h.say.click("UORG", asks(h, "UORG")[-1], "rotation_handover")
    await answered(h, "UORG", "Handing over")
    await h.slack.wait_for("views.open", count=2)
    modal = h.slack.opened_views[-1]
    done = await h.say.submit_view(
        "UORG", modal, {"note": {"note": text_value("Ask Ben for the room key.")}}
    )
    assert done.status == 200
    # Every copy (both windows, holder and admin) now says what was decided and by whom.
    await h.settle()
    assert asks(h, ADMIN) == [] and asks(h, "UORG") == []
    settled = [m for m in h.slack.dm_messages(ADMIN) if "handed over by <@UORG>" in str(m)]
    assert len(settled) == 2
    # A second answer (from a stale copy) changes nothing and says by whom it was settled;
    # someone else's term is not a member's to answer.
    async with h.bot.db.session() as session:
        (term,) = (await session.exec(select(RoleTerm))).all()
    stale = f"{term.id}:0"
    await h.say.raw_action(
        "UMEM",
        {"actions": [{"action_id": "rotation_renew", "value": stale, "type": "button"}]},
    )
    await eventually(
        lambda: any("Only the holder" in str(c.args) for c in h.slack.calls_to("response_url"))
    )
    await h.say.raw_action(
        ADMIN, {"actions": [{"action_id": "rotation_renew", "value": stale, "type": "button"}]}
    )
    await eventually(
        lambda: any(
            "Already settled: handed over by <@UORG>" in str(c.args)
            for c in h.slack.calls_to("response_url")
        )
    )

    # The admin appoints the volunteer from the Home tab.
    await h.say.app_home_opened(ADMIN)
    await h.slack.wait_for("views.publish")
    assert "Volunteers for *Organiser*: *1*" in str(h.slack.home_views[ADMIN])
    call_id = _call_id(await _calls(h))
    await h.say.click_home(ADMIN, "home_waiting", f"role_call_{call_id}")
    await h.slack.wait_for("views.publish", count=2)
    assert "<@UMEM> — I ran the 2025 meetups." in str(h.slack.home_views[ADMIN])
    await h.say.click_home(ADMIN, "role_appoint", f"{call_id}:UMEM")

    def welcomes() -> list[dict[str, Any]]:
        return [m for m in h.slack.dm_messages("UMEM") if "Welcome, you're now" in str(m)]

    await eventually(lambda: any("Appointed <@UMEM>" in str(m) for m in h.slack.dm_messages(ADMIN)))
    await h.settle()
    await eventually(lambda: len(welcomes()) == 1)
    welcome = welcomes()
    body = str(welcome[0]["blocks"])
    assert "Ask Ben for the room key." in body and "Checklist" in body and "#1" in body
    async with h.bot.db.session() as session:
        activity = (await session.exec(select(Activity))).one()
    assert activity.created_by == "UMEM"

    # On its end date the old term lapses: rights gone, the activity still runs.
    await go_to(h, ends + timedelta(days=1))
    refused = reply_text(await h.command("UORG", "/community", "activities"))
    assert "Your organiser term ended on 2027-11-29" in refused
    assert "#1" in reply_text(await h.command("UMEM", "/community", "activities"))
    async with h.bot.db.session() as session:
        assert (await session.exec(select(Activity))).one().state == "active"
    log = reply_text(await h.command(ADMIN, "/community", "audit role"))
    for step in (
        "role.remind",
        "role.call",
        "role.volunteer",
        "role.handover",
        "role.appoint",
        "role.lapse",
    ):
        assert step in log, step
    roles = reply_text(await h.command("UMEM", "/community", "roles"))
    assert "Past holders" in roles and "<@UORG>" in roles.split("Past holders")[1]


async def _calls(h: Harness) -> list[VolunteerCall]:
    async with h.bot.db.session() as session:
        return list((await session.exec(select(VolunteerCall))).all())


def _call_id(calls: list[VolunteerCall]) -> int:
    (call,) = calls
    assert call.id is not None
    return call.id


async def test_two_admins_appointing_at_once_have_one_winner(harness: Harness) -> None:
    h = harness
    h.slack.add_user("UVOL", "vic")
    new = 'roles new "Book club host"'
    reply = reply_text(await h.command(ADMIN, "/community", new, channel_id=CHANNEL))
    assert "New role *Book club host*" in reply
    again = reply_text(await h.command(ADMIN, "/community", 'roles new "book club HOST"'))
    assert "exists already" in again
    await h.settle()
    call = h.slack.last_message(CHANNEL)
    assert "Volunteers wanted: Book club host" in str(call["text"])
    for user in ("UMEM", "UVOL"):
        await h.say.click(user, call, "role_volunteer")
        await answered(h, user, "Thank you!")
    call_id = _call_id(await _calls(h))
    await asyncio.gather(
        h.say.raw_action(
            ADMIN,
            {"actions": [{"action_id": "role_appoint", "value": f"{call_id}:UMEM"}]},
        ),
        h.say.raw_action(
            "UWSADMIN",
            {"actions": [{"action_id": "role_appoint", "value": f"{call_id}:UVOL"}]},
        ),
    )

    def outcomes() -> list[str]:
        return [str(c.args.get("text")) for c in h.slack.calls_to("response_url")]

    await eventually(
        lambda: sum("Appointed" in t or "already appointed" in t for t in outcomes()) == 2
    )
    wins = [t for t in outcomes() if "Appointed" in t]
    losses = [t for t in outcomes() if "already appointed" in t]
    assert len(wins) == 1 and len(losses) == 1
    winner = "UMEM" if "UMEM" in wins[0] else "UVOL"
    assert f"<@{winner}> to this role" in losses[0]
    roles = reply_text(await h.command(ADMIN, "/community", "roles"))
    assert roles.count("Book club host from") == 1 and f"<@{winner}>" in roles


async def test_bad_role_input_is_refused(harness: Harness) -> None:
    h = harness
    h.slack.add_user("UBOT2", "robot", is_bot=True)
    past = reply_text(
        await h.command(ADMIN, "/community", "roles assign <@UMEM> organiser until 2020-01-01")
    )
    assert "in the past" in past
    bot = reply_text(await h.command(ADMIN, "/community", "roles assign <@UBOT2> organiser"))
    assert "bot or a deactivated account" in bot
    unknown = reply_text(await h.command(ADMIN, "/community", 'roles assign <@UMEM> "Wizard"'))
    assert "Unknown role" in unknown
    reply_text(await h.command(ADMIN, "/community", 'roles new "Advent editor"'))
    ok = reply_text(
        await h.command(
            ADMIN, "/community", 'roles assign <@UMEM> "advent editor" until 2027-01-31'
        )
    )
    assert "advent editor until 2027-01-31" in ok
    listed = reply_text(await h.command("UMEM", "/community", "roles"))
    assert "<@UMEM> — Advent editor" in listed and "Organiser" in listed.split("Open roles")[1]


async def test_a_bad_until_is_refused_before_slack_is_asked_about_the_person(
    harness: Harness,
) -> None:
    """`roles assign` checks its words first: a date typo gets the date hint and costs no
    users.info call for the person named."""
    h = harness
    said_ = reply_text(
        await h.command(ADMIN, "/community", "roles assign <@UMEM> organiser until 2027-13-45")
    )
    assert "isn't a date" in said_
    assert not [c for c in h.slack.calls_to("users.info") if c.args.get("user") == "UMEM"]


async def test_a_member_joining_a_community_channel_gets_the_charter_once(
    harness: Harness,
) -> None:
    h = harness
    h.slack.add_user("UNEW", "nia")
    h.slack.add_user("UBOTX", "helper", is_bot=True)
    reply_text(await h.command(ADMIN, "/community", "roles assign <@UORG> organiser"))
    await h.command("UORG", "/community", "charter edit")
    await h.slack.wait_for("views.open")
    modal = h.slack.opened_views[-1]
    saved = await h.say.submit_view(
        "UORG", modal, {"purpose": {"purpose": text_value("Learn together, weekly.")}}
    )
    assert saved.status == 200
    text = f'new announcement <#{CHANNEL}|community> "every monday 09:00" "Hi" --tz Europe/London'
    reply_text(await h.command("UORG", "/community", text))
    shown = reply_text(await h.command("UMEM", "/community", "charter"))
    assert "Learn together, weekly." in shown and "<@UORG>" in shown
    for user in ("UNEW", "UNEW", "UBOTX"):
        await h.say.member_joined_channel(user, CHANNEL)
    await h.settle()
    await eventually(lambda: len(h.slack.dm_messages("UNEW")) == 1)
    await h.settle()
    (dm,) = h.slack.dm_messages("UNEW")
    assert "Learn together, weekly." in str(dm["blocks"]) and f"<#{CHANNEL}>" in str(dm["blocks"])
    assert h.slack.dm_messages("UBOTX") == []


async def test_a_role_tied_to_an_activity_hands_that_activity_to_its_new_holder(
    harness: Harness,
) -> None:
    h = harness
    await organiser_with_activity(h)
    missing = reply_text(await h.command(ADMIN, "/community", 'roles new "Host" --activity 99'))
    assert "There is no activity #99" in missing
    new = 'roles new "Announcer" --activity 1 --checklist "Read the text before Monday"'
    assert "New role *Announcer*" in reply_text(
        await h.command(ADMIN, "/community", new, channel_id=CHANNEL)
    )
    await h.settle()
    call = h.slack.last_message(CHANNEL)
    assert "Volunteers wanted: Announcer" in str(call["text"])
    await h.say.click("UMEM", call, "role_volunteer")
    await answered(h, "UMEM", "Thank you!")
    call_id = _call_id(await _calls(h))
    await h.say.raw_action(
        ADMIN, {"actions": [{"action_id": "role_appoint", "value": f"{call_id}:UMEM"}]}
    )
    await eventually(
        lambda: any("Appointed" in str(c.args) for c in h.slack.calls_to("response_url"))
    )
    await h.settle()

    def welcomes() -> list[str]:
        return [str(m) for m in h.slack.dm_messages("UMEM") if "Welcome, you're now" in str(m)]

    await eventually(lambda: len(welcomes()) == 1)
    assert "Read the text before Monday" in welcomes()[0] and "#1" in welcomes()[0]
    async with h.bot.db.session() as session:
        assert (await session.exec(select(Activity))).one().created_by == "UMEM"
    log = reply_text(await h.command(ADMIN, "/community", "audit activity"))
    assert "activity.owner" in log


async def test_a_lapse_that_leaves_a_role_empty_tells_the_admins_once(harness: Harness) -> None:
    h = harness
    assign = "roles assign <@UORG> organiser until 2026-12-10"
    assert "until 2026-12-10" in reply_text(await h.command(ADMIN, "/community", assign))
    text = f'new announcement <#{CHANNEL}|community> "every monday 09:00" "Hi"'
    assert "#1" in reply_text(await h.command("UORG", "/community", text))

    def empties() -> list[str]:
        return [str(m) for m in h.slack.dm_messages(ADMIN) if "Nobody holds" in str(m)]

    await go_to(h, datetime(2026, 12, 10, 12, tzinfo=h.clock.now().tzinfo))
    assert empties() == []
    await go_to(h, datetime(2026, 12, 11, 9, tzinfo=h.clock.now().tzinfo))
    await go_to(h, datetime(2026, 12, 11, 10, tzinfo=h.clock.now().tzinfo))
    (told,) = empties()
    assert "Nobody holds *Organiser* now" in told and "<@UORG>" in told
    assert "term ended on 2026-12-10" in reply_text(
        await h.command("UORG", "/community", "activities")
    )
    async with h.bot.db.session() as session:
        assert (await session.exec(select(Activity))).one().state == "active"


async def test_an_answer_while_a_copy_is_held_updates_that_copy_when_it_goes(
    harness: Harness,
) -> None:
    """The holder (Paris) renews at 10:00 UTC while the admin's copy (Tokyo, 19:00 there)
    waits for the admin's morning: nothing spins retrying to update a copy not sent yet,
    and that copy, when it goes, already says what was decided."""
    h = harness
    h.slack.users[ADMIN].tz = "Asia/Tokyo"
    await organiser_with_activity(h)
    monday = datetime(2027, 11, 1, 10, tzinfo=UTC)  # the 30-day ask, due that weekend
    await go_to(h, monday)
    assert len(asks(h, "UORG")) == 1 and asks(h, ADMIN) == []
    await h.say.click("UORG", asks(h, "UORG")[-1], "rotation_renew")
    await answered(h, "UORG", "Renewed")
    await h.tick()
    await h.settle()
    async with h.bot.db.session() as session:
        rows = await outbox.list_rows(session)
    waiting = [(r.intent, r.last_error) for r in rows if r.status == OutboxStatus.PENDING]
    assert all(intent == "roles.rotation_ask" for intent, _ in waiting), waiting
    assert [e for _, e in waiting] == ["quiet hours: held until 2027-11-01 23:00 UTC"]
    due = await h.bot.next_due()
    assert due is None or due > monday + timedelta(minutes=1), due

    await go_to(h, datetime(2027, 11, 1, 22, 59, tzinfo=UTC))  # 07:59 in Tokyo
    assert h.slack.dm_messages(ADMIN) == []
    await go_to(h, datetime(2027, 11, 1, 23, tzinfo=UTC))
    (copy,) = h.slack.dm_messages(ADMIN)
    assert "renewed by <@UORG>" in str(copy["text"]) and "What happens next?" not in str(copy)
