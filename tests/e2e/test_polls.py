"""Polls end to end: /poll and its modal, concurrent clicks, anonymity, deadlines, refusals."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from sqlmodel import select

from activities.kinds.poll import intents as poll_intents
from bot.sandbox.driver import channel_value, checkboxes_value, select_value, text_value
from storage import outbox
from storage.kinds.poll.models import Poll, PollVote
from tests.e2e.harness import ADMIN, Harness, eventually, reply_text

CHANNEL = "C0COMMUNITY"


async def polls(h: Harness) -> list[Poll]:
    async with h.bot.db.session() as session:
        return list((await session.exec(select(Poll).order_by(Poll.id))).all())  # type: ignore[arg-type]


async def votes(h: Harness) -> list[PollVote]:
    async with h.bot.db.session() as session:
        return list((await session.exec(select(PollVote))).all())


async def new_poll(h: Harness, text: str, user: str = "UMEM") -> tuple[int, dict[str, Any]]:
    said = reply_text(await h.command(user, "/poll", text, channel_id=CHANNEL))
    assert "✅" in said, said
    await h.settle()
    poll = (await polls(h))[-1]
    assert poll.id is not None
    return poll.id, h.slack.last_message(CHANNEL)


async def refresh(h: Harness) -> dict[str, Any]:
    """Let the coalesced update (at most one a second) go out, then read the message."""
    h.clock.advance(timedelta(seconds=2))
    await h.settle()
    return h.slack.last_message(CHANNEL)


async def ephemeral_says(h: Harness, user: str, fragment: str) -> None:
    """A click was answered through its response_url, ephemerally, to ``user`` alone.

    Never chat.postEphemeral: Slack allows ~100 of those a minute per workspace.
    """

    def answered() -> bool:
        replies = [
            c
            for c in h.slack.calls_to("response_url")
            if fragment in str(c.args.get("text")) and c.ok
        ]
        return all(
            c.args.get("response_type") == "ephemeral" and c.args.get("replace_original") is False
            for c in replies
        ) and any(fragment in str(m.get("text")) for m in h.slack.ephemerals_to(user))

    await eventually(answered)
    assert not any(fragment in str(c.args) for c in h.slack.calls_to("chat.postEphemeral"))


async def test_two_hundred_concurrent_voters_count_exactly_once(harness: Harness) -> None:
    h = harness
    poll_id, message = await new_poll(h, '"Lunch?" "Pizza" "Sushi" "Salad"')
    assert "Lunch?" in str(message["blocks"]) and h.slack.block_errors == []
    voters = [f"UV{i:04d}" for i in range(200)]
    for user in voters:
        h.slack.add_user(user, user.lower())
        h.slack.add_member(CHANNEL, user)
    responses = await asyncio.gather(
        *(
            h.say.click(u, message, "poll_vote", value=f"{poll_id}:{i % 3}")
            for i, u in enumerate(voters)
        )
    )
    assert all(r.status == 200 for r in responses)

    async def all_stored() -> bool:
        return len(await votes(h)) == 200

    await eventually(all_stored, 20)
    final = await refresh(h)
    assert "200 voters" in str(final["blocks"])
    updates = h.slack.calls_to("chat.update")
    assert 1 <= len(updates) <= 3  # coalesced: not one per vote
    await ephemeral_says(h, voters[0], "You voted for *Pizza*")


async def test_click_again_removes_and_single_choice_moves(harness: Harness) -> None:
    h = harness
    poll_id, message = await new_poll(h, '"Lunch?" "Pizza" "Sushi"')
    await h.say.click("UORG", message, "poll_vote", value=f"{poll_id}:0")
    await ephemeral_says(h, "UORG", "You voted for")
    await h.say.click("UORG", message, "poll_vote", value=f"{poll_id}:1")
    await ephemeral_says(h, "UORG", "moved to *Sushi*")
    rows = await votes(h)
    assert [(r.voter_key, r.option_index) for r in rows] == [("UORG", 1)]
    await h.say.click("UORG", message, "poll_vote", value=f"{poll_id}:1")
    await ephemeral_says(h, "UORG", "was removed")
    assert await votes(h) == []


async def test_poll_from_the_modal(harness: Harness) -> None:
    h = harness
    response = await h.command("UMEM", "/poll", "", channel_id=CHANNEL)
    assert response.status == 200
    await eventually(lambda: bool(h.slack.opened_views))  # opened after the ack
    view = h.slack.opened_views[-1]
    values: dict[str, dict[str, Any]] = {
        "question": {"question": text_value("Best day for drinks?")},
        "options": {"options": text_value("- Thursday\n- Friday")},
        "channel": {"channel": channel_value(CHANNEL)},
        "kind": {"kind": select_value("choice", "Multiple choice")},
        "settings": {"settings": checkboxes_value(["anonymous"])},
        "closes": {"closes": text_value("")},
    }
    bad = dict(values, options={"options": text_value("Thursday")})
    refused = await h.say.submit_view("UMEM", view, bad)
    assert refused.json["response_action"] == "errors"
    assert "options" in refused.json["errors"]
    past = dict(values, closes={"closes": text_value("2020-01-01")})
    refused = await h.say.submit_view("UMEM", view, past)
    assert "closes" in refused.json["errors"]
    assert await polls(h) == []

    ok = await h.say.submit_view("UMEM", view, values)
    assert ok.status == 200
    await h.settle()
    (poll,) = await polls(h)
    assert poll.anonymous and poll.options == ["Thursday", "Friday"]
    assert "Best day for drinks?" in str(h.slack.last_message(CHANNEL)["blocks"])


async def test_anonymous_poll_keeps_no_user_ids(harness: Harness) -> None:
    h = harness
    poll_id, message = await new_poll(h, '"Rate the offsite" "Good" "Bad" --anonymous', "UORG")
    await asyncio.gather(
        h.say.click("UMEM", message, "poll_vote", value=f"{poll_id}:0"),
        h.say.click(ADMIN, message, "poll_vote", value=f"{poll_id}:1"),
    )

    async def stored() -> bool:
        return len(await votes(h)) == 2

    await eventually(stored)
    rows = await votes(h)
    assert all(r.voter_key not in ("UMEM", ADMIN) and len(r.voter_key) == 64 for r in rows)
    final = await refresh(h)
    assert "UMEM" not in str(final) and ADMIN not in str(final)

    await h.say.click("UORG", final, "poll_menu", value=f"export:{poll_id}")
    await eventually(lambda: len(h.slack.uploaded_files) == 1)
    await h.settle()
    (upload,) = h.slack.uploaded_files.values()
    content = upload["content"]
    text = content.decode() if isinstance(content, bytes) else str(content)
    assert upload["filename"] == f"poll-{poll_id}.csv"
    assert "Good" in text and "UMEM" not in text and ADMIN not in text


async def test_deadline_closes_through_the_tick_even_after_restart(harness: Harness) -> None:
    h = harness
    poll_id, message = await new_poll(h, '"Pick one" "A" "B" --closes 3h')
    await h.say.click("UORG", message, "poll_vote", value=f"{poll_id}:1")
    await ephemeral_says(h, "UORG", "You voted for")
    await h.restart()
    h.clock.advance(timedelta(hours=2, minutes=10))
    await h.tick()
    await h.settle()
    reminders = [c for c in h.slack.calls_to("chat.postMessage") if "Last call" in str(c.args)]
    assert len(reminders) == 1  # one reminder about an hour before the deadline
    h.clock.advance(timedelta(hours=1))
    await h.tick()
    await h.settle()
    (poll,) = await polls(h)
    assert poll.closed_at is not None
    closed = h.slack.get_message(CHANNEL, message["ts"])
    assert closed is not None and "Closed" in str(closed["blocks"])
    assert "poll_vote" not in str(closed["blocks"])
    assert any("Poll closed: Pick one" in str(m.get("text")) for m in h.slack.dm_messages("UMEM"))

    # A stale client still showing the buttons: the vote is refused, nothing is stored.
    await h.say.raw_action(
        "UMEM",
        {
            "container": {"type": "message", "message_ts": message["ts"], "channel_id": CHANNEL},
            "channel": {"id": CHANNEL, "name": "community"},
            "actions": [
                {
                    "type": "button",
                    "action_id": "poll_vote",
                    "block_id": "b",
                    "value": f"{poll_id}:0",
                }
            ],
        },
    )
    await ephemeral_says(h, "UMEM", "This poll is closed")
    assert len(await votes(h)) == 1


async def test_bad_inputs_are_refused_and_change_nothing(harness: Harness) -> None:
    h = harness
    cases = {
        '"Only one?" "A"': "2 to 10 options",
        '"Too many?" ' + " ".join(f'"O{i}"' for i in range(11)): "2 to 10 options",
        '"" "A" "B"': "needs a question",
        '"Q?" "A" "B" --closes blorp': "Couldn't read the deadline",
        '"Q?" "A" "B" --closes 2020-01-01': "in the past",
        f'"Q?" "{"x" * 80}" "B"': "at most 75",
        '"Q?" "Tea" "tea"': "listed twice",
        '"Q?" "A" "B" --bogus': "Unknown option",
        "Which is best? Tea Coffee": "Put the question and each option in quotes",
        "What's best? Tea Coffee --multi": 'Example: `/poll "Which event next?"',
        '"Lunch?" "Pizza" "Sushi" --multi --choices 1': "keep one of them",
        '"Lunch?" "Pizza" "Sushi" --choices 1 --multi': "--multi --choices 2",
    }
    for text, expected in cases.items():
        said = reply_text(await h.command("UMEM", "/poll", text, channel_id=CHANNEL))
        assert expected in said, (text, said)
    assert await polls(h) == []

    _, message = await new_poll(h, '"Ping?" "<!channel>" "<@UADMIN> hi"')
    blocks = str(message["blocks"])
    assert "<!channel>" not in blocks and "&lt;!channel&gt;" in blocks
    assert "<@UADMIN>" not in blocks


async def test_command_errors_are_escaped_exactly_once(harness: Harness) -> None:
    h = harness
    # A syntax error's message is already escaped: it must not be escaped again.
    said = reply_text(
        await h.command("UMEM", "/poll", '"Lunch <!channel> & co', channel_id=CHANNEL)
    )
    assert "unclosed quote" in said, said
    assert (
        "&lt;!channel&gt; &amp; co" in said and "&amp;lt;" not in said and "&amp;amp;" not in said
    )
    # A poll error quoting what was typed is escaped once.
    said = reply_text(
        await h.command("UMEM", "/poll", '"Q?" "<!here>" "<!here>"', channel_id=CHANNEL)
    )
    assert '"&lt;!here&gt;" is listed twice' in said, said
    assert await polls(h) == []
    # Quotes anywhere, or a single word: not the "no quotes at all" refusal.
    said = reply_text(await h.command("UMEM", "/poll", "Lunch?", channel_id=CHANNEL))
    assert "2 to 10 options" in said, said
    said = reply_text(await h.command("UMEM", "/poll", 'Lunch? Pizza "Sushi"', channel_id=CHANNEL))
    assert "✅" in said, said


async def test_forged_click_and_deleted_poll_are_refused(harness: Harness) -> None:
    h = harness
    first_id, first = await new_poll(h, '"First?" "A" "B"', "UORG")
    second_id, _ = await new_poll(h, '"Second?" "C" "D"', "UORG")
    forged = {
        "container": {"type": "message", "message_ts": first["ts"], "channel_id": CHANNEL},
        "channel": {"id": CHANNEL, "name": "community"},
        "actions": [
            {"type": "button", "action_id": "poll_vote", "block_id": "b", "value": f"{second_id}:0"}
        ],
    }
    await h.say.raw_action("UMEM", forged)
    await ephemeral_says(h, "UMEM", "doesn't belong to this poll")
    forged["actions"][0]["value"] = f"{first_id}:9"  # type: ignore[index]
    await h.say.raw_action("UMEM", forged)
    assert await votes(h) == []

    await h.say.click("UMEM", first, "poll_menu", value=f"delete:{first_id}")
    await ephemeral_says(h, "UMEM", "Only the person who created this poll")
    await h.say.click("UORG", first, "poll_menu", value=f"delete:{first_id}")
    await ephemeral_says(h, "UORG", "Poll deleted")
    await h.settle()
    gone = h.slack.get_message(CHANNEL, first["ts"])
    assert gone is not None and "This poll was deleted" in str(gone)
    forged["actions"][0]["value"] = f"{first_id}:0"  # type: ignore[index]
    await h.say.raw_action("UMEM", forged)
    await ephemeral_says(h, "UMEM", "This poll was deleted")
    assert await votes(h) == []


async def test_recurring_poll_activity_posts_a_poll(harness: Harness) -> None:
    h = harness
    reply_text(await h.command(ADMIN, "/community", "roles assign <@UORG> organiser"))
    said = reply_text(
        await h.command(
            "UORG",
            "/community",
            f'new poll <#{CHANNEL}|community> "every friday 16:00" "How was the week?" '
            '"Great" "Fine" --closes-after 2d',
        )
    )
    assert "✅ Poll" in said, said
    said = reply_text(await h.command("UORG", "/community", "run 1"))
    assert said.startswith("▶️ Running *#1* now"), said
    await h.settle()
    (poll,) = await polls(h)
    assert poll.activity_id == 1 and poll.closes_at == h.clock.now() + timedelta(days=2)
    assert "How was the week?" in str(h.slack.last_message(CHANNEL)["blocks"])

    said = reply_text(await h.command("UORG", "/poll", "--template next-event", channel_id=CHANNEL))
    assert "✅" in said, said
    await h.settle()
    template = (await polls(h))[-1]
    # The only activity is a poll, which isn't an event: every event kind this bot runs
    # (from its catalogue of kinds) is offered.
    assert template.question == "Which event should we run next?"
    offered = list(h.bot.plugins.catalog.event_labels().values())
    assert template.options == offered and "Coffee pairings" in offered and "Poll" not in offered
    posted = str(h.slack.last_message(CHANNEL)["blocks"])
    assert all(option in posted for option in template.options)


async def test_hidden_results_cannot_be_exported_before_the_close(harness: Harness) -> None:
    h = harness
    poll_id, message = await new_poll(h, '"Secret ballot" "A" "B" --hide-results', "UORG")
    await h.say.click("UMEM", message, "poll_vote", value=f"{poll_id}:0")
    await ephemeral_says(h, "UMEM", "You voted for")
    await h.say.click("UORG", message, "poll_menu", value=f"export:{poll_id}")
    await ephemeral_says(h, "UORG", "hides its results until it closes")
    await h.settle()
    assert h.slack.uploaded_files == {}
    await h.say.click("UORG", message, "poll_menu", value=f"close:{poll_id}")
    await ephemeral_says(h, "UORG", "closed")
    await h.say.click("UORG", message, "poll_menu", value=f"export:{poll_id}")
    await eventually(lambda: len(h.slack.uploaded_files) == 1)


async def test_a_poll_slack_will_not_post_is_reported_to_its_creator(harness: Harness) -> None:
    h = harness
    h.slack.fail_next("chat.postMessage", error="not_in_channel")
    said = reply_text(await h.command("UMEM", "/poll", '"Lunch?" "Yes" "No"', channel_id=CHANNEL))
    assert "on its way" in said, said
    await h.settle()
    await h.settle()
    told = [
        str(c.args.get("text"))
        for c in h.slack.calls_to("chat.postMessage")
        if "could not be posted" in str(c.args.get("text"))
    ]
    assert len(told) == 1 and "not_in_channel" in told[0] and "/invite @Convene" in told[0]
    dm = h.slack.calls_to("conversations.open")[-1]
    assert "UMEM" in str(dm.args.get("users"))


async def test_a_refusal_quotes_what_was_typed_escaped_exactly_once(harness: Harness) -> None:
    h = harness
    # Slack sends a typed "&" as "&amp;": the duplicate options come back as "&amp;" once.
    said = reply_text(
        await h.command("UMEM", "/poll", '"Q?" "Fish &amp; chips" "Fish &amp; chips"')
    )
    assert said.startswith("⚠️") and "Fish &amp; chips" in said, said
    assert "&amp;amp;" not in said


async def test_a_vote_clicked_before_the_bot_recorded_the_polls_ts_counts(
    harness: Harness,
) -> None:
    """Slack shows the poll (and takes clicks) before chat.postMessage returns its ts."""
    h = harness
    h.slack.hold_answers("chat.postMessage", 1.0)
    said = reply_text(
        await h.command("UMEM", "/poll", '"Lunch?" "Pizza" "Sushi"', channel_id=CHANNEL)
    )
    assert "✅" in said, said
    h.bot.services.courier.wake()
    await eventually(lambda: bool(h.slack.messages(CHANNEL)))
    message = h.slack.last_message(CHANNEL)
    poll_id = (await polls(h))[-1].id
    async with h.bot.db.session() as session:
        posted = await outbox.get_by_key(session, dedupe_key=poll_intents.POST.key_of(poll_id or 0))
    assert posted is not None and not posted.ts  # still waiting for Slack's answer
    await h.say.click("UORG", message, "poll_vote", value=f"{poll_id}:1")
    await asyncio.sleep(2)
    print("EPH", h.slack.ephemerals_to("UORG"), [c.args for c in h.slack.calls_to("response_url")])
    await ephemeral_says(h, "UORG", "You voted for *Sushi*")
    h.slack.hold_answers("chat.postMessage", 0)
    await h.settle()
    # (Once the ts is known, a click from another message is refused: see
    # test_forged_click_and_deleted_poll_are_refused.)
    assert [(r.voter_key, r.option_index) for r in await votes(h)] == [("UORG", 1)]
