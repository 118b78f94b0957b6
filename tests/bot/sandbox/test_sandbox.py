"""Tests of the Slack fake itself, driven by the real slack_sdk client."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qs

import aiohttp
import pytest
from aiohttp import web
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from bot.sandbox import (
    BOT_USER_ID,
    ElementNotFoundError,
    FakeSlack,
    SlackDriver,
    check_blocks,
    check_view,
    select_value,
    text_value,
    time_value,
)

SECRET = "test-signing-secret"


def section(text: str, block_id: str | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
    if block_id:
        block["block_id"] = block_id
    return block


def button(text: str, action_id: str, value: str) -> dict[str, Any]:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": text},
        "action_id": action_id,
        "value": value,
    }


def option(value: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": value.title()}, "value": value}


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    async with FakeSlack(seed=1) as fake:
        fake.add_user("U1", "ada", real_name="Ada Lovelace", title="Analyst")
        fake.add_user("U2", "grace", tz="America/New_York")
        yield fake


@pytest.fixture
async def client(slack: FakeSlack) -> AsyncIterator[AsyncWebClient]:
    web_client = AsyncWebClient(token="xoxb-test", base_url=slack.api_url)
    yield web_client
    if web_client.session is not None:
        await web_client.session.close()


def error_of(exc: pytest.ExceptionInfo[SlackApiError]) -> Any:
    return exc.value.response["error"]


# ---------------------------------------------------------------- Web API


async def test_auth_test_shape(client: AsyncWebClient) -> None:
    resp = await client.auth_test()
    assert resp["ok"] is True
    assert resp["user_id"] == BOT_USER_ID
    assert resp["team_id"] == "T0001"
    assert resp["bot_id"] == "B0001"
    assert resp["url"].startswith("https://")


async def test_auth_errors(slack: FakeSlack) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.post(slack.api_url + "auth.test") as r:
            assert (await r.json())["error"] == "not_authed"
        headers = {"Authorization": "Bearer xoxp-user-token"}
        async with session.post(slack.api_url + "auth.test", headers=headers) as r:
            assert (await r.json())["error"] == "invalid_auth"
        async with session.post(slack.api_url + "nope.method", headers=headers) as r:
            assert (await r.json())["error"] == "unknown_method"


async def test_post_and_update_message(slack: FakeSlack, client: AsyncWebClient) -> None:
    first = await client.chat_postMessage(channel="C0GENERAL", text="hello", blocks=[section("hi")])
    second = await client.chat_postMessage(channel="C0GENERAL", text="again")
    assert first["channel"] == "C0GENERAL"
    assert first["message"]["blocks"][0]["block_id"]  # Slack fills block ids in
    assert float(second["ts"]) > float(first["ts"])
    updated = await client.chat_update(channel="C0GENERAL", ts=first["ts"], text="edited")
    assert updated["text"] == "edited"
    stored = slack.get_message("C0GENERAL", first["ts"])
    assert stored is not None and stored["text"] == "edited"
    assert stored["blocks"][0]["text"]["text"] == "hi"  # blocks kept when not passed
    assert slack.last_message("C0GENERAL")["text"] == "again"
    with pytest.raises(SlackApiError) as exc:
        await client.chat_update(channel="C0GENERAL", ts="1.000001", text="x")
    assert error_of(exc) == "message_not_found"
    assert [c.method for c in slack.calls].count("chat.postMessage") == 2


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing")
async def test_conversations_history_reads_like_slack(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    metadata = {"event_type": "convene_outbox", "event_payload": {"outbox_key": "k:1"}}
    first = await client.chat_postMessage(channel="C0GENERAL", text="one", metadata=metadata)
    await client.chat_postMessage(channel="C0GENERAL", text="reply", thread_ts=first["ts"])
    await client.chat_postMessage(channel="C0GENERAL", text="two")
    # A read method: form arguments, newest first, thread replies stay in their thread.
    plain = await client.conversations_history(channel="C0GENERAL", limit=1)
    assert [m["text"] for m in plain["messages"]] == ["two"]
    assert plain["has_more"] is True
    cursor = plain["response_metadata"]["next_cursor"]
    rest = await client.conversations_history(channel="C0GENERAL", cursor=cursor)
    assert [m["text"] for m in rest["messages"]] == ["one"]
    assert "metadata" not in rest["messages"][0]  # only when asked for
    full = await client.conversations_history(channel="C0GENERAL", include_all_metadata=True)
    assert [m.get("metadata") for m in full["messages"]] == [None, metadata]
    after = await client.conversations_history(channel="C0GENERAL", oldest=first["ts"])
    assert [m["text"] for m in after["messages"]] == ["two"]
    private = slack.add_channel("C0SECRET", "secret", [], is_private=True, bot_member=False)
    with pytest.raises(SlackApiError) as err:
        await client.conversations_history(channel=private)
    assert err.value.response["error"] == "channel_not_found"


async def test_held_answers_act_at_once_and_answer_late(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    slack.hold_answers("chat.postMessage", 0.5)
    started = time.monotonic()
    sent = asyncio.ensure_future(client.chat_postMessage(channel="C0GENERAL", text="held"))
    await asyncio.sleep(0.2)
    assert [m["text"] for m in slack.messages("C0GENERAL")] == ["held"]  # already posted
    assert not sent.done()
    await sent
    assert time.monotonic() - started >= 0.5


async def test_missing_required_args(slack: FakeSlack, client: AsyncWebClient) -> None:
    with pytest.raises(SlackApiError) as exc:
        await client.api_call("chat.postMessage", json={"text": "no channel"})
    assert error_of(exc) == "invalid_arguments"
    assert exc.value.response["response_metadata"]["messages"] == [
        "[ERROR] missing required field: channel"
    ]
    # slack_sdk warns before sending a message without text; the error is the fake's.
    with pytest.raises(SlackApiError) as exc, pytest.warns(UserWarning, match="`text`"):
        await client.chat_postMessage(channel="C0GENERAL")
    assert error_of(exc) == "no_text"
    with pytest.raises(SlackApiError) as exc:
        await client.api_call("users.info", json={"user": "U1"})  # no JSON support there
    assert error_of(exc) == "invalid_arguments"


async def test_form_post_blocks_are_normalised(slack: FakeSlack) -> None:
    blocks = [section("from a form")]
    async with aiohttp.ClientSession() as session:
        data = {"token": "xoxb-form", "channel": "C0GENERAL", "blocks": json.dumps(blocks)}
        async with session.post(slack.api_url + "chat.postMessage", data=data) as r:
            body = await r.json()
    assert body["ok"] is True
    call = slack.calls_to("chat.postMessage")[-1]
    assert call.args["blocks"] == blocks
    assert call.token == "xoxb-form"


async def test_channels_membership_and_dm(slack: FakeSlack, client: AsyncWebClient) -> None:
    slack.add_channel("C0OUTSIDE", "outside", ["U1"], bot_member=False)
    with pytest.raises(SlackApiError) as exc:
        await client.chat_postMessage(channel="C0OUTSIDE", text="hi")
    assert error_of(exc) == "not_in_channel"
    with pytest.raises(SlackApiError) as exc:
        await client.chat_postMessage(channel="C0MISSING", text="hi")
    assert error_of(exc) == "channel_not_found"
    resp = await client.chat_postMessage(channel="U1", text="psst")
    assert resp["channel"].startswith("D")
    assert slack.dm_messages("U1")[0]["text"] == "psst"
    joined = await client.conversations_join(channel="C0OUTSIDE")
    assert joined["channel"]["is_member"] is True
    assert BOT_USER_ID in slack.channel_members("C0OUTSIDE")


async def test_members_pagination(slack: FakeSlack, client: AsyncWebClient) -> None:
    members = [f"U{i:04d}" for i in range(250)]
    for uid in members:
        slack.add_user(uid, f"user{uid}", join_general=False)
    cid = slack.add_channel(None, "big", members, bot_member=False)
    assert len(cid) == 11 and cid.startswith("C") and cid.isupper()
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        resp = await client.conversations_members(channel=cid, limit=100, cursor=cursor)
        pages += 1
        seen.extend(resp["members"])
        cursor = resp["response_metadata"]["next_cursor"]
        if not cursor:
            break
    assert pages == 3
    assert seen == members
    with pytest.raises(SlackApiError) as exc:
        await client.conversations_members(channel=cid, cursor="bogus")
    assert error_of(exc) == "invalid_cursor"
    with pytest.raises(SlackApiError) as exc:
        await client.conversations_members(channel="C0NOPE")
    assert error_of(exc) == "channel_not_found"
    everyone: list[str] = []
    async for page in await client.users_list(limit=120):
        everyone.extend(u["id"] for u in page["members"])
    assert len(everyone) == len(set(everyone)) == 250 + 4  # + UBOT, USLACKBOT, U1, U2


async def test_rate_limit_then_success(slack: FakeSlack, client: AsyncWebClient) -> None:
    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=1))
    slack.rate_limit_next("chat.postMessage", retry_after=1)
    started = time.monotonic()
    resp = await client.chat_postMessage(channel="C0GENERAL", text="eventually")
    assert resp["ok"] is True
    calls = slack.calls_to("chat.postMessage")
    assert [c.status for c in calls] == [429, 200]
    assert calls[1].at - calls[0].at >= 1.0
    assert time.monotonic() - started >= 1.0


async def test_rate_limit_without_handler_raises(slack: FakeSlack) -> None:
    client = AsyncWebClient(token="xoxb-test", base_url=slack.api_url, retry_handlers=[])
    slack.rate_limit_next("users.info", retry_after=7)
    with pytest.raises(SlackApiError) as exc:
        await client.users_info(user="U1")
    assert exc.value.response.status_code == 429
    assert exc.value.response.headers["Retry-After"] == "7"


async def test_failure_injection(slack: FakeSlack, client: AsyncWebClient) -> None:
    slack.fail_next("chat.postMessage", "is_archived", times=2)
    for _ in range(2):
        with pytest.raises(SlackApiError) as exc:
            await client.chat_postMessage(channel="C0GENERAL", text="x")
        assert error_of(exc) == "is_archived"
    assert (await client.chat_postMessage(channel="C0GENERAL", text="x"))["ok"]
    slack.fail_next_http("users.info", status=500)
    with pytest.raises(SlackApiError) as exc:
        await client.users_info(user="U1")
    assert exc.value.response.status_code == 500


async def test_invalid_blocks_refused(slack: FakeSlack, client: AsyncWebClient) -> None:
    ok_blocks = [section(f"line {i}") for i in range(50)]
    assert (await client.chat_postMessage(channel="C0GENERAL", text="50", blocks=ok_blocks))["ok"]
    assert slack.block_errors == []
    with pytest.raises(SlackApiError) as exc:
        await client.chat_postMessage(
            channel="C0GENERAL", text="51", blocks=[*ok_blocks, section("one too many")]
        )
    assert error_of(exc) == "invalid_blocks"
    assert "[json-pointer:/blocks]" in exc.value.response["errors"][0]
    long_button = {"type": "actions", "elements": [button("x" * 76, "b", "v")]}
    with pytest.raises(SlackApiError) as exc:
        await client.chat_postMessage(channel="C0GENERAL", text="b", blocks=[long_button])
    assert error_of(exc) == "invalid_blocks"
    assert "/blocks/0/elements/0/text/text" in exc.value.response["errors"][0]
    assert len(slack.block_errors) == 2


@pytest.mark.parametrize(
    ("blocks", "surface", "fragment"),
    [
        (
            [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}],
            "message",
            "text",
        ),
        ([section("a", "same"), section("b", "same")], "message", "duplicate block_id"),
        (
            [{"type": "actions", "elements": [button("a", "dup", "1"), button("b", "dup", "2")]}],
            "message",
            "duplicate action_id",
        ),
        (
            [{"type": "actions", "elements": [button("b", f"a{i}", "v") for i in range(26)]}],
            "message",
            "/blocks/0/elements",
        ),
        (
            [
                {
                    "type": "section",
                    "text": {"type": "mrkdwn", "text": "pick"},
                    "accessory": {
                        "type": "static_select",
                        "action_id": "s",
                        "options": [option(f"o{i}") for i in range(101)],
                    },
                }
            ],
            "message",
            "/accessory/options",
        ),
        ([section("x" * 3001)], "message", "/blocks/0/text/text"),
        ([section("x", block_id="b" * 256)], "message", "block_id"),
        ([{"type": "actions", "elements": [button("b", "a", "v" * 2001)]}], "message", "value"),
        ([section("x")] * 0 + [{"type": "divider"}] * 101, "home", "/blocks"),
        ([{"type": "nope"}], "message", "unsupported type"),
    ],
)
def test_check_blocks_limits(blocks: list[Any], surface: Any, fragment: str) -> None:
    problems = check_blocks(blocks, surface=surface)
    assert problems, "expected a problem"
    assert any(fragment in p for p in problems), problems


def test_check_blocks_accepts_limits_exactly() -> None:
    assert check_blocks([{"type": "divider"}] * 100, surface="modal") == []
    assert check_blocks([section("x" * 3000)]) == []
    actions = {"type": "actions", "elements": [button("b" * 75, f"a{i}", "v") for i in range(25)]}
    assert check_blocks([actions]) == []


def test_check_view_limits() -> None:
    modal = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "t" * 25},
        "submit": {"type": "plain_text", "text": "ok"},
        "private_metadata": "m" * 3001,
        "callback_id": "c" * 256,
        "blocks": [
            {
                "type": "input",
                "block_id": "name",
                "label": {"type": "plain_text", "text": "Name"},
                "element": {"type": "plain_text_input", "action_id": "name"},
            }
        ],
    }
    problems = check_view(modal)
    assert any("/view/title/text" in p for p in problems)
    assert any("private_metadata" in p for p in problems)
    assert any("callback_id" in p for p in problems)
    no_submit = {**modal, "title": {"type": "plain_text", "text": "ok"}, "submit": None}
    assert any("submit is required" in p for p in check_view(no_submit))


async def test_conversations_open(slack: FakeSlack, client: AsyncWebClient) -> None:
    for i in range(3, 12):
        slack.add_user(f"U{i}", f"person{i}")
    with pytest.raises(SlackApiError) as exc:
        await client.conversations_open(users=[f"U{i}" for i in range(3, 12)])
    assert error_of(exc) == "too_many_users"
    first = await client.conversations_open(users=["U1", "U2", "U3"])
    again = await client.conversations_open(users="U3,U1,U2")
    assert first["channel"]["id"] == again["channel"]["id"]
    assert first["channel"]["id"].startswith("G")
    dm = await client.conversations_open(users="U1")
    assert dm["channel"]["id"].startswith("D")
    assert dm["channel"]["id"] == slack.dm_channel("U1")
    assert slack.calls_to("conversations.open")[-1].args["users"] == ["U1"]
    with pytest.raises(SlackApiError) as exc:
        await client.conversations_open(users="U404")
    assert error_of(exc) == "user_not_found"
    slack.users["U2"].deleted = True
    with pytest.raises(SlackApiError) as exc:
        await client.conversations_open(users="U2")
    assert error_of(exc) == "user_disabled"


async def test_users_info_shape(client: AsyncWebClient) -> None:
    user = (await client.users_info(user="U1"))["user"]
    assert user["real_name"] == "Ada Lovelace"
    assert user["profile"]["title"] == "Analyst"
    assert user["tz"] == "Europe/London"
    assert user["tz_offset"] in (0, 3600)
    ny = (await client.users_info(user="U2"))["user"]
    assert ny["tz_offset"] in (-5 * 3600, -4 * 3600)
    assert ny["tz_label"].startswith("Eastern")
    with pytest.raises(SlackApiError) as exc:
        await client.users_info(user="U404")
    assert error_of(exc) == "user_not_found"


async def test_files_upload_v2_roundtrip(slack: FakeSlack, client: AsyncWebClient) -> None:
    resp = await client.files_upload_v2(
        channel="C0GENERAL",
        content=b"a,b\n1,2\n",
        filename="report.csv",
        title="Report",
        initial_comment="here you go",
    )
    file_id = resp["file"]["id"]
    stored = slack.uploaded_files[file_id]
    assert stored["content"] == b"a,b\n1,2\n"
    assert stored["filename"] == "report.csv"
    assert stored["channel_id"] == "C0GENERAL"
    assert stored["title"] == "Report"
    share = slack.last_message("C0GENERAL")
    assert share["text"] == "here you go" and share["files"][0]["id"] == file_id


async def test_views(slack: FakeSlack, client: AsyncWebClient) -> None:
    home = {"type": "home", "blocks": [section("welcome", "welcome")]}
    published = await client.views_publish(user_id="U1", view=home)
    assert slack.home_views["U1"]["id"] == published["view"]["id"]
    assert slack.home_views["U1"]["blocks"][0]["text"]["text"] == "welcome"
    modal = {
        "type": "modal",
        "callback_id": "new_thing",
        "title": {"type": "plain_text", "text": "New thing"},
        "blocks": [section("hi")],
    }
    with pytest.raises(SlackApiError) as exc:
        await client.views_open(trigger_id="not-a-trigger", view=modal)
    assert error_of(exc) == "invalid_trigger_id"
    trigger = slack.issue_trigger_id("U1")
    opened = await client.views_open(trigger_id=trigger, view=modal)
    assert opened["view"]["id"].startswith("V")
    assert slack.opened_views[-1]["callback_id"] == "new_thing"
    with pytest.raises(SlackApiError) as exc:
        await client.views_open(trigger_id=trigger, view=modal)
    assert error_of(exc) == "exchanged_trigger_id"
    changed = {**modal, "title": {"type": "plain_text", "text": "Changed"}}
    await client.views_update(view_id=opened["view"]["id"], view=changed)
    assert slack.views[opened["view"]["id"]]["title"]["text"] == "Changed"


async def test_message_odds_and_ends(slack: FakeSlack, client: AsyncWebClient) -> None:
    posted = await client.chat_postMessage(channel="#general", text="react to me")
    assert posted["channel"] == "C0GENERAL"
    await client.reactions_add(channel="C0GENERAL", timestamp=posted["ts"], name="tada")
    with pytest.raises(SlackApiError) as exc:
        await client.reactions_add(channel="C0GENERAL", timestamp=posted["ts"], name="tada")
    assert error_of(exc) == "already_reacted"
    link = await client.chat_getPermalink(channel="C0GENERAL", message_ts=posted["ts"])
    assert link["permalink"].endswith(posted["ts"].replace(".", ""))
    eph = await client.chat_postEphemeral(channel="C0GENERAL", user="U1", text="secret")
    assert slack.ephemerals_to("U1")[-1]["ts"] == eph["message_ts"]
    with pytest.raises(SlackApiError) as exc:
        await client.chat_update(channel="C0GENERAL", ts=eph["message_ts"], text="no")
    assert error_of(exc) == "message_not_found"  # ephemerals cannot be updated
    human = slack.add_message("C0GENERAL", "U1", "mine")
    with pytest.raises(SlackApiError) as exc:
        await client.chat_delete(channel="C0GENERAL", ts=human["ts"])
    assert error_of(exc) == "cant_delete_message"
    await client.chat_delete(channel="C0GENERAL", ts=posted["ts"])
    assert slack.get_message("C0GENERAL", posted["ts"]) is None
    slack.add_channel("C0SECRET", "secret", ["U1"], is_private=True, bot_member=False)
    with pytest.raises(SlackApiError) as exc:
        await client.conversations_info(channel="C0SECRET")
    assert error_of(exc) == "channel_not_found"
    info = await client.conversations_info(channel="C0GENERAL", include_num_members=True)
    assert info["channel"]["is_general"] is True
    assert info["channel"]["num_members"] == 3  # UBOT, U1, U2
    slack.delay("auth.test", 0.05)
    started = time.monotonic()
    await client.auth_test()
    assert time.monotonic() - started >= 0.05


async def test_wait_for(slack: FakeSlack, client: AsyncWebClient) -> None:
    await client.chat_postMessage(channel="C0GENERAL", text="one")
    calls = await slack.wait_for("chat.postMessage", where=lambda c: c.args["text"] == "one")
    assert len(calls) == 1
    with pytest.raises(AssertionError, match=r"chat\.postMessage -> ok"):
        await slack.wait_for("chat.postMessage", count=2, timeout=0.05)


# ---------------------------------------------------------------- driver


class Echo:
    """A tiny app that verifies Slack signatures and records what it received."""

    def __init__(self) -> None:
        self.verifier = SignatureVerifier(SECRET)
        self.requests: list[dict[str, Any]] = []

    async def handle(self, request: web.Request) -> web.Response:
        body = (await request.read()).decode()
        valid = self.verifier.is_valid(
            body=body,
            timestamp=request.headers.get("X-Slack-Request-Timestamp", ""),
            signature=request.headers.get("X-Slack-Signature", ""),
        )
        record = {"body": body, "headers": dict(request.headers), "valid": valid}
        self.requests.append(record)
        if not valid:
            return web.json_response({"error": "invalid signature"}, status=401)
        if request.content_type == "application/json":
            parsed = json.loads(body)
            if parsed.get("type") == "url_verification":
                return web.json_response({"challenge": parsed["challenge"]})
        return web.json_response({"ok": True})

    def last_form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.requests[-1]["body"]).items()}

    def last_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = json.loads(self.last_form()["payload"])
        return payload


@pytest.fixture
async def echo() -> AsyncIterator[tuple[Echo, str]]:
    app_state = Echo()
    app = web.Application()
    app.router.add_post("/slack/events", app_state.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield app_state, f"http://127.0.0.1:{port}/slack/events"
    await runner.cleanup()


@pytest.fixture
async def driver(echo: tuple[Echo, str], slack: FakeSlack) -> AsyncIterator[SlackDriver]:
    async with SlackDriver(echo[1], SECRET, slack=slack) as d:
        yield d


async def test_command_fields(echo: tuple[Echo, str], driver: SlackDriver) -> None:
    app, _ = echo
    resp = await driver.command("U1", "/convene", "coffee weekly")
    assert resp.status == 200 and resp.json == {"ok": True}
    form = app.last_form()
    assert app.requests[-1]["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    assert form["command"] == "/convene"
    assert form["text"] == "coffee weekly"
    assert form["user_id"] == "U1" and form["user_name"] == "ada"
    assert form["team_id"] == "T0001"
    assert form["channel_id"] == "C0GENERAL" and form["channel_name"] == "general"
    assert form["response_url"].startswith("http://127.0.0.1:")
    first_trigger = form["trigger_id"]
    await driver.command("U1", "/convene")
    assert app.last_form()["trigger_id"] != first_trigger
    blank = parse_qs(app.requests[-1]["body"], keep_blank_values=True)
    assert blank["text"] == [""]  # Slack always sends text, empty when none was typed


async def test_signature_failures(echo: tuple[Echo, str], driver: SlackDriver) -> None:
    assert (await driver.command("U1", "/convene", sign=False)).status == 401
    stale = int(time.time()) - 600
    assert (await driver.command("U1", "/convene", timestamp=stale)).status == 401
    assert (await driver.url_verification("abc123")).json == {"challenge": "abc123"}


async def test_event_retry_headers(echo: tuple[Echo, str], driver: SlackDriver) -> None:
    app, _ = echo
    event = {"type": "member_joined_channel", "user": "U1", "channel": "C0GENERAL"}
    await driver.event(event, event_id="Ev0TEST1")
    first = app.requests[-1]
    envelope = json.loads(first["body"])
    assert envelope["type"] == "event_callback"
    assert envelope["event_id"] == "Ev0TEST1"
    assert envelope["authorizations"][0]["user_id"] == BOT_USER_ID
    assert envelope["event"]["user"] == "U1"
    assert "X-Slack-Retry-Num" not in first["headers"]
    await driver.event(event, event_id="Ev0TEST1", retry_num=1)
    retry = app.requests[-1]
    assert retry["headers"]["X-Slack-Retry-Num"] == "1"
    assert retry["headers"]["X-Slack-Retry-Reason"] == "http_timeout"
    assert json.loads(retry["body"])["event_id"] == "Ev0TEST1"
    await driver.event(event)
    assert json.loads(app.requests[-1]["body"])["event_id"].startswith("Ev")


async def test_click_builds_payload_from_posted_blocks(
    echo: tuple[Echo, str], driver: SlackDriver, slack: FakeSlack, client: AsyncWebClient
) -> None:
    app, _ = echo
    blocks = [
        section("Vote!", "poll"),
        {
            "type": "actions",
            "block_id": "options",
            "elements": [button("Book club", "vote", "1"), button("Coffee", "vote_2", "2")],
        },
        {
            "type": "section",
            "block_id": "more",
            "text": {"type": "mrkdwn", "text": "More"},
            "accessory": {
                "type": "overflow",
                "action_id": "menu",
                "options": [option("edit"), option("close")],
            },
        },
        {
            "type": "actions",
            "elements": [
                {
                    "type": "static_select",
                    "action_id": "pick",
                    "options": [option("a"), option("b")],
                }
            ],
        },
    ]
    posted = await client.chat_postMessage(channel="C0GENERAL", text="Vote!", blocks=blocks)
    message = slack.last_message("C0GENERAL")
    assert message["ts"] == posted["ts"]

    await driver.click("U2", message, "vote", value="1")
    payload = app.last_payload()
    assert app.requests[-1]["valid"]
    assert payload["type"] == "block_actions"
    assert payload["user"]["id"] == "U2"
    assert payload["container"] == {
        "type": "message",
        "message_ts": posted["ts"],
        "channel_id": "C0GENERAL",
        "is_ephemeral": False,
    }
    assert payload["message"]["ts"] == posted["ts"]
    assert "channel" not in payload["message"]
    (action,) = payload["actions"]
    assert action["action_id"] == "vote" and action["block_id"] == "options"
    assert action["value"] == "1" and action["type"] == "button"
    assert payload["trigger_id"] and payload["response_url"]

    await driver.click("U2", message, "menu", value="close")
    assert app.last_payload()["actions"][0]["selected_option"]["value"] == "close"
    await driver.click("U2", message, "pick", value="b")
    select = app.last_payload()["actions"][0]
    assert select["type"] == "static_select" and select["selected_option"]["value"] == "b"
    assert select["block_id"]  # generated by the fake like Slack would

    with pytest.raises(ElementNotFoundError):
        await driver.click("U2", message, "no_such_action")
    with pytest.raises(ElementNotFoundError):
        await driver.click("U2", message, "vote", value="999")
    forged = {**message, "ts": "1.000001"}
    with pytest.raises(ElementNotFoundError):
        await driver.click("U2", forged, "vote", value="1")


async def test_response_url_posts_reach_the_fake(
    echo: tuple[Echo, str], driver: SlackDriver, slack: FakeSlack, client: AsyncWebClient
) -> None:
    app, _ = echo
    blocks = [{"type": "actions", "elements": [button("Go", "go", "1")]}]
    await client.chat_postMessage(channel="C0GENERAL", text="original", blocks=blocks)
    message = slack.last_message("C0GENERAL")
    await driver.click("U1", message, "go")
    url = app.last_payload()["response_url"]
    async with aiohttp.ClientSession() as session:
        async with session.post(url, json={"replace_original": True, "text": "done"}) as r:
            assert r.status == 200
        await driver.command("U1", "/convene")
        command_url = app.last_form()["response_url"]
        async with session.post(command_url, json={"text": "only you"}) as r:
            assert r.status == 200
    stored = slack.get_message("C0GENERAL", message["ts"])
    assert stored is not None and stored["text"] == "done"
    assert slack.ephemerals_to("U1")[-1]["text"] == "only you"
    assert len(await slack.wait_for("response_url", count=2)) == 2


async def test_submit_view_and_click_home(
    echo: tuple[Echo, str], driver: SlackDriver, slack: FakeSlack, client: AsyncWebClient
) -> None:
    app, _ = echo
    modal = {
        "type": "modal",
        "callback_id": "new_activity",
        "private_metadata": json.dumps({"kind": "coffee"}),
        "title": {"type": "plain_text", "text": "New activity"},
        "submit": {"type": "plain_text", "text": "Create"},
        "blocks": [
            {
                "type": "input",
                "block_id": "name",
                "label": {"type": "plain_text", "text": "Name"},
                "element": {"type": "plain_text_input", "action_id": "name"},
            },
            {
                "type": "input",
                "block_id": "time",
                "label": {"type": "plain_text", "text": "Time"},
                "element": {"type": "timepicker", "action_id": "time"},
            },
            {
                "type": "input",
                "block_id": "freq",
                "label": {"type": "plain_text", "text": "Frequency"},
                "element": {
                    "type": "static_select",
                    "action_id": "freq",
                    "options": [option("2w")],
                },
            },
        ],
    }
    await client.views_open(trigger_id=slack.issue_trigger_id("U1"), view=modal)
    view = slack.opened_views[-1]
    values = {
        "name": {"name": text_value("Coffee")},
        "time": {"time": time_value("10:00")},
        "freq": {"freq": select_value("2w")},
    }
    await driver.submit_view("U1", view, values)
    payload = app.last_payload()
    assert payload["type"] == "view_submission"
    assert payload["view"]["id"] == view["id"]
    assert payload["view"]["callback_id"] == "new_activity"
    assert json.loads(payload["view"]["private_metadata"]) == {"kind": "coffee"}
    assert payload["view"]["state"]["values"]["time"]["time"]["selected_time"] == "10:00"
    with pytest.raises(ElementNotFoundError):
        await driver.submit_view("U1", view, {"nope": {"nope": text_value("x")}})

    home = {
        "type": "home",
        "blocks": [{"type": "actions", "block_id": "h", "elements": [button("New", "new", "n")]}],
    }
    await client.views_publish(user_id="U1", view=home)
    await driver.click_home("U1", "new")
    payload = app.last_payload()
    assert payload["container"]["type"] == "view"
    assert payload["view"]["type"] == "home"
    assert payload["actions"][0]["value"] == "n"
