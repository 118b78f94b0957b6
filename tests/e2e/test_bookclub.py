"""A book club end to end, as members and an organiser would use it, with the clock moved:
proposals (command and modal), +1s, a vote through the poll, the winner, a plan, weekly
milestones, a meeting with RSVPs and reminders in two time zones, the history entry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import select

from bot.sandbox.driver import text_value
from storage.kinds.bookclub.models import BookMilestone, BookProposal, BookRound
from storage.kinds.poll.models import Poll
from storage.models import Activity
from tests.e2e.harness import ADMIN, Harness, eventually, reply_text

CHANNEL = "C0COMMUNITY"


async def rows(h: Harness, model: Any) -> list[Any]:
    async with h.bot.db.session() as session:
        return list((await session.exec(select(model).order_by(model.id))).all())


async def bookclub(h: Harness, user: str, text: str) -> str:
    return reply_text(await h.command(user, "/community", f"bookclub {text}", channel_id=CHANNEL))


def posted(h: Harness, fragment: str, channel: str = CHANNEL) -> list[dict[str, Any]]:
    return [m for m in h.slack.messages(channel) if fragment in str(m.get("text"))]


def board(h: Harness) -> dict[str, Any]:
    (found,) = posted(h, "proposed books")
    return found


async def clicked_says(h: Harness, user: str, fragment: str) -> None:
    await eventually(
        lambda: any(fragment in str(m.get("text")) for m in h.slack.ephemerals_to(user))
    )


async def move_to(h: Harness, when: datetime, *, ticks: int = 1) -> None:
    h.clock.set(when)
    for _ in range(ticks):
        await h.tick()
        await h.settle()
        # Threads under a new message, and coalesced updates, go out a moment later.
        h.clock.advance(timedelta(seconds=2))
        await h.settle()


async def test_a_book_club_from_proposals_to_history(harness: Harness) -> None:
    h = harness
    created = reply_text(
        await h.command(
            ADMIN,
            "/community",
            'new bookclub #community "every 4 weeks on thursday 12:30" --tz Europe/London '
            '--call-link https://meet.example.org/books --prompts "What surprised you?"',
            channel_id=CHANNEL,
        )
    )
    assert "✅ Book club" in created, created
    (club,) = await rows(h, Activity)

    # Proposals: a command, a duplicate in other case (merged into a +1), a refusal, a vote refused.
    said = await bookclub(h, "UMEM", 'propose "Piranesi" by Susanna Clarke https://example.org/p')
    assert "Proposed" in said, said
    assert "already proposed" in await bookclub(h, "UORG", 'propose "piranesi" by susanna  CLARKE')
    assert "needs a title" in await bookclub(h, "UMEM", "propose")
    assert "only organisers" in (await bookclub(h, "UMEM", f"vote {club.id}")).lower()
    assert "at least 2" in await bookclub(h, ADMIN, f"vote {club.id}")
    assert await rows(h, Poll) == []
    h.clock.advance(timedelta(seconds=2))
    await h.settle()
    assert "Piranesi" in str(board(h)["blocks"]) and "+1 (2)" in str(board(h)["blocks"])

    # The board's "Propose a book" opens the modal; an empty title stays in the modal.
    await h.say.click("UORG", board(h), "bookclub_propose", value=str(club.id))
    await eventually(lambda: bool(h.slack.opened_views))
    view = h.slack.opened_views[-1]
    refused = await h.say.submit_view("UORG", view, {"title": {"title": text_value("  ")}})
    assert "title" in refused.json["errors"]
    ok = await h.say.submit_view(
        "UORG",
        view,
        {
            "title": {"title": text_value("The Dispossessed")},
            "author": {"author": text_value("Ursula K. Le Guin")},
            "why": {"why": text_value("Anarchists on the moon")},
        },
    )
    assert ok.status == 200 and not ok.body.strip("{} ")
    await bookclub(h, ADMIN, 'propose "Circe" by Madeline Miller')
    assert len(await rows(h, BookProposal)) == 3
    dispossessed = next(p for p in await rows(h, BookProposal) if p.title == "The Dispossessed")
    circe = next(p for p in await rows(h, BookProposal) if p.title == "Circe")
    assert "Only the person who proposed" in await bookclub(h, "UMEM", f"withdraw {circe.id}")
    h.clock.advance(timedelta(seconds=2))
    await h.settle()
    await h.say.click("UMEM", board(h), "bookclub_upvote", value=str(dispossessed.id))
    await clicked_says(h, "UMEM", "+1 for")
    h.clock.advance(timedelta(seconds=2))
    await h.settle()
    assert str(board(h)["blocks"]).count("+1 (2)") == 2

    # The vote is a poll (the poll kind's own message), tied to the club.
    assert "vote is open" in await bookclub(h, ADMIN, f"vote {club.id} --closes 2d")
    (poll,) = await rows(h, Poll)
    assert poll.activity_id == club.id
    assert poll.options == [
        "Piranesi by Susanna Clarke",
        "The Dispossessed by Ursula K. Le Guin",
        "Circe by Madeline Miller",
    ]
    assert "already open" in await bookclub(h, ADMIN, f"vote {club.id}")
    await h.settle()
    poll_message = h.slack.last_message(CHANNEL)
    for user, option in (("UMEM", 1), ("UORG", 1), (ADMIN, 0)):
        await h.say.click(user, poll_message, "poll_vote", value=f"{poll.id}:{option}")
        await clicked_says(h, user, "You voted for")

    await h.restart()  # nothing is lost or sent twice across a restart
    await move_to(h, h.clock.now() + timedelta(days=2, minutes=1), ticks=2)
    (winner,) = posted(h, "Our next book")
    assert "The Dispossessed" in winner["text"] and "2 runners-up" in winner["text"]
    proposals = {p.title: p.status for p in await rows(h, BookProposal)}
    assert proposals == {"Piranesi": "proposed", "The Dispossessed": "current", "Circe": "proposed"}
    h.clock.advance(timedelta(seconds=2))
    await h.settle()
    assert "Now reading" in str(board(h)["blocks"]) and "+1 (2)" in str(board(h)["blocks"])

    # The plan: bad dates and too many sections are refused with nothing saved.
    assert "in the past" in await bookclub(
        h, ADMIN, f'plan {club.id} --meeting 2026-11-01 --sections "Ch 1"'
    )
    too_many = await bookclub(
        h, ADMIN, f'plan {club.id} --meeting 2026-12-31 --sections "1; 2; 3; 4; 5"'
    )
    assert "5 sections but only 4 weeks" in too_many and "one section per meeting" in too_many
    assert await rows(h, BookMilestone) == []
    said = await bookclub(
        h, ADMIN, f'plan {club.id} --meeting 2026-12-31 --sections "Ch 1-3; Ch 4-6; Ch 7-9"'
    )
    assert "3 weekly milestones" in said, said
    meeting_at = datetime(2026, 12, 31, 12, 30, tzinfo=UTC)  # London is on UTC in winter
    assert [m.due_at for m in await rows(h, BookMilestone)] == [
        meeting_at - timedelta(weeks=4),
        meeting_at - timedelta(weeks=3),
        meeting_at - timedelta(weeks=2),
    ]

    # Weekly milestones, each with its spoiler-safe thread and progress counted on it.
    for week, section in enumerate(("Ch 1-3", "Ch 4-6", "Ch 7-9")):
        await move_to(h, meeting_at - timedelta(weeks=4 - week) + timedelta(minutes=1), ticks=2)
        (milestone,) = posted(h, f"for The Dispossessed: {section}")
        assert "thread_ts" in milestone and milestone.get("reply_count") == 1
        if week == 1:
            await h.restart()
            await h.tick()
            await h.settle()
            assert len(posted(h, f"for The Dispossessed: {section}")) == 1
    last = posted(h, "for The Dispossessed: Ch 7-9")[0]
    (last_row,) = [m for m in await rows(h, BookMilestone) if m.section == "Ch 7-9"]
    for user in ("UMEM", "UORG"):
        await h.say.click(user, last, "bookclub_progress_finished", value=str(last_row.id))
        await clicked_says(h, user, "Noted: Finished")
    await h.say.click(ADMIN, last, "bookclub_progress_on_track", value=str(last_row.id))
    h.clock.advance(timedelta(seconds=2))
    await h.settle()
    counted = posted(h, "for The Dispossessed: Ch 7-9")[0]
    assert "Finished (2)" in str(counted["blocks"]) and "I'm on track (1)" in str(counted["blocks"])

    # The meeting: RSVPs a week ahead, counted live.
    await move_to(h, meeting_at - timedelta(days=7) + timedelta(minutes=1))
    (rsvp,) = posted(h, "we meet to discuss The Dispossessed")
    key = f"bookclub:{club.id}:meeting:2026-12-31"
    for user, answer in (("UMEM", "going"), ("UORG", "going"), (ADMIN, "maybe")):
        await h.say.click(user, rsvp, f"rsvp_{answer}", value=key)
    await clicked_says(h, ADMIN, "maybe for")
    await clicked_says(h, "UMEM", "You're going")
    h.clock.advance(timedelta(seconds=2))
    await h.settle()
    live = posted(h, "we meet to discuss The Dispossessed")[0]
    assert "Going (2)" in str(live["blocks"]) and "Maybe (1)" in str(live["blocks"])

    # The Home tab lists a person's RSVPs, and proposes books too.
    await h.say.app_home_opened("UMEM")
    await eventually(lambda: "Your RSVPs" in str(h.slack.home_views.get("UMEM")))
    home = str(h.slack.home_views["UMEM"])
    assert "Book club: The Dispossessed" in home and "· Going" in home
    opened = len(h.slack.opened_views)
    await h.say.click_home("UMEM", "bookclub_propose", value=str(club.id))
    await eventually(lambda: len(h.slack.opened_views) > opened)
    assert h.slack.opened_views[-1]["callback_id"] == "bookclub_propose_modal"

    # Reminders to those going only, a day and 15 minutes before, each in their own zone.
    # In New York the meeting is at 07:30, before their working hours: the day-before
    # reminder waits for 08:00 there; the 15-minute one could only arrive once the
    # meeting has started, so it is dropped.
    await move_to(h, meeting_at - timedelta(days=1) + timedelta(minutes=1), ticks=2)
    assert not [m for m in h.slack.dm_messages("UMEM") if "the book club meets" in str(m)]
    await move_to(h, meeting_at - timedelta(days=1) + timedelta(minutes=31))  # 08:01 there
    assert [m for m in h.slack.dm_messages("UMEM") if "the book club meets" in str(m)]
    await move_to(h, meeting_at - timedelta(minutes=14), ticks=2)
    unix = int(meeting_at.timestamp())
    for user, local, stages in (
        ("UMEM", "07:30 EST", ["⏰ Tomorrow"]),
        ("UORG", "13:30 CET", ["⏰ Tomorrow", "⏰ In 15 minutes"]),
    ):
        texts = [str(m.get("text")) for m in h.slack.dm_messages(user)]
        reminders = [t for t in texts if "the book club meets" in t]
        assert [t.split(":")[0] for t in reminders] == stages, texts
        assert all(f"<!date^{unix}^" in t and local in t for t in reminders), reminders
    assert not any("book club meets" in str(m.get("text")) for m in h.slack.dm_messages(ADMIN))

    # At the start: the discussion with prompts and the call link; RSVPs are closed.
    await move_to(h, meeting_at + timedelta(minutes=1))
    (discussion,) = posted(h, "starts now")
    assert "What surprised you?" in discussion["text"] and "meet.example.org" in discussion["text"]
    await h.say.click("UMEM", rsvp, "rsvp_cant", value=key)
    await clicked_says(h, "UMEM", "This event has ended.")

    # Afterwards: the history entry, with how many finished.
    await move_to(h, meeting_at + timedelta(hours=1, minutes=1), ticks=2)
    (entry,) = posted(h, "Added to the books we read")
    assert "The Dispossessed" in entry["text"] and "2 finished" in entry["text"]
    history = await bookclub(h, "UMEM", f"history {club.id}")
    assert "The Dispossessed" in history and "2 finished" in history
    (round_,) = await rows(h, BookRound)
    assert round_.finished_at is not None and round_.finished_count == 2
