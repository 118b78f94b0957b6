"""A Home redraw is asked for in the transaction of the change that calls for it: the
outbox row commits with the change or not at all, so a stop between the two cannot lose
it (a redraw asked for in a transaction of its own, after the commit, could be)."""

from __future__ import annotations

from sqlmodel import select

from storage.models import Activity
from tests.e2e.harness import ADMIN, Harness, eventually, reply_text
from tests.e2e.test_home_redraw import home, open_home
from tests.e2e.writes import REDRAW, Writes

CHANNEL = "C0COMMUNITY"


async def test_redraws_are_asked_for_in_the_changes_own_transactions(harness: Harness) -> None:
    h = harness
    await open_home(h, "UORG", "UMEM", ADMIN)
    writes = Writes(h.bot.db)
    # A role given (the holder's tab), an activity created and paused by an organiser
    # (another organiser's and the admins' tabs), a role ended.
    reply_text(await h.command(ADMIN, "/community", "roles assign <@UORG> organiser"))
    reply_text(await h.command(ADMIN, "/community", "roles assign <@UMEM> organiser"))
    new = f"new coffee <#{CHANNEL}|community> --tz Europe/London"
    assert "✅" in reply_text(await h.command("UORG", "/community", new, channel_id=CHANNEL))
    async with h.bot.db.session() as session:
        (activity,) = (await session.exec(select(Activity))).all()
    reply_text(await h.command("UORG", "/community", f"pause {activity.id}"))
    reply_text(await h.command(ADMIN, "/community", "roles end <@UMEM>"))
    await h.settle()
    await eventually(lambda: "You're a *member*" in home(h, "UMEM"))
    asked = writes.redraws()
    assert len(asked) >= 5, writes.committed
    assert writes.redraws_alone() == []
    # Each with what it redraws for: the terms twice, the activity twice, the end.
    assert sum("roleterm" in t for t in asked) >= 3
    assert sum("activity" in t for t in asked) >= 2
    assert all(REDRAW in t for t in asked)
