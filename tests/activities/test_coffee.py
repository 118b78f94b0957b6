"""Coffee use-cases against a real database and a plain fake directory."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from activities import manage
from activities.actor import Actor
from activities.channels import ChannelAccess
from activities.errors import UserError
from activities.forms import FormContext, Inputs
from activities.kind import Profile
from activities.kinds.coffee import rules
from activities.kinds.coffee import use_cases as coffee
from storage.db import Database
from storage.kinds.coffee.models import CoffeeGroup, CoffeeRound, CoffeeRoundStatus
from storage.models import OutboxMessage
from tests.kinds import CATALOG, create_activity

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
TEAM = "T1"
CHANNEL = "CCOFFEE"
ORGANISER = "UORG"


class FakeDirectory:
    def __init__(self, channels: dict[str, list[str]], profiles: dict[str, Profile]) -> None:
        self.channels = channels
        self.people = profiles

    async def channel_members(self, team_id: str, channel_id: str) -> list[str]:
        return list(self.channels.get(channel_id, []))

    async def profile(self, team_id: str, user_id: str) -> Profile | None:
        return self.people.get(user_id)

    async def profiles(self, team_id: str, user_ids: Sequence[str]) -> dict[str, Profile]:
        return {u: self.people[u] for u in user_ids if u in self.people}

    async def channels_of(self, team_id: str, user_ids: Sequence[str]) -> dict[str, frozenset[str]]:
        return {u: frozenset(c for c, m in self.channels.items() if u in m) for u in user_ids}

    async def channel_access(self, team_id: str, channel_id: str, user_id: str) -> ChannelAccess:
        return "public"


def people(count: int) -> dict[str, Profile]:
    zones = ["Europe/London", "Europe/Paris", "America/New_York"]
    found = {
        f"U{i:02d}": Profile(f"U{i:02d}", timezone=zones[i % 3], title=f"team {i % 2}")
        for i in range(count)
    }
    found["UBOT"] = Profile("UBOT", is_bot=True)
    found["UGONE"] = Profile("UGONE", deleted=True)
    return found


async def make_activity(db: Database, kind: str = "coffee") -> int:
    activity = await create_activity(
        db,
        kind=kind,
        inputs={},
        team_id=TEAM,
        actor_id=ORGANISER,
        channel_id=CHANNEL,
        now=NOW,
    )
    assert activity.id is not None
    return activity.id


async def run_round(db: Database, activity_id: int, directory: FakeDirectory, now: datetime) -> int:
    async with db.session() as session:
        outcome = await manage.run_now(
            session,
            Actor(team_id=TEAM, user_id=ORGANISER, now=now),
            activity_id=activity_id,
            directory=directory,
            catalog=CATALOG,
        )
    assert outcome.run is not None and outcome.run.id is not None
    started = await coffee.start_pending(db.session, directory=directory, now=now)
    async with db.session() as session:
        rnd = (
            await session.exec(select(CoffeeRound).where(CoffeeRound.run_id == outcome.run.id))
        ).one()
    assert rnd.id is not None
    assert rnd.id in started
    return rnd.id


async def groups_of(db: Database, round_id: int) -> list[list[str]]:
    async with db.session() as session:
        rows = await session.exec(select(CoffeeGroup).where(CoffeeGroup.round_id == round_id))
        return [list(g.members) for g in rows.all()]


def pairs(groups: list[list[str]]) -> set[frozenset[str]]:
    return {frozenset(p) for g in groups for p in itertools.combinations(g, 2)}


def parse(kind: str, **inputs: str) -> tuple[str, rules.CoffeeSettings]:
    draft = rules.parse(Inputs(inputs), FormContext(kind=kind, timezone="UTC", now=NOW))
    return draft.schedule_text, draft.settings


def test_options_defaults_and_schedule_text() -> None:
    text, opts = parse("coffee")
    assert (text, opts.size, opts.weeks, opts.icebreakers) == ("every monday 09:00", 2, 1, True)
    text, two = parse("breakfast", every="2w", day="tue", time="10:30", icebreakers="off")
    assert text == "every 2 weeks on tuesday 10:30"
    assert (two.size, two.weeks, two.icebreakers) == (3, 2, False)


@pytest.mark.parametrize(
    ("field", "value"),
    [("every", "3d"), ("day", "someday"), ("time", "25:00"), ("size", "7"), ("icebreakers", "x")],
)
def test_bad_options_say_what_and_show_an_example(field: str, value: str) -> None:
    with pytest.raises(UserError, match="/community new coffee") as raised:
        parse("coffee", **{field: value})
    assert raised.value.field == field


def test_pause_parsing() -> None:
    with pytest.raises(UserError, match="/coffee pause 2w"):
        rules.parse_pause([], now=NOW, timezone="UTC")
    assert rules.parse_pause(["2w"], now=NOW, timezone="UTC") == NOW + timedelta(weeks=2)
    until = rules.parse_pause(["until", "2027-01-10"], now=NOW, timezone="Europe/Paris")
    assert until == datetime(2027, 1, 9, 23, 0, tzinfo=UTC)
    with pytest.raises(UserError):
        rules.parse_pause(["until", "2020-01-01"], now=NOW, timezone="UTC")


async def test_rounds_cover_everyone_once_avoid_repeats_and_skip_paused(db: Database) -> None:
    everyone = people(9)
    directory = FakeDirectory({CHANNEL: [*sorted(everyone), "USLACKBOT"]}, everyone)
    activity_id = await make_activity(db)
    first = await groups_of(db, await run_round(db, activity_id, directory, NOW))
    humans = sorted(u for u in everyone if u.startswith("U0"))
    assert sorted(u for g in first for u in g) == humans  # bots, deactivated left out
    assert sorted(len(g) for g in first) == [2, 2, 2, 3]

    async with db.session() as session:
        await coffee.pause_until(
            session, Actor(team_id=TEAM, user_id="U00", now=NOW), until=NOW + timedelta(days=10)
        )
    second_round = await run_round(db, activity_id, directory, NOW + timedelta(weeks=1))
    second = await groups_of(db, second_round)
    assert "U00" not in {u for g in second for u in g}
    assert not pairs(first) & pairs(second)

    async with db.session() as session:
        intros = (
            await session.exec(select(OutboxMessage).where(OutboxMessage.intent == "coffee.intro"))
        ).all()
        rnd = await session.get(CoffeeRound, second_round)
        group = (await session.exec(select(CoffeeGroup).limit(1))).one()
    assert len(intros) == len(first) + len(second)
    assert rnd is not None and rnd.participant_count == 8 and rnd.group_count == 4
    assert rnd.checkin_at == NOW + timedelta(weeks=1, days=3, hours=12)
    assert group.icebreaker and group.suggested_at is not None


async def test_a_one_member_channel_skips_and_tells_the_organiser(db: Database) -> None:
    everyone = people(1)
    directory = FakeDirectory({CHANNEL: sorted(everyone)}, everyone)
    activity_id = await make_activity(db)
    round_id = await run_round(db, activity_id, directory, NOW)
    async with db.session() as session:
        rnd = await session.get(CoffeeRound, round_id)
        notices = (
            await session.exec(
                select(OutboxMessage).where(OutboxMessage.intent == "organiser.notice")
            )
        ).all()
    assert rnd is not None and rnd.status == CoffeeRoundStatus.SKIPPED
    assert len(notices) == 1 and notices[0].payload["user_id"] == ORGANISER
    assert "only 1 person" in notices[0].payload["text"]


async def test_checkins_and_summary_are_sent_when_due(db: Database) -> None:
    everyone = people(4)
    directory = FakeDirectory({CHANNEL: sorted(everyone)}, everyone)
    activity_id = await make_activity(db, "breakfast")
    round_id = await run_round(db, activity_id, directory, NOW)
    groups = await groups_of(db, round_id)
    assert [len(g) for g in groups] == [4]
    async with db.session() as session:
        assert await coffee.send_due(session, now=NOW + timedelta(days=1)) == 0
        assert await coffee.send_due(session, now=NOW + timedelta(days=4)) == 1
        group = (await session.exec(select(CoffeeGroup))).one()
        assert group.id is not None
        await coffee.record_checkin(
            session,
            Actor(team_id=TEAM, user_id=groups[0][0], now=NOW),
            group_id=group.id,
            answer="not_yet",
        )
        await coffee.record_checkin(
            session,
            Actor(team_id=TEAM, user_id=groups[0][0], now=NOW),
            group_id=group.id,
            answer="met",
        )
        with pytest.raises(UserError):
            await coffee.record_checkin(
                session,
                Actor(team_id=TEAM, user_id="UBOT", now=NOW),
                group_id=group.id,
                answer="met",
            )
        assert await coffee.send_due(session, now=NOW + timedelta(days=8)) == 1
        assert await coffee.send_due(session, now=NOW + timedelta(days=9)) == 0
        result = await coffee.outcome(session, round_id=round_id)
    assert (result.groups, result.met) == (1, 1)


async def test_member_controls(db: Database) -> None:
    everyone = people(3)
    async with db.session() as session:
        with pytest.raises(UserError, match="yourself"):
            await coffee.avoid(
                session,
                Actor(team_id=TEAM, user_id="U00", now=NOW),
                target_id="U00",
                target=everyone["U00"],
            )
        with pytest.raises(UserError, match="bot"):
            await coffee.avoid(
                session,
                Actor(team_id=TEAM, user_id="U00", now=NOW),
                target_id="UBOT",
                target=everyone["UBOT"],
            )
        await coffee.avoid(
            session,
            Actor(team_id=TEAM, user_id="U00", now=NOW),
            target_id="U01",
            target=everyone["U01"],
        )
        await coffee.leave(session, Actor(team_id=TEAM, user_id="U02", now=NOW))
    async with db.session() as session:
        mine = await coffee.status(session, Actor(team_id=TEAM, user_id="U00", now=NOW))
        out = await coffee.status(session, Actor(team_id=TEAM, user_id="U02", now=NOW))
        assert mine.avoid == ["U01"] and mine.state == "in" and out.state == "out"
        assert await coffee.unavoid(
            session, Actor(team_id=TEAM, user_id="U00", now=NOW), target_id="U01"
        )
        await coffee.join(session, Actor(team_id=TEAM, user_id="U02", now=NOW))
        assert (
            await coffee.status(session, Actor(team_id=TEAM, user_id="U02", now=NOW))
        ).state == "in"


async def test_two_ticks_racing_for_a_pending_round_match_it_once(db: Database) -> None:
    import asyncio

    activity_id = await make_activity(db)
    directory = FakeDirectory({CHANNEL: list(people(8))}, people(8))
    async with db.session() as session:
        await manage.run_now(
            session,
            Actor(team_id=TEAM, user_id=ORGANISER, now=NOW),
            activity_id=activity_id,
            directory=directory,
            catalog=CATALOG,
        )
    results = await asyncio.gather(
        *(coffee.start_pending(db.session, directory=directory, now=NOW) for _ in range(3))
    )
    assert sorted(len(r) for r in results) == [0, 0, 1]
    async with db.session() as session:
        groups = (await session.exec(select(CoffeeGroup))).all()
    assert len(groups) == 4  # 8 people, one set of pairs — not two


def test_hours_that_leave_no_time_or_are_out_of_range_are_refused_clearly() -> None:
    import pytest

    from activities.errors import UserError
    from activities.kinds.coffee.rules import parse_hours

    for text, says in (
        ("9-9", "leaves no time at all"),
        ("09-9", "leaves no time at all"),
        ("8-25", "from 0 to 24"),
        ("24-6", "from 0 to 24"),
        ("8 to 4", "isn't a range of hours"),
    ):
        with pytest.raises(UserError, match=says):
            parse_hours(text)
    assert parse_hours("0-24") == (0, 24) and parse_hours("22-6") == (22, 6)
