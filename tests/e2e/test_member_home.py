"""The members' part of the Home tab: open polls in their channels they have not voted in
(anonymous ones checked through the voter-key HMAC), each linked to its message; an
upcoming event's RSVP button (the calendar's "Coming up") answered from the tab, which is
redrawn after the click; their roles and terms."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from storage.kinds.poll.models import Poll, PollVote
from storage.models import Rsvp, RsvpEvent
from tests.e2e.harness import ADMIN, Harness, reply_text

CHANNEL = "C0COMMUNITY"
SECTION = "Open polls you haven't voted in"


async def home_of(h: Harness, user: str, count: int) -> str:
    await h.say.app_home_opened(user)
    await h.slack.wait_for("views.publish", count=count)
    return str(h.slack.home_views[user])


async def test_members_see_unvoted_polls_events_to_answer_and_their_terms(
    harness: Harness,
) -> None:
    h = harness
    h.slack.add_channel("C0ELSEWHERE", "elsewhere", ["UORG"])
    for channel, text in (
        (CHANNEL, '"Named?" "Yes" "No"'),
        (CHANNEL, '"Secret?" "Yes" "No" --anonymous'),
        ("C0ELSEWHERE", '"Not mine?" "Yes" "No"'),
    ):
        assert "✅" in reply_text(await h.command("UORG", "/poll", text, channel_id=channel))
    reply_text(await h.command(ADMIN, "/community", "roles assign <@UMEM> organiser"))
    async with h.bot.db.session() as session:
        session.add(
            RsvpEvent(
                team_id="T0001",
                event_key="talk:99",
                title="Vim for everyone",
                channel_id=CHANNEL,
                starts_at=h.clock.now() + timedelta(days=2),
            )
        )
    await h.settle()
    named, secret = [m for m in h.slack.messages(CHANNEL) if "?" in str(m.get("text"))][:2]
    async with h.bot.db.session() as session:
        polls = {p.question: p for p in (await session.exec(select(Poll))).all()}
    await h.say.click("UMEM", named, "poll_vote", value=f"{polls['Named?'].id}:0")

    shown = await home_of(h, "UMEM", 1)
    assert SECTION in shown and "Secret?" in shown
    assert f"https://slack.com/archives/{CHANNEL}/p" in shown
    assert "Named?" not in shown and "Not mine?" not in shown
    assert "Your roles and terms" in shown
    assert "Organiser from 2026-11-30 until *2027-11-29*" in shown
    assert "Vim for everyone" in shown and "rsvp_going" in shown

    await h.say.click_home("UMEM", "rsvp_going", "talk:99")
    await h.slack.wait_for("views.publish", count=2)  # the tab redraws after the click
    async with h.bot.db.session() as session:
        (answer,) = (await session.exec(select(Rsvp))).all()
    assert (answer.user_id, answer.answer) == ("UMEM", "going")

    await h.say.click("UMEM", secret, "poll_vote", value=f"{polls['Secret?'].id}:1")
    await h.settle()
    assert SECTION not in await home_of(h, "UMEM", 3)
    async with h.bot.db.session() as session:
        keys = [v.voter_key for v in (await session.exec(select(PollVote))).all()]
    assert sorted(k == "UMEM" for k in keys) == [False, True]  # the anonymous vote: an HMAC
