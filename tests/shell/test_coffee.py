"""Coffee in the shell: created, run, every group DM shown with its members, a check-in."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.shell.seed import MEMBERS
from tests.shell.conftest import RunShell

GROUP_DM = re.compile(r"^\(\d+\) Convene → group DM with (.+)$", re.MULTILINE)


async def test_a_round_opens_group_dms_and_a_check_in_is_counted(run_shell: RunShell) -> None:
    out: list[str] = []

    def lines() -> Iterator[str]:
        yield from [
            "as admin",
            "/community roles assign @alice organiser",
            "as @alice",
            "/community new coffee #community",
            "/community run 1",
            "clock +1d",  # the intros, each once its group's working hours meet (a day at most)
            "clock +2d12h",  # half-way through the round: the check-ins…
            "clock +1d",  # …which wait for each group's common working hours too
            "dms",
            "click We met",
        ]
        # Someone from another group cannot click in Alice's group DM.
        group = next(g for g in GROUP_DM.findall("".join(out)) if "@alice" in g)
        stranger = next(f"@{m[0]}" for m in MEMBERS if f"@{m[0]}" not in group)
        yield f"as {stranger}"
        yield "click We met"

    t = await run_shell(lines(), out=out, stop_on_error=False)
    assert t.status == 0, t.text
    assert "✅ Coffee pairings #1 in #community" in t.text
    run = t.after("/community run 1").split("> clock +2d12h")[0]
    groups = [g.split(", ") for g in GROUP_DM.findall(run)]
    people = sorted(p for g in groups for p in g)
    everyone = sorted(["@admin", *(f"@{m[0]}" for m in MEMBERS)])
    assert people == everyone  # each member of #community in exactly one group
    assert all(2 <= len(g) <= 3 for g in groups)
    for group in groups:  # each group DM greets exactly its members
        greeting = run.split("group DM with " + ", ".join(group))[1].split("\n")[1]
        assert all(p in greeting for p in group), greeting
    assert "Coffee round started: 13 people" in run

    checkins = t.after("> clock +2d12h").split("> dms")[0]
    assert checkins.count("Halfway through the round") == len(groups)
    mine = next(g for g in groups if "@alice" in g)
    assert f"group DM with {', '.join(mine)}\n  👋 Halfway" in checkins
    clicked = t.after("[@alice in #community] > click We met").split("> as")[0]
    assert "Thanks! Noted: met" in clicked
    assert f"only @alice sees this, in group DM with {', '.join(mine)}" in clicked
    assert f"is not in that group DM with {', '.join(mine)}" in t.after("> click We met")


async def test_coffee_controls(run_shell: RunShell) -> None:
    t = await run_shell(
        [
            "as admin",
            "/community roles assign @alice organiser",
            "as @alice",
            "/community new coffee #community",
            "/community run 1",
            "/coffee",
            "/coffee pause 2w",
            "/coffee resume",
        ]
    )
    assert t.status == 0, t.text
    assert "You're in" in t.after("> /coffee\n")
    assert "Paused until" in t.after("> /coffee pause 2w")
    assert "Welcome back" in t.after("> /coffee resume")
