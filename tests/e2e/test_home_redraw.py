"""A change that affects someone other than the person who acted redraws that person's
open Home tab: a role given, ended, renewed or lapsed; an appointment (the incoming and
the outgoing holder); a volunteer or a role poll on the admins' tabs. Someone who never
opened the tab is not published to."""

from __future__ import annotations

import json
from datetime import datetime

from sqlmodel import select

from bot.sandbox.driver import JsonDict
from storage.models import RoleTerm, VolunteerCall
from tests.e2e.harness import ADMIN, Harness, eventually, reply_text

CHANNEL = "C0COMMUNITY"


def publishes(h: Harness, user: str) -> int:
    return sum(1 for c in h.slack.calls_to("views.publish") if c.args.get("user_id") == user)


def home(h: Harness, user: str) -> str:
    return json.dumps(h.slack.home_views.get(user, {}))


async def open_home(h: Harness, *users: str) -> None:
    for user in users:
        before = publishes(h, user)
        await h.say.app_home_opened(user)
        await eventually(lambda user=user, before=before: publishes(h, user) == before + 1)


async def go_to(h: Harness, day: datetime) -> None:
    h.clock.set(day)
    await h.tick()
    await h.settle()


async def term_of(h: Harness, user: str) -> RoleTerm:
    async with h.bot.db.session() as session:
        found = (await session.exec(select(RoleTerm).where(RoleTerm.user_id == user))).all()
    return found[-1]


async def post_role_call(h: Harness) -> JsonDict:
    """A new role's call for volunteers in the community channel, with UVOL there to answer."""
    h.slack.add_user("UVOL", "vic")
    reply_text(await h.command(ADMIN, "/community", f"settings channel <#{CHANNEL}|community>"))
    reply_text(await h.command(ADMIN, "/community", 'roles new "Book club host"'))
    await h.settle()
    return h.slack.last_message(CHANNEL)


async def test_a_role_given_and_ended_redraws_the_holders_and_the_admins_tabs(
    harness: Harness,
) -> None:
    h = harness
    await open_home(h, "UMEM", ADMIN)
    assert "Your roles and terms" not in home(h, "UMEM")
    reply_text(await h.command(ADMIN, "/community", "roles assign <@UMEM> organiser"))
    await eventually(lambda: "Your roles and terms" in home(h, "UMEM"))
    assert "You're a *organiser*" in home(h, "UMEM")
    # The admins' list names the role (not its key).
    await eventually(lambda: "<@UMEM> \\u2014 Organiser until" in home(h, ADMIN))
    assert publishes(h, "UMEM") == 2 and publishes(h, ADMIN) == 2
    # Someone who never opened the tab is not published to.
    reply_text(await h.command(ADMIN, "/community", "roles assign <@UORG> organiser"))
    assert publishes(h, "UORG") == 0 and publishes(h, ADMIN) == 3

    reply_text(await h.command(ADMIN, "/community", "roles end <@UMEM>"))
    await eventually(lambda: "Your roles and terms" not in home(h, "UMEM"))
    assert "You're a *member*" in home(h, "UMEM")
    assert publishes(h, "UMEM") == 3 and "<@UMEM>" not in home(h, ADMIN)


async def test_a_renewed_term_shows_its_new_end_on_the_holders_tab(harness: Harness) -> None:
    h = harness
    assign = "roles assign <@UORG> organiser until 2026-12-20"
    reply_text(await h.command(ADMIN, "/community", assign))
    await open_home(h, "UORG")
    term = await term_of(h, "UORG")
    assert "until *2026-12-20*" in home(h, "UORG")
    value = f"{term.id}:{term.cycle}"
    await h.say.raw_action(
        ADMIN, {"actions": [{"action_id": "rotation_renew", "value": value, "type": "button"}]}
    )
    await eventually(lambda: publishes(h, "UORG") == 2)
    renewed = await term_of(h, "UORG")
    assert renewed.ends_on.isoformat() == "2027-12-20"
    assert "until *2027-12-20*" in home(h, "UORG")


async def test_a_lapse_takes_the_term_off_the_former_holders_and_the_admins_tabs(
    harness: Harness,
) -> None:
    h = harness
    assign = "roles assign <@UORG> organiser until 2026-12-10"
    reply_text(await h.command(ADMIN, "/community", assign))
    await open_home(h, "UORG", ADMIN)
    assert "Your roles and terms" in home(h, "UORG") and "<@UORG>" in home(h, ADMIN)
    await go_to(h, datetime(2026, 12, 11, 10, tzinfo=h.clock.now().tzinfo))
    await eventually(lambda: "Your roles and terms" not in home(h, "UORG"))
    assert "You're a *member*" in home(h, "UORG") and "<@UORG>" not in home(h, ADMIN)


async def test_an_appointment_redraws_the_incoming_and_outgoing_holders_tabs(
    harness: Harness,
) -> None:
    h = harness
    reply_text(await h.command(ADMIN, "/community", f"settings channel <#{CHANNEL}|community>"))
    assign = "roles assign <@UORG> organiser until 2026-12-20"
    reply_text(await h.command(ADMIN, "/community", assign))
    text = f'new announcement <#{CHANNEL}|community> "every monday 09:00" "Hi"'
    assert "#1" in reply_text(await h.command("UORG", "/community", text))
    await h.tick()  # under four weeks left: the call for volunteers goes out
    await h.settle()
    call = next(m for m in h.slack.messages(CHANNEL) if "Volunteers wanted" in str(m))
    await open_home(h, "UMEM", "UORG", ADMIN)
    await h.say.click("UMEM", call, "role_volunteer")
    # The volunteer shows on the admin's open tab at once.
    await eventually(lambda: "Volunteers for *Organiser*: *1*" in home(h, ADMIN))
    async with h.bot.db.session() as session:
        (found,) = (await session.exec(select(VolunteerCall))).all()
    outgoing = publishes(h, "UORG")
    await h.say.raw_action(
        ADMIN, {"actions": [{"action_id": "role_appoint", "value": f"{found.id}:UMEM"}]}
    )
    await eventually(lambda: "Your roles and terms" in home(h, "UMEM"))
    assert "You're a *organiser*" in home(h, "UMEM") and "Run now" in home(h, "UMEM")
    # The outgoing holder's tab is redrawn too (their activity moved to the newcomer).
    await eventually(lambda: publishes(h, "UORG") == outgoing + 1)
    # The admin's own tab, redrawn after the click, no longer shows the answered call.
    await eventually(lambda: "Volunteers for" not in home(h, ADMIN))


async def test_a_role_poll_opened_by_one_admin_shows_on_another_admins_tab(
    harness: Harness,
) -> None:
    h = harness
    call = await post_role_call(h)
    await open_home(h, "UWSADMIN")
    for user in ("UMEM", "UVOL"):
        await h.say.click(user, call, "role_volunteer")
    await eventually(lambda: "Volunteers for *Book club host*: *2*" in home(h, "UWSADMIN"))
    # Every redraw the volunteers asked for is out before the click: one still on its way
    # could land after the click's (two publishes for one person may land out of order).
    await h.settle()
    await h.say.click_home("UWSADMIN", "home_waiting", home_line(h))
    await eventually(lambda: "Appoint #2" in home(h, "UWSADMIN"))
    assert "Poll among volunteers" in home(h, "UWSADMIN")
    before = publishes(h, "UWSADMIN")
    reply_text(await h.command(ADMIN, "/community", 'roles poll "Book club host"'))
    # Redrawn by the courier (as an admin, and as a member of the poll's channel).
    await eventually(lambda: publishes(h, "UWSADMIN") > before)
    await h.settle()
    await eventually(lambda: "Poll among volunteers" not in home(h, "UWSADMIN"))


def home_line(h: Harness) -> str:
    (key,) = [
        e["value"]
        for b in h.slack.home_views["UWSADMIN"]["blocks"]
        for e in [b.get("accessory") or {}]
        if e.get("action_id") == "home_waiting"
    ]
    return str(key)
