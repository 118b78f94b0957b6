"""What people type never turns into live markup, and no input goes unanswered.

Generated from the command tables (every word path) and every kind's form (every
field), with the markup Slack sends for `@channel`, a link, and text typed to look
like either; then fuzzed with hypothesis over every command's text and every
button's value.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from activities.clock import ManualClock
from bot.kinds.coffee.commands import SUBCOMMANDS as COFFEE
from bot.listeners.commands.community import Community
from bot.sandbox import FakeSlack
from tests.e2e.harness import ADMIN, START, Harness, reply_text
from tests.e2e.test_authorization import paths

CHANNEL = "C0COMMUNITY"
# As Slack sends them: a real @channel, a typed "<!here>", a link, a typed "&lt;!channel&gt;".
PAYLOADS = (
    "<!channel>",
    "&lt;!here&gt;",
    "<https://evil.example|click me>",
    "&amp;lt;!channel&amp;gt;",
    "<!subteam^S0EVIL|@devs>",
)
LIVE = ("<!channel>", "<!here>", "<https://evil.example", "<!subteam")
SAMPLES = {
    "announcement": {"schedule": "every monday 09:00", "text": "Hi"},
    "poll": {"schedule": "every friday 16:00", "question": "Q?", "options": "A\nB"},
}


def live_markup(h: Harness) -> list[str]:
    """Every Slack call the bot made whose arguments hold live markup."""
    return [
        f"{c.method}: {c.args}" for c in h.slack.calls if any(mark in str(c.args) for mark in LIVE)
    ]


def community_cases(h: Harness) -> Iterator[str]:
    plugins = h.bot.plugins
    community = Community(plugins.catalog, plugins.community)
    for words, _ in paths(community.table):
        for payload in PAYLOADS:
            yield f'{words} "{payload}" --title "{payload}"'
            yield f"{words} 1 {payload}"
    for name, kind in plugins.catalog.items():
        for spec in kind.form.fields:
            values = {**SAMPLES.get(name, {}), spec.name: PAYLOADS[0]}
            flags = " ".join(f'--{k.replace("_", "-")} "{v}"' for k, v in values.items())
            yield f"new {name} <#{CHANNEL}|community> {flags}"
            yield f'edit 1 --{spec.flag} "{PAYLOADS[1]}"'


# Escaping happens where text is rendered, the same whatever the database: one backend
# (the fuzz test below too). The PostgreSQL run repeated every case for ~60 s of CI.
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_no_reply_or_post_carries_live_markup(harness: Harness) -> None:
    h = harness
    reply_text(await h.command(ADMIN, "/community", "roles assign <@UORG> organiser"))
    sample = f'new announcement <#{CHANNEL}|c> "every monday 09:00" "Hello"'
    assert "✅" in reply_text(await h.command("UORG", "/community", sample))
    cases = [("/community", text) for text in community_cases(h)]
    for words, _ in paths(COFFEE):
        cases += [("/coffee", f"{words} {payload}") for payload in PAYLOADS]
    for payload in PAYLOADS:
        cases += [
            ("/poll", f'"{payload}" "{payload}" "B"'),
            ("/poll", f'"Q?" "A" "B" --scale "{payload}"'),
            ("/poll", f'"Q?" "A" "B" --closes "{payload}"'),
            ("/poll", f'"Q?" "A" "A" --template "{payload}"'),
            ("/poll", f'"Q?" "{payload}" "{payload}"'),
        ]
    assert len(cases) > 150
    for command, text in cases:
        response = await h.command("UORG", command, text, channel_id=CHANNEL)
        assert response.status == 200, (command, text, response.body)
    await h.settle()
    h.clock.advance(timedelta(days=8))
    await h.tick()
    await h.settle()
    assert live_markup(h) == []


PIECES = [*"ab #@<>&|\"'“”—-=:1290\n", "--", "<@U0MEM>", "<#C0COMMUNITY|c>", "\u202e", "🎉"]
TEXT = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_fuzzed_commands_and_buttons_always_get_an_answer(db_url: str, tmp_path: Path) -> None:
    """Bounded (a few dozen cases per entry point), on SQLite: never a 500, never silence."""
    loop = asyncio.new_event_loop()
    slack = FakeSlack()
    loop.run_until_complete(slack.start())
    slack.add_user(ADMIN, "admin")
    slack.add_user("UORG", "olu")
    slack.add_channel(CHANNEL, "community", [ADMIN, "UORG"])
    h = Harness(slack, db_url, ManualClock(START))
    loop.run_until_complete(h.start())
    loop.run_until_complete(h.command(ADMIN, "/community", "roles assign <@UORG> organiser"))
    registered = [
        listener.ack_function.convene_action[0]
        for listener in h.bot.bolt._async_listeners
        if hasattr(listener.ack_function, "convene_action")
    ] + ["poll_vote", "poll_menu"]
    try:

        @settings(
            max_examples=40,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(command=st.sampled_from(["/community", "/coffee", "/poll"]), text=TEXT)
        def commands(command: str, text: str) -> None:
            before = len(slack.calls)
            response = loop.run_until_complete(h.command("UORG", command, text, channel_id=CHANNEL))
            assert response.status == 200, (command, text, response.body)
            opened = any(c.method == "views.open" for c in slack.calls[before:])
            assert opened or reply_text(response).strip(), (command, text)

        @settings(
            max_examples=40,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(action_id=st.sampled_from(registered), value=TEXT)
        def buttons(action_id: str, value: str) -> None:
            before = len(slack.calls)
            action = {"action_id": action_id, "value": value, "type": "button"}
            response = loop.run_until_complete(h.say.raw_action("UORG", {"actions": [action]}))
            assert response.status == 200, (action_id, value, response.body)

            async def answered() -> bool:
                for _ in range(200):
                    if any(
                        c.method
                        in ("response_url", "chat.postMessage", "views.publish", "views.open")
                        for c in slack.calls[before:]
                    ):
                        return True
                    await asyncio.sleep(0.01)
                return False

            assert loop.run_until_complete(answered()), (action_id, value)

        commands()
        buttons()
    finally:
        loop.run_until_complete(h.stop())
        loop.run_until_complete(slack.stop())
        loop.close()
