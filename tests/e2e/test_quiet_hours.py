"""Quiet hours end to end: a check-in due late in the evening waits for the morning."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.e2e.harness import START, Harness, reply_text


def checkins(h: Harness) -> list[str]:
    return [
        str(c.args.get("text", ""))
        for c in h.slack.calls_to("chat.postMessage")
        if c.ok and "did you meet" in str(c.args.get("text", ""))
    ]


async def test_a_checkin_due_at_22_00_arrives_at_08_00_the_next_working_day(
    harness: Harness,
) -> None:
    h = harness
    for user in ("UATH1", "UATH2"):
        h.slack.add_user(user, user.lower(), tz="Europe/Athens")
    h.slack.add_channel("C0PAIRS", "pairs", ["UATH1", "UATH2"])
    said = reply_text(await h.command("UADMIN", "/community", "roles assign <@UORG> organiser"))
    assert "organiser until" in said
    said = reply_text(await h.command("UORG", "/community", "new coffee <#C0PAIRS|pairs>"))
    assert "✅" in said, said
    assert "Running" in reply_text(await h.command("UORG", "/community", "run 1"))
    await h.tick()
    await h.settle()
    assert datetime(2026, 11, 30, 8, 0, tzinfo=UTC) == START  # Monday; a weekly round

    # Half-way: Thursday 20:00 UTC, 22:00 in Athens. Nothing pings them now…
    h.clock.advance(timedelta(days=3, hours=12))
    await h.tick()
    await h.settle()
    assert checkins(h) == []
    h.clock.advance(timedelta(hours=9, minutes=59))  # Friday 07:59 in Athens
    await h.tick()
    await h.settle()
    assert checkins(h) == []
    h.clock.advance(timedelta(minutes=1))  # …it arrives at 08:00 their time
    await h.tick()
    await h.settle()
    assert len(checkins(h)) == 1
