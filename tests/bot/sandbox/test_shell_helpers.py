"""The sandbox helpers the shell relies on: command answers, view_submission answers,
people's reactions — each as Slack would show it."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.sandbox import FakeSlack


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    async with FakeSlack(seed=1) as fake:
        fake.add_user("U1", "ada")
        fake.add_channel("C1", "community", ["U1"])
        yield fake


def modal(title: str) -> dict[str, object]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": title},
        "blocks": [{"type": "section", "text": {"type": "plain_text", "text": title}}],
    }


async def test_a_command_answer_is_ephemeral_unless_in_channel(slack: FakeSlack) -> None:
    quiet = slack.show_command_answer("C1", "U1", {"text": "only you"})
    assert quiet["is_ephemeral"] and slack.ephemerals_to("U1") == [quiet]
    loud = slack.show_command_answer("C1", "U1", {"text": "all", "response_type": "in_channel"})
    assert slack.messages("C1")[-1]["ts"] == loud["ts"] and loud["text"] == "all"
    assert slack.messages("C1")[-1]["bot_id"] == slack.bot_id


async def test_view_submission_update_and_push(slack: FakeSlack) -> None:
    client = AsyncWebClient(token="xoxb-test", base_url=slack.api_url)
    trigger = slack.issue_trigger_id("U1")
    opened = (await client.views_open(trigger_id=trigger, view=modal("First")))["view"]
    updated = slack.answer_view_submission(
        opened["id"], {"response_action": "update", "view": modal("Second")}
    )
    assert updated is not None and updated["id"] == opened["id"]
    assert slack.views[opened["id"]]["title"]["text"] == "Second"
    assert slack.view_owner[opened["id"]] == "U1"
    pushed = slack.answer_view_submission(
        opened["id"], {"response_action": "push", "view": modal("Third")}
    )
    assert pushed is not None and pushed["id"] != opened["id"]
    assert pushed["previous_view_id"] == opened["id"] and slack.view_owner[pushed["id"]] == "U1"
    assert slack.answer_view_submission(opened["id"], {}) is None  # closed: nothing shows


async def test_people_react_and_unreact(slack: FakeSlack) -> None:
    message = slack.add_message("C1", "U1", "hello")
    slack.react("C1", message["ts"], "U1", "tada")
    slack.react("C1", message["ts"], "U1", "tada")  # once per person
    assert slack.get_message("C1", message["ts"])["reactions"] == [  # type: ignore[index]
        {"name": "tada", "users": ["U1"], "count": 1}
    ]
    slack.react("C1", message["ts"], "U1", "tada", add=False)
    assert slack.get_message("C1", message["ts"])["reactions"] == []  # type: ignore[index]


async def test_a_snapshot_restores_conversations_in_a_new_workspace(slack: FakeSlack) -> None:
    client = AsyncWebClient(token="xoxb-test", base_url=slack.api_url)
    dm = (await client.conversations_open(users="U1"))["channel"]["id"]
    posted = await client.chat_postMessage(channel=dm, text="hi Ada")
    slack.add_message("C1", "U1", "hello")
    saved = json.loads(json.dumps(slack.snapshot()))  # it survives a trip through a file

    later = FakeSlack(seed=1)
    later.add_user("U1", "ada")
    later.restore(saved)
    assert later.dm_channel("U1") == dm
    assert [m["text"] for m in later.dm_messages("U1")] == ["hi Ada"]
    assert [m["text"] for m in later.messages("C1")] == ["hello"]
    assert later.next_ts() > posted["ts"]  # new messages still sort after the kept ones
