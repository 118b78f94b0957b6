"""An announcement in the shell: nothing before it is due, then it fires at its time."""

from __future__ import annotations

from tests.shell.conftest import RunShell


async def test_the_announcement_fires_on_its_day_during_clock_plus_7d(run_shell: RunShell) -> None:
    t = await run_shell(
        [
            "as admin",
            "/community roles assign @alice organiser",
            "as @alice",
            '/community new announcement #community "every wednesday 10:00" "Show and tell!"',
            "clock +1d",
            "clock +7d",
            "clock",
            "clock 2026-12-09 10:30",  # a week after the first: the weekly one again
        ]
    )
    assert t.status == 0, t.text
    assert "✅ Announcement #1 in #community" in t.text
    assert "Show and tell!" not in t.after("> clock +1d").split("> clock +7d")[0]
    week = t.after("> clock +7d").split("> clock\n")[0]
    # Posted once, in #community, at 10:00 on Wednesday (Alice's zone is London's).
    assert week.count("Show and tell!") == 1
    assert "⏱ Wednesday 2 December 2026, 10:00 (Europe/London)\n(" in week
    assert "Convene → #community\n  Show and tell!" in week
    assert "It is Tuesday 8 December 2026, 08:00" in t.after("> clock\n")
    again = t.after("> clock 2026-12-09 10:30")
    assert again.count("Show and tell!") == 1
    assert "⏱ Wednesday 9 December 2026, 10:00 (Europe/London)\n(" in again


async def test_the_clock_in_another_members_zone(run_shell: RunShell) -> None:
    t = await run_shell(["as @kenji", "clock", "clock 2026-12-01 09:00", "clock"])
    assert t.status == 0, t.text
    assert "It is Monday 30 November 2026, 17:00 (Asia/Tokyo)" in t.text
    assert "It is Tuesday 1 December 2026, 09:00 (Asia/Tokyo)" in t.after("> clock\n")
