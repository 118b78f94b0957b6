"""`/community roadmap` end to end: one message per channel, redrawn in place when an
activity changes or a date passes, never with a private channel's entries."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.e2e.harness import Harness, reply_text

TITLE = re.compile(r"<!date\^\d+\^[^|]*\|[^>]*> (~?)\*([^*]+)\*")


async def organiser(h: Harness) -> None:
    said = reply_text(await h.command("UADMIN", "/community", "roles assign <@UORG> organiser"))
    assert "organiser until" in said, said


async def run(h: Harness, text: str, expect: str) -> None:
    said = reply_text(await h.command("UORG", "/community", text))
    assert expect in said, said


def shown(blocks: list[dict[str, object]]) -> list[tuple[bool, str]]:
    """(cancelled?, title) of every line of a roadmap message, in order."""
    text = "\n".join(str(b.get("text", {}).get("text", "")) for b in blocks)  # type: ignore[attr-defined]
    return [(bool(strike), title) for strike, title in TITLE.findall(text)]


async def settled(h: Harness) -> None:
    await h.tick()
    await h.settle()


async def test_the_roadmap_is_one_message_kept_up_to_date(harness: Harness) -> None:
    h = harness
    h.slack.add_channel("C0SECRET", "secret", ["UORG"], is_private=True)
    h.slack.add_channel("C0OTHER", "other", ["UORG", "UMEM"])
    await organiser(h)
    await run(
        h,
        'new announcement <#C0COMMUNITY|community> "every monday 14:00" "Stand-up" '
        "--tz Europe/London",
        "✅",
    )
    await run(h, 'new announcement <#C0SECRET|secret> "every friday 10:00" "Hush"', "✅")
    said = reply_text(await h.command("UMEM", "/community", "roadmap"))
    assert said.startswith("⚠️") or "organiser" in said, said  # organisers only

    await run(h, "roadmap <#C0COMMUNITY|community>", "Posting the roadmap")
    await settled(h)
    posts = [c for c in h.slack.calls_to("chat.postMessage") if c.args["channel"] == "C0COMMUNITY"]
    roadmaps = [c for c in posts if "Roadmap" in str(c.args["text"])]
    assert len(roadmaps) == 1
    first = shown(roadmaps[0].args["blocks"])
    assert first == [(False, "Stand-up")] * 13  # a quarter of Mondays; #secret never shown
    assert "*December 2026*" in str(roadmaps[0].args["blocks"])

    def updates() -> list[list[tuple[bool, str]]]:
        return [
            shown(c.args["blocks"])
            for c in h.slack.calls_to("chat.update")
            if c.ok and c.args.get("ts") == (roadmaps[0].response or {}).get("ts")
        ]

    h.clock.advance(timedelta(minutes=1))
    await run(h, 'new announcement <#C0COMMUNITY|community> "2026-12-03 12:00" "Launch"', "✅")
    await run(h, 'edit 1 --title "Weekly stand-up"', "Saved")
    await settled(h)
    assert len(updates()) == 1
    weekly, launch = (False, "Weekly stand-up"), (False, "Launch")
    assert updates()[-1][:3] == [weekly, launch, weekly]

    h.clock.advance(timedelta(minutes=1))
    await run(h, "pause 1", "Paused")
    await settled(h)
    assert updates()[-1][0] == (True, "Weekly stand-up")  # struck through, as cancelled

    # Resumed, then Monday 14:00 passes (an hour after START): the first line goes, with no
    # command for it.
    await run(h, "resume 1", "Resumed")
    h.clock.advance(timedelta(minutes=59))
    await settled(h)
    assert updates()[-1][:2] == [(False, "Launch"), (False, "Weekly stand-up")]
    before = len(updates())
    await settled(h)
    assert len(updates()) == before  # checked again, unchanged: not redrawn

    # Another channel gets its own; the same channel again redraws, never a second post.
    # A private channel's roadmap shows its own entries, still not another private one's.
    h.slack.add_channel("C0HIDE", "hide", ["UORG"], is_private=True)
    await run(h, 'new announcement <#C0HIDE|hide> "every friday 11:00" "Hidden"', "✅")
    await run(h, "roadmap <#C0OTHER|other>", "Posting the roadmap")
    await run(h, "roadmap <#C0SECRET|secret>", "Posting the roadmap")
    await run(h, "roadmap <#C0COMMUNITY|community>", "already has the roadmap")
    await settled(h)
    posted = [
        c.args["channel"]
        for c in h.slack.calls_to("chat.postMessage")
        if "Roadmap" in str(c.args["text"])
    ]
    assert sorted(posted) == ["C0COMMUNITY", "C0OTHER", "C0SECRET"]
    secret = [c for c in h.slack.calls_to("chat.postMessage") if c.args["channel"] == "C0SECRET"]
    titles = {t for _, t in shown(secret[-1].args["blocks"])}
    assert titles == {"Launch", "Weekly stand-up", "Hush"}
    said = reply_text(await h.command("UORG", "/community", "roadmap <#C0HIDE|hide> extra"))
    assert "one channel" in said, said
