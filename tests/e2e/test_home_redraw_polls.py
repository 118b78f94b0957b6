"""Whatever opens or closes a poll (a schedule, a book club, a role poll, like `/poll`), the
channel's members' open Home tabs are redrawn ("open polls you haven't voted in"), asked
for in the poll's own transaction; and "Run now" redraws the other organisers' tabs."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from storage.models import Activity
from tests.e2e.harness import ADMIN, Harness, eventually, reply_text
from tests.e2e.test_home_redraw import home, open_home, post_role_call, publishes
from tests.e2e.writes import CHANNEL_REDRAW, REDRAW, Writes

CHANNEL = "C0COMMUNITY"
OPEN_POLLS = "Open polls you haven't voted in"


async def test_a_scheduled_poll_opened_and_closed_redraws_the_channel_members_tabs(
    harness: Harness,
) -> None:
    h = harness
    reply_text(await h.command(ADMIN, "/community", "roles assign <@UORG> organiser"))
    new = (
        f'new poll <#{CHANNEL}|community> "every friday 16:00" "How was the week?" '
        '"Great" "Fine" --closes-after 2d'
    )
    assert "✅ Poll" in reply_text(await h.command("UORG", "/community", new))
    await h.settle()
    await open_home(h, "UMEM")
    assert OPEN_POLLS not in home(h, "UMEM")
    writes = Writes(h.bot.db)
    reply_text(await h.command("UORG", "/community", "run 1"))
    await h.tick()
    await h.settle()
    await eventually(lambda: OPEN_POLLS in home(h, "UMEM"), 10)
    # Asked for with the poll (its row), not after it.
    assert writes.redraws(CHANNEL_REDRAW) and writes.redraws_alone(CHANNEL_REDRAW) == []
    assert all("poll" in t for t in writes.redraws(CHANNEL_REDRAW))
    before = publishes(h, "UMEM")
    h.clock.advance(timedelta(days=2, minutes=1))
    await h.tick()  # closed at its deadline
    await h.settle()
    await eventually(lambda: OPEN_POLLS not in home(h, "UMEM"), 10)
    assert publishes(h, "UMEM") == before + 1


async def test_a_role_poll_shows_on_the_channel_members_tabs(harness: Harness) -> None:
    h = harness
    call = await post_role_call(h)
    for user in ("UORG", "UVOL"):
        await h.say.click(user, call, "role_volunteer")
    await h.settle()
    await open_home(h, "UMEM")
    assert OPEN_POLLS not in home(h, "UMEM")
    reply_text(await h.command(ADMIN, "/community", 'roles poll "Book club host"'))
    await h.settle()
    await eventually(lambda: OPEN_POLLS in home(h, "UMEM"), 10)


async def test_run_now_redraws_the_other_organisers_tabs(harness: Harness) -> None:
    h = harness
    for user in ("UORG", "UMEM"):
        reply_text(await h.command(ADMIN, "/community", f"roles assign <@{user}> organiser"))
    new = f'new announcement <#{CHANNEL}|community> "every monday 09:00" "Hi"'
    assert "#1" in reply_text(await h.command("UORG", "/community", new))
    async with h.bot.db.session() as session:
        (activity,) = (await session.exec(select(Activity))).all()
    await h.settle()
    await open_home(h, "UMEM", "UORG")
    before = publishes(h, "UMEM")
    writes = Writes(h.bot.db)
    reply_text(await h.command("UORG", "/community", f"run {activity.id}"))
    await eventually(lambda: publishes(h, "UMEM") == before + 1)
    # And the Home tab's "Run now" button.
    await h.say.click_home("UORG", "home_activity_run", str(activity.id))
    await eventually(lambda: publishes(h, "UMEM") == before + 2)
    await h.settle()
    assert writes.redraws() and writes.redraws_alone() == []
    assert all(REDRAW in t and "run" in t for t in writes.redraws())
