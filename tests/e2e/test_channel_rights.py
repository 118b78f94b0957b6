"""Organisers schedule into public channels, or private ones they are in; checked again at run."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from storage.models import Activity
from tests.e2e.harness import ADMIN, Harness, reply_text

NEW = 'new announcement <#{channel}|x> "every monday 09:00" "Hello"'


async def organiser(h: Harness) -> None:
    reply_text(await h.command(ADMIN, "/community", "roles assign <@UORG> organiser"))


async def test_a_private_channel_needs_its_organiser_in_it(harness: Harness) -> None:
    h = harness
    await organiser(h)
    h.slack.add_channel("C0SECRET", "secret", ["UMEM"], is_private=True)
    h.slack.add_channel("C0OURS", "ours", ["UORG"], is_private=True)
    h.slack.add_channel("C0HIDDEN", "hidden", ["UORG"], is_private=True, bot_member=False)
    said = reply_text(await h.command("UORG", "/community", NEW.format(channel="C0SECRET")))
    assert said.startswith("⚠️") and "is private and you aren't in it" in said, said
    said = reply_text(await h.command("UORG", "/community", NEW.format(channel="C0HIDDEN")))
    assert said.startswith("⚠️") and "invite me" in said, said
    said = reply_text(await h.command("UORG", "/community", NEW.format(channel="C0OURS")))
    assert said.startswith("✅"), said
    async with h.bot.db.session() as session:
        assert [a.channel_id for a in (await session.exec(select(Activity))).all()] == ["C0OURS"]
    said = reply_text(await h.command("UORG", "/community", "edit 1 --channel <#C0SECRET|s>"))
    assert "is private and you aren't in it" in said, said


async def test_a_run_is_refused_once_its_organiser_has_left_the_channel(harness: Harness) -> None:
    h = harness
    await organiser(h)
    h.slack.add_channel("C0OURS", "ours", ["UORG"], is_private=True)
    said = reply_text(await h.command("UORG", "/community", NEW.format(channel="C0OURS")))
    assert said.startswith("✅"), said
    h.slack.channels["C0OURS"].members.remove("UORG")
    h.clock.advance(timedelta(days=7))
    await h.tick()
    await h.settle()
    assert h.slack.messages("C0OURS") == []
    notices = [
        c.args["text"]
        for c in h.slack.calls_to("chat.postMessage")
        if "did not run" in str(c.args.get("text"))
    ]
    assert len(notices) == 1 and "aren't in it" in str(notices[0])
