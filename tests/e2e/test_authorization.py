"""Who may do what, tried on every command word and every button the app registers.

The cases are generated from the app itself: the `/community` and `/coffee` tables
(with the words the kinds add) and the buttons registered through `on_action`. A new
command or button is tried here without anyone writing a case for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from slack_bolt.listener.async_listener import AsyncCustomListener

from activities.roles import ADMIN_ONLY, ORGANISER_ONLY, SPONSORS_ONLY, Needs
from bot.kinds.coffee.commands import SUBCOMMANDS as COFFEE
from bot.listeners.commands.community import Community
from bot.listeners.context import Table
from tests.e2e.harness import ADMIN, Harness, eventually, reply_text

# Who may do what is decided from the caller's standing, the same on either database: the
# matrix runs on one (each backend's own queries are covered by the storage tests).
ONE_DATABASE = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
PERSONAS = {"UMEM": "member", "UEXPIRED": "expired", "UORG": "organiser", ADMIN: "admin"}
ALLOWED: dict[str, set[Needs]] = {
    "member": {"member"},
    "expired": {"member"},
    "organiser": {"member", "organiser", "sponsor"},
    "admin": {"member", "organiser", "sponsor", "admin"},
}


def paths(table: Table, prefix: str = "") -> Iterator[tuple[str, Needs]]:
    """Every word path of a command table with the standing it needs (the strictest on
    the way down)."""
    for word, sub in table.items():
        words = f"{prefix} {word}".strip()
        if sub.words is not None:
            for inner, needs in paths(sub.words, words):
                yield inner, needs if needs != "member" else sub.needs
        else:
            yield words, sub.needs


async def personas(h: Harness) -> None:
    h.slack.add_user("UEXPIRED", "exa")
    for user in ("UORG", "UEXPIRED"):
        said = reply_text(await h.command(ADMIN, "/community", f"roles assign <@{user}> organiser"))
        assert "organiser until" in said, said
    h.clock.advance(timedelta(days=1))
    assert "no longer" in reply_text(await h.command(ADMIN, "/community", "roles end <@UEXPIRED>"))


def refused_as(said: str, persona: str, needs: Needs, today: str) -> bool:
    if needs == "admin":
        return ADMIN_ONLY in said
    if needs == "sponsor":
        return SPONSORS_ONLY in said
    if persona == "expired":
        return f"Your organiser term ended on {today}" in said
    return ORGANISER_ONLY in said


@ONE_DATABASE
async def test_every_command_word_checks_who_asks(harness: Harness) -> None:
    h = harness
    await personas(h)
    plugins = h.bot.plugins
    community = Community(plugins.catalog, plugins.community)
    cases = [("/community", words, needs) for words, needs in paths(community.table)]
    cases += [("/coffee", words, needs) for words, needs in paths(COFFEE)]
    assert len(cases) > 20
    # The declarations themselves: what changes the community is never for everyone.
    declared = {words: needs for command, words, needs in cases if command == "/community"}
    assert declared["roles assign"] == declared["roles end"] == "admin"
    for words in ("new", "edit", "pause", "resume", "cancel", "run", "preview", "activities"):
        assert declared[words] == "organiser", words
    today = h.clock.now().date().isoformat()
    for command, words, needs in cases:
        for user, persona in PERSONAS.items():
            said = reply_text(await h.command(user, command, words))
            allowed = needs in ALLOWED[persona]
            refused = refused_as(said, persona, needs, today)
            assert refused != allowed, (command, words, persona, said)


@ONE_DATABASE
async def test_every_registered_button_checks_who_clicks(harness: Harness) -> None:
    h = harness
    await personas(h)
    registered = [
        listener.ack_function.convene_action
        for listener in h.bot.bolt._async_listeners
        if hasattr(listener.ack_function, "convene_action")
    ]
    assert {needs for _, needs in registered} == {"member", "organiser", "admin"}
    today = h.clock.now().date().isoformat()
    for action_id, needs in registered:
        for user, persona in PERSONAS.items():
            start = len(h.slack.calls)
            response = await h.say.raw_action(
                user, {"actions": [{"action_id": action_id, "value": "999", "type": "button"}]}
            )
            assert response.status == 200

            def answered(since: int = start) -> bool:
                return any(
                    c.method in ("response_url", "chat.postMessage", "views.publish", "views.open")
                    for c in h.slack.calls[since:]
                )

            await eventually(answered)
            said = " ".join(str(c.args) for c in h.slack.calls[start:])
            allowed = needs in ALLOWED[persona]
            assert refused_as(said, persona, needs, today) != allowed, (action_id, persona, said)


async def test_no_button_is_registered_around_the_wrapper(harness: Harness) -> None:
    """Every action listener goes through `on_action` (so it is in the test above)."""
    listeners = harness.bot.bolt._async_listeners
    # The wrapper's listener reads the click from the body; one written by hand takes
    # Bolt's `action` argument.
    guarded = [each for each in listeners if hasattr(each.ack_function, "convene_action")]
    unguarded = {
        listener.ack_function.__name__
        for listener in listeners
        if isinstance(listener, AsyncCustomListener)
        and "action" in listener.arg_names
        and not hasattr(listener.ack_function, "convene_action")
    }
    assert len(guarded) > 10
    assert not unguarded, unguarded
