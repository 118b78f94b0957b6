"""Each input of a coffee round reaches the matcher: the groups change when it does.

Every test here sets up a small channel where one input alone decides the groups
(an avoid list, history, teams, shared channels, working hours), so a use-case that
stopped passing that input on would form other groups and fail.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from storage.kinds.coffee.models import CoffeeGroup, CoffeeRound
from storage.models import Activity
from tests.e2e.harness import ADMIN, Harness, reply_text

CHANNEL = "C0WIRED"


async def start(h: Harness, people: dict[str, tuple[str, str]], kind: str = "coffee") -> int:
    """People as {user: (team, time zone)}; an organiser creates a round in CHANNEL."""
    for user, (team, zone) in people.items():
        h.slack.add_user(user, user.lower(), tz=zone, title=team)
    h.slack.add_channel(CHANNEL, "wired", list(people))
    reply_text(await h.command(ADMIN, "/community", "roles assign <@UORG> organiser"))
    said = reply_text(await h.command("UORG", "/community", f"new {kind} <#{CHANNEL}|wired>"))
    assert "✅" in said, said
    async with h.bot.db.session() as session:
        activity = (await session.exec(select(Activity))).one()
    assert activity.id is not None
    return activity.id


async def round_groups(h: Harness, activity_id: int) -> list[frozenset[str]]:
    said = reply_text(await h.command("UORG", "/community", f"run {activity_id}"))
    assert "Running" in said, said
    await h.tick()
    await h.settle()
    async with h.bot.db.session() as session:
        latest = (await session.exec(select(CoffeeRound).order_by(col(CoffeeRound.id)))).all()[-1]
        rows = (
            await session.exec(select(CoffeeGroup).where(CoffeeGroup.round_id == latest.id))
        ).all()
    return [frozenset(r.members) for r in rows]


def together(groups: list[frozenset[str]], a: str, b: str) -> bool:
    return any({a, b} <= g for g in groups)


SAME = ("design", "Europe/London")


async def test_an_avoid_list_keeps_two_people_apart(harness: Harness) -> None:
    h = harness
    activity_id = await start(h, {"U0ADA01": SAME, "U0BEA02": SAME})
    said = reply_text(await h.command("U0ADA01", "/coffee", "avoid <@U0BEA02>"))
    assert "won't be matched" in said
    groups = await round_groups(h, activity_id)
    assert not together(groups, "U0ADA01", "U0BEA02")


async def test_history_makes_every_pair_meet_once_before_any_repeat(harness: Harness) -> None:
    h = harness
    people = {u: SAME for u in ("U0ADA01", "U0BEA02", "U0CAT03", "U0DON04")}
    activity_id = await start(h, people)
    met: list[frozenset[str]] = []
    for _ in range(3):
        groups = await round_groups(h, activity_id)
        met += [frozenset(p) for g in groups for p in itertools.combinations(sorted(g), 2)]
    # Three rounds of four people hold exactly the six possible pairs once each.
    assert len(met) == 6 and len(set(met)) == 6


def share(h: Harness, a: str, b: str, count: int) -> None:
    for i in range(count):
        h.slack.add_channel(f"C0{a[-2:]}{b[-2:]}X{i}", f"{a}-{b}-{i}".lower(), [a, b])


async def test_people_from_other_teams_are_put_together(harness: Harness) -> None:
    h = harness
    london = "Europe/London"
    red = [f"U0RED00{i}" for i in range(6)]
    blue = [f"U0BLUE0{i}" for i in range(6)]
    people = {u: ("red", london) for u in red} | {u: ("blue", london) for u in blue}
    activity_id = await start(h, people)
    groups = await round_groups(h, activity_id)
    # Twelve people, six in each team: every pair mixes the teams (by chance, only 7%
    # of the ways to pair them would).
    assert len(groups) == 6
    assert all(len(g & set(red)) == 1 and len(g & set(blue)) == 1 for g in groups), groups


async def test_people_who_share_channels_are_kept_apart(harness: Harness) -> None:
    h = harness
    people = [f"U0PEER{i}" for i in range(8)]
    activity_id = await start(h, dict.fromkeys(people, SAME))
    wanted = {frozenset(people[i : i + 2]) for i in range(0, 8, 2)}
    # Everyone shares a channel with everyone except their wanted partner: the only
    # grouping with no shared channel is the wanted one (1 of 105 ways to pair eight).
    for x, y in itertools.combinations(people, 2):
        if frozenset({x, y}) not in wanted:
            share(h, x, y, 1)
    groups = await round_groups(h, activity_id)
    assert set(groups) == wanted


async def test_working_hours_decide_who_can_meet(harness: Harness) -> None:
    h = harness
    activity_id = await start(h, {u: SAME for u in ("U0ADA01", "U0BEA02", "U0CAT03", "U0DON04")})
    for user, hours in (
        ("U0ADA01", "6-10"),
        ("U0CAT03", "6-10"),
        ("U0BEA02", "13-17"),
        ("U0DON04", "13-17"),
    ):
        assert "Noted" in reply_text(await h.command(user, "/coffee", f"hours {hours}"))
    groups = await round_groups(h, activity_id)
    assert sorted(groups, key=sorted) == [
        frozenset({"U0ADA01", "U0CAT03"}),
        frozenset({"U0BEA02", "U0DON04"}),
    ]
    async with h.bot.db.session() as session:
        suggested = [g.suggested_at for g in (await session.exec(select(CoffeeGroup))).all()]
    for when in suggested:
        assert when is not None
        local = when.astimezone(ZoneInfo("Europe/London"))
        assert 6 <= local.hour < 10 or 13 <= local.hour < 17, local


async def suggested_times(h: Harness) -> list[datetime | None]:
    async with h.bot.db.session() as session:
        return [g.suggested_at for g in (await session.exec(select(CoffeeGroup))).all()]


async def test_the_default_hours_settings_shows_are_the_ones_matching_uses(
    harness: Harness,
) -> None:
    h = harness
    # Nobody chose hours. In December London's default day is 08:00-19:00 UTC and
    # Honolulu's 18:00-05:00 UTC: they share the hour from 18:00 UTC only if the matcher
    # uses the default the settings screen shows (9-17 would leave them no time at all).
    activity_id = await start(h, {"U0ADA01": SAME, "U0KAI02": ("ops", "Pacific/Honolulu")})
    for user in ("U0ADA01", "U0KAI02"):
        said = reply_text(await h.command(user, "/coffee", "settings"))
        assert "08:00–19:00, mon-fri" in said, said
    assert "until you set them: 08:00–19:00, mon-fri" in reply_text(
        await h.command("U0ADA01", "/coffee", "help")
    )
    groups = await round_groups(h, activity_id)
    assert groups == [frozenset({"U0ADA01", "U0KAI02"})]
    assert await suggested_times(h) == [datetime(2026, 12, 1, 18, 0, tzinfo=UTC)]


async def test_working_days_decide_who_can_meet_and_on_which_day(harness: Harness) -> None:
    h = harness
    # Teams alone would mix red with blue; but the reds work Monday and Tuesday and the
    # blues Wednesday and Thursday, so only red with red and blue with blue can meet.
    red, blue = ("red", "Europe/London"), ("blue", "Europe/London")
    activity_id = await start(h, {"U0ADA01": red, "U0BEA02": red, "U0CAT03": blue, "U0DON04": blue})
    for user, week in (
        ("U0ADA01", "8-19 mon-tue"),
        ("U0BEA02", "8-19 mon,tue"),
        ("U0CAT03", "8-19 wed-thu"),
        ("U0DON04", "8-19 wed,thu"),
    ):
        assert "Noted" in reply_text(await h.command(user, "/coffee", f"hours {week}"))
    groups = await round_groups(h, activity_id)
    assert sorted(groups, key=sorted) == [
        frozenset({"U0ADA01", "U0BEA02"}),
        frozenset({"U0CAT03", "U0DON04"}),
    ]
    async with h.bot.db.session() as session:
        rows = (await session.exec(select(CoffeeGroup))).all()
    # The round starts on Monday 30 November: each pair is offered its first common day.
    days = {frozenset(r.members): r.suggested_at for r in rows}
    assert days[frozenset({"U0ADA01", "U0BEA02"})] == datetime(2026, 12, 1, 13, 0, tzinfo=UTC)
    assert days[frozenset({"U0CAT03", "U0DON04"})] == datetime(2026, 12, 2, 13, 0, tzinfo=UTC)


async def test_history_lists_the_people_met_not_oneself(harness: Harness) -> None:
    h = harness
    activity_id = await start(h, {"U0ADA01": SAME, "U0BEA02": SAME})
    await round_groups(h, activity_id)
    history = reply_text(await h.command("U0ADA01", "/coffee", "history"))
    assert "<@U0BEA02>" in history and "<@U0ADA01>" not in history, history


async def test_bad_working_hours_are_refused_with_an_example(harness: Harness) -> None:
    h = harness
    await start(h, {"U0ADA01": SAME, "U0BEA02": SAME})
    said = reply_text(await h.command("U0ADA01", "/coffee", "hours <!channel>"))
    assert said.startswith("⚠️") and "/coffee hours 8-16" in said and "<!channel>" not in said
