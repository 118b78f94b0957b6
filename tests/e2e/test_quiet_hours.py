"""Quiet hours end to end: what pings a person waits for their working hours, in their
own zone, or the hours and days they chose; channel posts keep their schedule. (A
reminder that could only arrive once its event started is dropped: tests/e2e/test_talks.py
and test_bookclub.py, where a member in New York is reminded of a 07:30 meeting.)"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage import outbox
from storage.models import OutboxStatus
from tests.e2e.harness import ADMIN, Harness, reply_text

CHANNEL = "C0COMMUNITY"


def thanked(h: Harness, user: str) -> list[str]:
    return [str(m["text"]) for m in h.slack.dm_messages(user) if "thanked you" in str(m["text"])]


async def at(h: Harness, when: datetime) -> None:
    h.clock.set(when)
    await h.tick()
    await h.settle()


async def test_a_dm_due_at_22_00_arrives_at_08_00_their_next_working_day(
    harness: Harness,
) -> None:
    h = harness
    h.slack.add_user("UATH", "eleni", tz="Europe/Athens")
    h.slack.add_channel(CHANNEL, "community", [ADMIN, "UORG", "UMEM", "UATH"])
    reply_text(await h.command(ADMIN, "/community", f"settings channel <#{CHANNEL}|community>"))

    # Wednesday 20:00 UTC is 22:00 in Athens: the thanks is posted in the channel now,
    # and the DM that pings Eleni waits…
    await at(h, datetime(2026, 12, 2, 20, 0, tzinfo=UTC))
    said = reply_text(
        await h.command("UORG", "/community", 'thanks <@UATH> "for the map" --public')
    )
    assert "by DM and shared" in said, said
    await h.settle()
    assert any("thanks <@UATH>" in str(m["text"]) for m in h.slack.messages(CHANNEL))
    assert thanked(h, "UATH") == []
    async with h.bot.db.session() as session:
        (row,) = [r for r in await outbox.list_rows(session) if r.intent == "recognition.thanks_dm"]
    assert row.status == OutboxStatus.PENDING and row.held_until == datetime(
        2026, 12, 3, 6, 0, tzinfo=UTC
    )
    await at(h, datetime(2026, 12, 3, 5, 59, tzinfo=UTC))  # 07:59 in Athens
    assert thanked(h, "UATH") == []
    await at(h, datetime(2026, 12, 3, 6, 0, tzinfo=UTC))  # …until 08:00 their time
    assert thanked(h, "UATH") == ["🙏 <@UORG> thanked you for the map"]


async def test_a_hold_claimed_long_after_its_moment_is_decided_again_not_sent_at_night(
    harness: Harness,
) -> None:
    h = harness
    h.slack.add_user("UATH", "eleni", tz="Europe/Athens")
    # Wednesday 22:00 in Athens: the DM is held until Thursday 08:00 there…
    await at(h, datetime(2026, 12, 2, 20, 0, tzinfo=UTC))
    assert "Thanks sent" in reply_text(await h.command("UORG", "/community", "thanks <@UATH>"))
    await h.settle()
    assert thanked(h, "UATH") == []
    # …but the bot is down all Thursday and comes back at 02:00 on Friday, Athens time:
    # the hold's moment is long gone, so the rule decides again and the DM waits.
    await at(h, datetime(2026, 12, 4, 0, 0, tzinfo=UTC))
    assert thanked(h, "UATH") == []
    async with h.bot.db.session() as session:
        (row,) = [r for r in await outbox.list_rows(session) if r.intent == "recognition.thanks_dm"]
    assert row.status == OutboxStatus.PENDING
    assert row.held_until == datetime(2026, 12, 4, 6, 0, tzinfo=UTC)
    # Claimed within the grace after its new moment (the courier was busy): it goes.
    await at(h, datetime(2026, 12, 4, 6, 10, tzinfo=UTC))
    assert thanked(h, "UATH") == ["🙏 <@UORG> thanked you"]


async def test_own_hours_and_days_are_followed_shown_and_checked(harness: Harness) -> None:
    h = harness
    h.slack.add_user("UATH", "eleni", tz="Europe/Athens")
    assert "08:00–19:00, mon-fri" in reply_text(await h.command("UATH", "/coffee", "settings"))
    for bad, why in (
        ("9-17 none", "leaves no working day"),
        ("9-17 ,", "leaves no working day"),
        ("9-17 someday", "isn't a day"),
        ("9-9 mon", "leaves no time at all"),
    ):
        assert why in reply_text(await h.command("UATH", "/coffee", f"hours {bad}")), bad
    said = reply_text(await h.command("UATH", "/coffee", "hours 10-16 mon-thu"))
    assert "10:00–16:00, mon-thu" in said, said
    assert "10:00–16:00, mon-thu" in reply_text(await h.command("UATH", "/coffee", "settings"))
    await h.say.app_home_opened("UATH")
    await h.slack.wait_for("views.publish")
    assert "10:00–16:00, mon-thu" in str(h.slack.home_views["UATH"])

    # Thursday 17:00 in Athens: after her hours, and Friday is no working day of hers.
    await at(h, datetime(2026, 12, 3, 15, 0, tzinfo=UTC))
    assert "Thanks sent" in reply_text(await h.command("UMEM", "/community", "thanks <@UATH>"))
    await at(h, datetime(2026, 12, 4, 12, 0, tzinfo=UTC))  # Friday 14:00 in Athens
    assert thanked(h, "UATH") == []
    await at(h, datetime(2026, 12, 7, 7, 59, tzinfo=UTC))  # Monday 09:59
    assert thanked(h, "UATH") == []
    await at(h, datetime(2026, 12, 7, 8, 0, tzinfo=UTC))  # Monday 10:00
    assert len(thanked(h, "UATH")) == 1


async def test_a_group_checkin_waits_for_the_groups_morning(harness: Harness) -> None:
    h = harness
    for user in ("UATH1", "UATH2"):
        h.slack.add_user(user, user.lower(), tz="Europe/Athens")
    h.slack.add_channel("C0PAIRS", "pairs", ["UATH1", "UATH2"])
    said = reply_text(await h.command(ADMIN, "/community", "roles assign <@UORG> organiser"))
    assert "organiser until" in said
    said = reply_text(await h.command("UORG", "/community", "new coffee <#C0PAIRS|pairs>"))
    assert "✅" in said, said
    # A weekly round from Tuesday 08:00 UTC: its check-in is due Friday 20:00 UTC, 22:00
    # in Athens.
    h.clock.set(datetime(2026, 12, 1, 8, 0, tzinfo=UTC))
    assert "Running" in reply_text(await h.command("UORG", "/community", "run 1"))
    await at(h, h.clock.now())
    assert h.slack.calls_to("conversations.open")  # the intro, in their hours

    def checkins() -> list[str]:
        return [
            str(c.args.get("text", ""))
            for c in h.slack.calls_to("chat.postMessage")
            if c.ok and "did you meet" in str(c.args.get("text", ""))
        ]

    await at(h, datetime(2026, 12, 4, 20, 0, tzinfo=UTC))
    assert checkins() == []
    await at(h, datetime(2026, 12, 7, 5, 59, tzinfo=UTC))  # Monday 07:59 in Athens
    assert checkins() == []
    await at(h, datetime(2026, 12, 7, 6, 0, tzinfo=UTC))  # 08:00: their next working day
    assert len(checkins()) == 1
    await at(h, h.clock.now() + timedelta(hours=1))
    assert len(checkins()) == 1
