"""Wins and thanks end to end against the local Slack: a win by command and by the
"Share as a win" shortcut, posted to the wins channel with credit; thanks by DM, the
sixth of a day refused, self and bot refused, public shout-outs opt-in; the leaderboard
off by default; `/community me` shows a member their own rows and nobody else's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import select

from bot.blocks.recognition import SHARE_WIN_SHORTCUT
from bot.sandbox.driver import text_value, users_value
from storage.kinds.talks.models import Talk
from storage.models import Rsvp, RsvpEvent, Win
from tests.e2e.harness import ADMIN, START, Harness, eventually, reply_text

HOME = "C0COMMUNITY"
WINS = "C0WINS"
TEAM = "T0001"


async def community(h: Harness, user: str, text: str) -> str:
    return reply_text(await h.command(user, "/community", text, channel_id=HOME))


def posted(h: Harness, channel: str, fragment: str) -> list[dict[str, Any]]:
    return [m for m in h.slack.messages(channel) if fragment in str(m.get("blocks"))]


async def wins(h: Harness) -> list[Win]:
    async with h.bot.db.session() as session:
        return list((await session.exec(select(Win).order_by(Win.id))).all())  # type: ignore[arg-type]


async def test_a_win_by_command_goes_to_the_wins_channel_with_credit(harness: Harness) -> None:
    h = harness
    h.slack.add_channel(WINS, "wins", [ADMIN, "UORG", "UMEM"])
    reply_text(await h.command(ADMIN, "/community", "roles assign <@UORG> organiser"))

    # Neither a wins channel nor a home channel: a clear refusal, nothing stored.
    said = await community(h, "UMEM", 'win "We shipped the guide"')
    assert "no wins channel yet" in said and "/community settings wins" in said, said
    assert await wins(h) == []

    # The home channel is the default; the people @mentioned are credited.
    await community(h, ADMIN, "settings channel <#C0COMMUNITY|community>")
    said = await community(h, "UMEM", 'win "We shipped the guide with <@UORG> <!channel>"')
    assert f"Shared in <#{HOME}>" in said and "<@UORG>" in said, said
    await h.settle()
    (post,) = posted(h, HOME, "A win to celebrate")
    assert "Credit: <@UORG> · shared by <@UMEM>" in str(post["blocks"])
    assert "&lt;!channel&gt;" in str(post["blocks"]) and "<!channel>" not in str(post)

    # An organiser names a wins channel; a win naming nobody credits its author.
    assert "now go to <#C0WINS>" in await community(h, "UORG", "settings wins <#C0WINS|wins>")
    said = await community(h, "UMEM", "win Our first meetup drew 40 people")
    assert f"Shared in <#{WINS}>" in said, said
    await h.settle()
    (post,) = posted(h, WINS, "Our first meetup drew 40 people")
    assert "Credit: <@UMEM>" in str(post["blocks"])
    first, second = await wins(h)
    assert (first.credited, second.credited) == (["UORG"], ["UMEM"])
    assert (second.channel_id, second.message_ts) == (WINS, post["ts"])

    # Bad input: no text, too long; a member can't move the wins channel.
    assert "A win needs a few words" in await community(h, "UMEM", "win")
    assert "the limit is 1000" in await community(h, "UMEM", "win " + "x" * 1001)
    assert "Only organisers" in await community(h, "UMEM", "settings wins <#C0WINS|wins>")
    assert len(await wins(h)) == 2


async def test_share_as_a_win_from_a_message_credits_its_author_and_links_back(
    harness: Harness,
) -> None:
    h = harness
    source = h.slack.add_message(HOME, "UORG", "Our workshop &lt;went&gt; great, 30 came!")
    # No channel to post in: refused before any form opens.
    refused = await h.say.message_shortcut("UMEM", source, SHARE_WIN_SHORTCUT)
    assert refused.status == 200
    await eventually(
        lambda: any("no wins channel" in str(m) for m in h.slack.ephemerals_to("UMEM"))
    )
    assert h.slack.opened_views == []

    await community(h, ADMIN, "settings channel <#C0COMMUNITY|community>")
    await h.say.message_shortcut("UMEM", source, SHARE_WIN_SHORTCUT)
    await eventually(lambda: len(h.slack.opened_views) == 1)
    view = h.slack.opened_views[-1]
    text_input, credit = (b["element"] for b in view["blocks"])
    assert text_input["initial_value"] == "Our workshop <went> great, 30 came!"
    assert credit["initial_users"] == ["UORG"]

    # Too long is refused under the field; then shared as edited, with one more person.
    refused = await h.say.submit_view(
        "UMEM",
        view,
        {"text": {"text": text_value("x" * 1001)}, "credit": {"credit": users_value(["UORG"])}},
    )
    assert "the limit is 1000" in refused.json["errors"]["text"]
    ok = await h.say.submit_view(
        "UMEM",
        view,
        {
            "text": {"text": text_value("Our workshop <went> great!")},
            "credit": {"credit": users_value(["UORG", "UMEM"])},
        },
    )
    assert ok.status == 200
    await h.settle()
    (post,) = posted(h, HOME, "A win to celebrate")
    shown = str(post["blocks"])
    assert "Our workshop &lt;went&gt; great!" in shown
    assert "Credit: <@UORG>, <@UMEM> · shared by <@UMEM>" in shown
    assert f"/archives/{HOME}/p{source['ts'].replace('.', '')}|the original message>" in shown
    (win,) = await wins(h)
    assert (win.source_channel_id, win.source_ts, win.credited) == (
        HOME,
        source["ts"],
        ["UORG", "UMEM"],
    )


def dms(h: Harness, user: str, fragment: str) -> list[str]:
    return [str(m["text"]) for m in h.slack.dm_messages(user) if fragment in str(m.get("text"))]


async def test_thanks_by_dm_capped_at_five_a_day_public_only_when_both_agree(
    harness: Harness,
) -> None:
    h = harness
    h.slack.add_user("UBOTTY", "botty", is_bot=True)
    h.slack.add_user("UADA", "ada", tz="Europe/London")
    h.clock.set(datetime(2026, 12, 2, 14, 0, tzinfo=UTC))  # working hours in London and NY
    await community(h, ADMIN, "settings channel <#C0COMMUNITY|community>")

    # Refusals: nobody named, oneself, a bot, someone unknown, a reason too long.
    assert "Whom do you want to thank?" in await community(h, "UMEM", "thanks")
    assert "can't thank yourself" in await community(h, "UMEM", 'thanks <@UMEM> "for me"')
    assert "Bots don't need thanks" in await community(h, "UMEM", "thanks <@UBOTTY>")
    assert "couldn't find <@UNOBODY>" in await community(h, "UMEM", "thanks <@UNOBODY>")
    assert "the limit is 300" in await community(h, "UMEM", "thanks <@UADA> " + "y" * 301)

    # A public thanks: a DM to the person and a post in the channel.
    said = await community(h, "UMEM", 'thanks <@UADA> "for the <!here> review" --public')
    assert "by DM and shared in <#C0COMMUNITY>" in said, said
    await h.settle()
    (dm,) = dms(h, "UADA", "thanked you")
    assert dm == "🙏 <@UMEM> thanked you for the &lt;!here&gt; review"
    assert posted(h, HOME, "<@UMEM> thanks <@UADA> for the &lt;!here&gt; review")

    # Ada opts out of shout-outs: the next public thanks goes by DM only, and says so.
    assert "by DM only" in await community(h, "UADA", "me shoutouts off")
    said = await community(h, "UORG", "thanks <@UADA> --public")
    assert "prefer thanks in private" in said and "A reason is optional" in said, said
    await h.settle()
    assert len(dms(h, "UADA", "thanked you")) == 2
    assert len(posted(h, HOME, "thanks <@UADA>")) == 1

    # The cap: five a day in the giver's own day (New York for Mia), the sixth refused.
    for n in range(4):
        assert "Thanks sent" in await community(h, "UMEM", f'thanks <@UORG> "for tip {n}"')
    said = await community(h, "UMEM", 'thanks <@UORG> "for one more"')
    assert "You've given 5 thanks today (your day, America/New_York)" in said, said
    assert "in 15 h 00 min" in said, said  # 09:00 in New York
    h.clock.set(datetime(2026, 12, 3, 5, 0, tzinfo=UTC))  # 00:00 in New York: a new day
    assert "Thanks sent" in await community(h, "UMEM", 'thanks <@UORG> "for one more"')

    # The leaderboard is off unless an organiser turns it on.
    said = await community(h, "UMEM", "thanks leaderboard")
    assert "leaderboard is off" in said, said

    # Every new word is in the help, and no part of the help is cut off.
    shown = (await h.command("UMEM", "/community", "help")).json["blocks"]
    assert all(len(b["text"]["text"]) <= 3000 for b in shown)
    every = "\n".join(b["text"]["text"] for b in shown)
    for words in ("`/community win", "Share as a win", "`/community thanks @person", "--public"):
        assert words in every, words
    for words in ("settings leaderboard on|off", "`/community me`", "me shoutouts off"):
        assert words in every, words


async def test_digest_leaderboard_and_me_show_each_only_what_they_should(
    harness: Harness,
) -> None:
    h = harness
    await community(h, ADMIN, "settings channel <#C0COMMUNITY|community>")
    reply_text(await h.command(ADMIN, "/community", "roles assign <@UORG> organiser"))
    async with h.bot.db.session() as session:
        for user, title in (("UMEM", "Mia's meetup"), ("UORG", "Olu's workshop")):
            event = RsvpEvent(team_id=TEAM, event_key=f"e:{user}", title=title, starts_at=START)
            session.add(event)
            session.add(Rsvp(team_id=TEAM, event_key=event.event_key, user_id=user, answer="going"))
        session.add(
            Talk(team_id=TEAM, activity_id=1, speaker_id="UORG", title="Olu on Rust", title_key="o")
        )

    # November: two wins (one names Olu), thanks all round; December: one more win.
    h.clock.set(datetime(2026, 11, 30, 15, 0, tzinfo=UTC))
    await community(h, "UMEM", 'win "Launched the guide with <@UORG>"')
    await community(h, "UORG", 'win "Forty at the meetup"')
    await community(h, "UMEM", 'thanks <@UORG> "for the guide"')
    await community(h, ADMIN, 'thanks <@UORG> "for the keynote"')
    await community(h, "UMEM", 'thanks <@UADMIN> "for the room"')

    # The leaderboard: off by default, on when an organiser says so, fresh each month.
    assert "leaderboard is off" in await community(h, "UMEM", "thanks leaderboard")
    assert "leaderboard is on" in await community(h, "UORG", "settings leaderboard on")
    board = await community(h, "UMEM", "thanks leaderboard")
    assert "November 2026" in board and "1. <@UORG> — 2\n2. <@UADMIN> — 1" in board, board

    # Mia's own history: her RSVP and thanks, never Olu's event, talk or thanks.
    mine = await community(h, "UMEM", "me")
    assert "Mia's meetup — going" in mine and "*RSVPs:* 1" in mine, mine
    assert "*Thanks you gave:* 2" in mine and "*Thanks you received:* 0" in mine, mine
    assert "*Wins crediting you:* 0" in mine and "*Talks:* 0" in mine, mine
    for theirs in ("Olu's workshop", "Olu on Rust", "keynote", "Forty"):
        assert theirs not in mine, theirs
    olu = await community(h, "UORG", "me")
    assert "*Wins crediting you:* 2" in olu and "Olu on Rust" in olu, olu
    assert "<@UADMIN> for the keynote" in olu and "Mia's meetup" not in olu, olu
    said = await community(h, "UMEM", "me <@UORG>")
    assert "nobody can see another person's" in said and "Olu" not in said, said

    # The digest: on the first working day of December, November's wins, once.
    h.clock.set(datetime(2026, 12, 1, 8, 0, tzinfo=UTC))
    await community(h, "UORG", 'win "December starts well"')
    for _ in range(2):
        await h.tick()
        await h.settle()
        h.clock.advance(timedelta(hours=3))
    (digest,) = posted(h, HOME, "Wins of November 2026")
    shown = str(digest["blocks"])
    assert "Launched the guide with <@UORG>" in shown and "Forty at the meetup" in shown
    assert "December starts well" not in shown and "2 wins shared" in shown

    h.clock.set(datetime(2027, 1, 4, 9, 0, tzinfo=UTC))
    assert "Nobody has been thanked yet in January 2027" in await community(
        h, "UMEM", "thanks leaderboard"
    )


async def test_a_public_thanks_with_no_wins_channel_goes_by_dm_and_says_so(
    harness: Harness,
) -> None:
    h = harness
    h.slack.add_user("UADA", "ada", tz="Europe/London")
    h.clock.set(datetime(2026, 12, 2, 14, 0, tzinfo=UTC))  # working hours in London and NY
    said = await community(h, "UMEM", 'thanks <@UADA> "for the review" --public')
    assert "no wins channel to share it in, so it went by DM only" in said, said
    await h.settle()
    assert dms(h, "UADA", "thanked you") == ["🙏 <@UMEM> thanked you for the review"]
    assert not [c for c in h.slack.calls_to("chat.postMessage") if "thanks <@UADA>" in str(c.args)]
