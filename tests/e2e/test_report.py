"""The community report end to end: a month of seeded activity (coffee and breakfast
rounds with check-ins, named and anonymous polls, RSVPs, reactions and replies, wins,
thanks) asked for by an organiser and a sponsor; its numbers recomputed here straight
from the tables; the chart through the two-step upload and the CSV by DM; bad periods,
channels and a member refused. Then the monthly report on the first working day, once."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlmodel import select

from activities.roles import SPONSORS_ONLY
from bot.sandbox.server import DEFAULT_TEAM_ID as TEAM
from storage import engagement
from storage.engagement import Engagement, Mark, Post
from storage.kinds.coffee.models import CoffeeCheckin, CoffeeGroup, CoffeeRound
from storage.kinds.poll.models import Poll, PollVote
from storage.models import (
    Activity,
    OutboxMessage,
    Role,
    RoleTerm,
    Rsvp,
    RsvpEvent,
    Run,
    Thanks,
    Win,
)
from tests.e2e.harness import Harness, eventually, reply_text

CHANNEL = "C0COMMUNITY"
PEOPLE = [f"U{n:02d}" for n in range(1, 21)]
NOV = datetime(2026, 11, 1, tzinfo=UTC)
DEC = datetime(2026, 12, 1, tzinfo=UTC)


def at(day: int, month: int = 11) -> datetime:
    return datetime(2026, month, day, 12, tzinfo=UTC)


async def seed(h: Harness) -> None:
    """A month of activity (and a little of October to compare with), stored as the
    kinds store it; organiser UORG and sponsor USPON hold their terms."""
    h.slack.add_user("USPON", "spencer")
    h.slack.channels[CHANNEL].members.extend(PEOPLE)
    async with h.bot.db.session() as s:
        s.add(Role(team_id=TEAM, key="sponsor", name="Sponsor"))
        for user, role in (("UORG", "organiser"), ("USPON", "sponsor")):
            s.add(
                RoleTerm(
                    team_id=TEAM,
                    user_id=user,
                    role=role,
                    starts_on=date(2026, 1, 1),
                    ends_on=date(2027, 6, 30),
                )
            )
        for kind, groups in (
            (
                "coffee",
                [
                    (["U01", "U02"], {"U01": "met"}),
                    (["U03", "U04"], {"U03": "not_yet"}),
                    (["U05", "U06", "U07"], {}),
                ],
            ),
            ("breakfast", [(["U08", "U09", "U10"], {"U09": "met", "U10": "met"})]),
        ):
            activity = Activity(
                team_id=TEAM, kind=kind, channel_id=CHANNEL, state="finished", config={}
            )
            s.add(activity)
            await s.flush()
            assert activity.id is not None
            run = Run(team_id=TEAM, activity_id=activity.id, scheduled_for=at(3))
            s.add(run)
            await s.flush()
            assert run.id is not None
            rnd = CoffeeRound(
                team_id=TEAM,
                activity_id=activity.id,
                run_id=run.id,
                status="started",
                started_at=at(3),
                checkin_at=at(6),
                ends_at=at(17),
                checkin_sent_at=at(6),
                summary_sent_at=at(17),
                participant_count=7,
                group_count=len(groups),
            )
            s.add(rnd)
            await s.flush()
            assert rnd.id is not None
            for members, answers in groups:
                group = CoffeeGroup(team_id=TEAM, round_id=rnd.id, members=members)
                s.add(group)
                await s.flush()
                assert group.id is not None
                for user, answer in answers.items():
                    s.add(
                        CoffeeCheckin(
                            team_id=TEAM, group_id=group.id, user_id=user, answer=answer, at=at(7)
                        )
                    )
        for when, anonymous, voters in (
            (at(10), False, ["U01", "U11"]),
            (at(12), True, ["h-anon-1", "h-anon-2", "h-anon-3"]),
            (at(5, 10), False, ["U01", "U12"]),
        ):
            poll = Poll(
                team_id=TEAM,
                channel_id=CHANNEL,
                creator_id="UORG",
                question="?",
                options=["a", "b"],
                anonymous=anonymous,
                created_at=when,
                closed_at=when + timedelta(days=1),
            )
            s.add(poll)
            await s.flush()
            assert poll.id is not None
            for i, voter in enumerate(voters):
                s.add(
                    PollVote(
                        team_id=TEAM,
                        poll_id=poll.id,
                        voter_key=voter,
                        option_index=i % 2,
                        voted_at=when + timedelta(hours=1),
                    )
                )
        s.add(
            RsvpEvent(
                team_id=TEAM,
                event_key="talk:1",
                title="A talk",
                channel_id=CHANNEL,
                starts_at=at(18),
            )
        )
        for user, answer in (("U13", "going"), ("U14", "maybe"), ("U15", "cant")):
            s.add(
                Rsvp(
                    team_id=TEAM, event_key="talk:1", user_id=user, answer=answer, updated_at=at(15)
                )
            )
        for key, intent, ts in (
            ("seed:advent", "advent.day", "1764000000.000100"),
            ("seed:prompt", "discussion.prompt", "1764000000.000200"),
        ):
            s.add(
                OutboxMessage(
                    team_id=TEAM,
                    intent=intent,
                    dedupe_key=key,
                    status="sent",
                    channel_id=CHANNEL,
                    ts=ts,
                    sent_at=at(1),
                )
            )
        day, prompt = (
            Post(TEAM, CHANNEL, "1764000000.000100"),
            Post(TEAM, CHANNEL, "1764000000.000200"),
        )
        for mark in (
            Mark.reaction(day, user_id="U16", name="tada", present=True, at="1.0"),
            Mark.reply(day, user_id="U17", reply_ts="1764000000.000900", present=True, at="1.0"),
            Mark.reaction(prompt, user_id="U02", name="+1", present=True, at="1.0"),
            Mark.reaction(prompt, user_id="U18", name="+1", present=False, at="1.0"),  # taken back
        ):
            await engagement.apply(s, mark, now=at(20))
        s.add(Win(team_id=TEAM, author_id="U19", credited=["U19", "U20"], created_at=at(20)))
        s.add(Thanks(team_id=TEAM, giver_id="U11", receiver_id="U12", created_at=at(21)))
        await s.commit()


async def recompute(h: Harness, start: datetime, end: datetime) -> dict[str, Any]:
    """The report's numbers from the tables, by this test's own reading of the rules."""
    async with h.bot.db.session() as s:

        def within(t: datetime | None) -> bool:
            return t is not None and start <= t < end

        def before(t: datetime | None) -> bool:
            return t is not None and t < start

        people: set[str] = set()
        earlier: set[str] = set()
        rounds = {r.id: r for r in (await s.exec(select(CoffeeRound))).all()}
        kinds = {a.id: a.kind for a in (await s.exec(select(Activity))).all()}
        answers: dict[int, list[CoffeeCheckin]] = {}
        for c in (await s.exec(select(CoffeeCheckin))).all():
            answers.setdefault(c.group_id, []).append(c)
        groups = {"coffee": [0, 0, 0], "breakfast": [0, 0, 0]}  # made, answered, met
        for g in (await s.exec(select(CoffeeGroup))).all():
            rnd = rounds[g.round_id]
            got = answers.get(g.id or 0, [])
            met = any(c.answer == "met" for c in got)
            who = {c.user_id for c in got} | (set(g.members) if met else set())
            if within(rnd.started_at):
                people |= who
                tally = groups[kinds[rnd.activity_id]]
                tally[0] += 1
                tally[1] += bool(got)
                tally[2] += met
        polls = {p.id: p for p in (await s.exec(select(Poll))).all()}
        responses: set[tuple[int, str]] = set()
        for v in (await s.exec(select(PollVote))).all():
            poll = polls[v.poll_id]
            if within(poll.created_at):
                responses.add((v.poll_id, v.voter_key))
            if not poll.anonymous:
                (people if within(v.voted_at) else earlier if before(v.voted_at) else set()).add(
                    v.voter_key
                )
        events = {e.event_key: e for e in (await s.exec(select(RsvpEvent))).all()}
        rsvps = {"going": 0, "maybe": 0}
        for r in (await s.exec(select(Rsvp))).all():
            if r.answer in rsvps and within(events[r.event_key].starts_at):
                rsvps[r.answer] += 1
                people.add(r.user_id)
        posts = {
            (o.channel_id, o.ts): o.intent.split(".")[0]
            for o in (await s.exec(select(OutboxMessage))).all()
            if o.ts
        }
        engagement: dict[str, int] = {}
        for e in (await s.exec(select(Engagement))).all():
            if e.present and within(e.updated_at):
                name = f"{posts[(e.channel_id, e.message_ts)]}.{e.kind}"
                engagement[name] = engagement.get(name, 0) + 1
                people.add(e.user_id)
        wins = [w for w in (await s.exec(select(Win))).all() if within(w.created_at)]
        for w in wins:
            people |= {w.author_id, *w.credited}
        thanks = [t for t in (await s.exec(select(Thanks))).all() if within(t.created_at)]
        for t in thanks:
            people |= {t.giver_id, t.receiver_id}
    members = h.slack.channels[CHANNEL].members
    return {
        "people": len(people),
        "new": len(people - earlier),
        "returning": len(people & earlier),
        "share": len(people & set(members)) / len(members),
        "groups": groups,
        "polls": sum(within(p.created_at) for p in polls.values()),
        "responses": len(responses),
        "rsvps": rsvps,
        "engagement": engagement,
        "wins": len(wins),
        "thanks": len(thanks),
    }


def figures_of(content: bytes) -> dict[tuple[str, str], str]:
    rows = list(csv.reader(io.StringIO(content.decode())))
    return {(row[0], row[1]): row[2] for row in rows[1:] if len(row) == 5}


def uploads_to(h: Harness, user: str, ending: str) -> list[dict[str, Any]]:
    dm = h.slack.dm_channel(user)
    return [
        f
        for f in h.slack.uploaded_files.values()
        if f["channel_id"] == dm and f["filename"].endswith(ending)
    ]


async def community(h: Harness, user: str, text: str) -> str:
    return reply_text(await h.command(user, "/community", text, channel_id=CHANNEL))


async def test_a_month_of_activity_gives_a_report_the_database_agrees_with(
    harness: Harness,
) -> None:
    h = harness
    await seed(h)
    h.clock.set(datetime(2026, 12, 2, 10, tzinfo=UTC))
    expected = await recompute(h, NOV, DEC)
    assert expected["people"] == 14 and expected["new"] == 12  # the seed is what it says

    # Who may not, and bad input: each a clear ephemeral answer, nothing sent.
    assert SPONSORS_ONLY in await community(h, "UMEM", "report")
    assert "in the future" in await community(h, "UORG", "report 2027-01")
    assert "isn't over yet" in await community(h, "UORG", "report 2026-12")
    assert "isn't a period" in await community(h, "UORG", "report someday")
    assert "couldn't find the channel" in await community(h, "UORG", "report <#CNOPE>")
    said = await community(h, "UORG", "report 2026-06")
    assert "Nothing was recorded" in said and "no chart" in said
    assert h.slack.calls_to("files.getUploadURLExternal") == []

    response = await h.command("UORG", "/community", "report", channel_id=CHANNEL)
    body = response.json if isinstance(response.json, dict) else {}
    shown = "\n".join(str(b.get("text", {}).get("text", "")) for b in body["blocks"])
    assert f"Members who took part: *{expected['people']}*" in shown, shown
    assert "U0" not in shown and "U1" not in shown  # numbers only, nobody named
    await h.settle(limit=60)
    await eventually(lambda: len(uploads_to(h, "UORG", ".csv")) == 1, 60)
    png = uploads_to(h, "UORG", ".png")
    assert len(png) == 1 and png[0]["content"].startswith(b"\x89PNG")
    # Both through the two-step upload: an upload URL each, then completed.
    assert len(h.slack.calls_to("files.getUploadURLExternal")) == 2
    assert len(h.slack.calls_to("files.completeUploadExternal")) == 2

    got = figures_of(uploads_to(h, "UORG", ".csv")[0]["content"])
    assert got[("Participation", "Members who took part")] == str(expected["people"])
    assert got[("Participation", "New (first time)")] == str(expected["new"])
    assert got[("Participation", "Returning")] == str(expected["returning"])
    share = float(got[("Participation", "Share of the channel's members")])
    assert abs(share - expected["share"]) < 1e-4
    for kind, label in (("coffee", "Coffee pairings"), ("breakfast", "Breakfast switch-ups")):
        made, answered, met = expected["groups"][kind]
        assert got[(label, "Groups made")] == str(made)
        assert float(got[(label, "Met rate (of groups that answered)")]) == met / answered
    assert got[("Polls", "Polls run")] == str(expected["polls"])
    assert got[("Polls", "Responses")] == str(expected["responses"])
    assert got[("Events (RSVPs)", "RSVPs going")] == str(expected["rsvps"]["going"])
    assert got[("Events (RSVPs)", "RSVPs maybe")] == str(expected["rsvps"]["maybe"])
    engagement = expected["engagement"]
    assert got[("Advent of learning", "Reactions")] == str(engagement["advent.reaction"])
    assert got[("Advent of learning", "Replies")] == str(engagement["advent.reply"])
    assert got[("Topic discussions", "Reactions")] == str(engagement["discussion.reaction"])
    assert got[("Wins", "Wins shared")] == str(expected["wins"])
    assert got[("Thanks", "Thanks given")] == str(expected["thanks"])

    # A sponsor may ask too, for one channel's activities.
    said = await community(h, "USPON", f"report 2026-11 <#{CHANNEL}>")
    assert "Community report for November 2026" in said, said
    await h.settle(limit=60)
    await eventually(lambda: len(uploads_to(h, "USPON", ".png")) == 1, 60)


async def test_the_monthly_report_goes_out_on_the_first_working_day_once(
    harness: Harness,
) -> None:
    h = harness
    await h.stop()
    await h.start(MONTHLY_REPORT="on")
    await seed(h)
    h.clock.set(datetime(2026, 12, 1, 7, tzinfo=UTC))  # a Tuesday, before the hour
    await h.tick()
    await h.settle(limit=60)
    assert uploads_to(h, "UORG", ".png") == []
    h.clock.set(datetime(2026, 12, 1, 9, tzinfo=UTC))
    for _ in range(2):
        await h.tick()
        await h.settle(limit=60)
    await h.stop()
    await h.start(MONTHLY_REPORT="on")
    await h.tick()
    await h.settle(limit=60)
    for user in ("UORG", "USPON"):
        figures = [
            m
            for m in h.slack.dm_messages(user)
            if "Community report" in str(m["text"]) and not m.get("files")
        ]
        assert len(figures) == 1, h.slack.dm_messages(user)
        assert len(uploads_to(h, user, ".png")) == 1
        assert len(uploads_to(h, user, ".csv")) == 1
    assert [m for m in h.slack.dm_messages("UMEM") if "report" in str(m.get("text"))] == []
