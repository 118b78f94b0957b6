"""Before any listener: the right workspace, a signed request, a trigger seen only once."""

from __future__ import annotations

import logging
import time

import aiohttp
import pytest
from sqlmodel import select

from bot.guards import NOT_SERVED_TEXT
from bot.sandbox import SlackDriver
from storage.kinds.poll.models import Poll
from storage.models import Activity
from tests.e2e.harness import ADMIN, SIGNING_SECRET, Harness, eventually, reply_text

ANNOUNCE = (
    'new announcement <#C0COMMUNITY|community> "every monday 09:00" "From T2" --tz Europe/London'
)


async def test_another_workspace_cannot_act_here_with_this_workspace_token(
    harness: Harness,
) -> None:
    h = harness
    h.slack.add_team("T2", "Elsewhere")
    # The same user id in another workspace; in single-token mode ADMIN_USER_IDS names it.
    other = SlackDriver(h.say.app_url, SIGNING_SECRET, team_id="T2", slack=h.slack)
    try:
        said = reply_text(await other.command(ADMIN, "/community", ANNOUNCE))
        assert said == NOT_SERVED_TEXT
        said = reply_text(await other.command(ADMIN, "/poll", '"Lunch?" "Yes" "No"'))
        assert said == NOT_SERVED_TEXT
        home = await other.app_home_opened(ADMIN)
        assert home.status == 200
    finally:
        await other.stop()
    async with h.bot.db.session() as session:
        assert (await session.exec(select(Activity))).all() == []
        assert (await session.exec(select(Poll))).all() == []
    assert h.slack.calls_to("chat.postMessage") == []
    assert h.slack.calls_to("views.publish") == []
    # This workspace still works, and auth.test was asked once per process (once by Bolt's
    # own authorization, once by the guard), not once per request.
    said = reply_text(await h.command(ADMIN, "/community", "help"))
    assert said != NOT_SERVED_TEXT
    assert len(h.slack.calls_to("auth.test")) <= 2


async def test_a_replayed_slash_command_is_answered_once(harness: Harness) -> None:
    h = harness
    trigger_id = h.slack.issue_trigger_id(ADMIN)
    fields = {
        "token": "legacy-verification-token",
        "team_id": "T0001",
        "team_domain": "convene-test",
        "channel_id": "C0COMMUNITY",
        "channel_name": "community",
        "user_id": ADMIN,
        "user_name": "admin",
        "command": "/poll",
        "text": '"Lunch?" "Yes" "No"',
        "api_app_id": "A0001",
        "is_enterprise_install": "false",
        "response_url": h.slack.issue_response_url("C0COMMUNITY", ADMIN),
        "trigger_id": trigger_id,
    }
    first = await h.say._post_form(h.say.commands_url, fields)
    assert first.status == 200
    await h.settle()
    again = await h.say._post_form(h.say.commands_url, fields)
    assert again.status == 200 and again.body == ""
    await h.settle()
    async with h.bot.db.session() as session:
        polls = (await session.exec(select(Poll))).all()
    assert len(polls) == 1
    assert len(h.slack.calls_to("chat.postMessage")) == 1


async def test_unsigned_and_malformed_requests_are_refused_before_parsing(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    url = harness.say.app_url
    async with aiohttp.ClientSession() as session:
        statuses = []
        for i in range(200):
            async with session.post(url, data=b"payload=%7B%22not json" + str(i).encode()) as r:
                statuses.append(r.status)
        assert set(statuses) == {401}
        headers = {"X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": "v0=00"}
        async with session.post(url, data=b"x=1", headers=headers) as r:
            assert r.status == 400
        # Signed, yet not a body Bolt could read.
        body = "payload=%5B1%2C2"
        ts = int(time.time())
        headers = {
            "X-Slack-Request-Timestamp": str(ts),
            "X-Slack-Signature": harness.say.sign(body, ts),
            "Content-Type": "application/x-www-form-urlencoded",
        }
        async with session.post(url, data=body.encode(), headers=headers) as r:
            assert r.status == 400
    refused = [r for r in caplog.records if r.getMessage().startswith("refused a request")]
    assert len(refused) == 1  # one line per source per minute, not 202
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


async def test_no_request_body_reaches_the_log_at_any_level(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    h = harness
    secret_text = "PRIVATE-TYPED-TEXT-4711"
    forged = await h.say.command(ADMIN, "/community", secret_text, sign=False)
    assert forged.status == 401
    # Signed but nobody listens for it: Bolt's "unhandled request" line quotes the body.
    unknown = await h.say.command(ADMIN, "/nobody-listens", secret_text)
    assert unknown.status == 404
    await h.command(ADMIN, "/community", f"help {secret_text}")
    await eventually(lambda: True)
    logged = "\n".join(r.getMessage() + repr(vars(r)) for r in caplog.records)
    assert secret_text not in logged
    assert "response_url" not in logged
