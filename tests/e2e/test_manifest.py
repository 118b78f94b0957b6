"""The Slack app manifest and the bot agree: every subscribed event is handled, scopes match."""

from __future__ import annotations

import re
from pathlib import Path

from sqlmodel import select

from bot.app import BOT_SCOPES
from storage.models import Activity
from tests.e2e.harness import ADMIN, Harness, eventually, reply_text

MANIFEST = Path(__file__).resolve().parents[2] / "manifest.yaml"


def _list_after(key: str) -> list[str]:
    """The `- item` lines that follow `key:` in the manifest (no YAML library needed)."""
    lines = MANIFEST.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == f"{key}:")
    items = []
    for line in lines[start + 1 :]:
        match = re.match(r"\s*- (\S+)$", line)
        if not match:
            break
        items.append(match.group(1))
    return items


def test_the_manifest_asks_for_exactly_the_scopes_the_oauth_flow_requests() -> None:
    assert sorted(_list_after("bot")) == sorted(BOT_SCOPES)


async def test_every_subscribed_event_is_handled(harness: Harness) -> None:
    events = _list_after("bot_events")
    assert "app_home_opened" in events
    samples: dict[str, dict[str, object]] = {
        "app_home_opened": {"user": "UMEM", "tab": "home", "channel": "D1"},
        "team_join": {"user": {"id": "UNEW", "name": "new", "tz": "Asia/Tokyo"}},
        "user_change": {"user": {"id": "UMEM", "name": "mia", "tz": "Europe/Rome"}},
        "app_uninstalled": {},
        "tokens_revoked": {"tokens": {"bot": ["UBOT"]}},
        "reaction_added": {"user": "UMEM", "reaction": "tada", "item": {"type": "message"}},
        "reaction_removed": {"user": "UMEM", "reaction": "tada", "item": {"type": "message"}},
        "message.channels": {"user": "UMEM", "channel": "C1", "ts": "1.2", "thread_ts": "1.1"},
        "message.groups": {"user": "UMEM", "channel": "G1", "ts": "1.2", "thread_ts": "1.1"},
        "file_shared": {"file_id": "F1", "user_id": "UMEM", "channel_id": "C1"},
        "member_joined_channel": {"user": "UMEM", "channel": "C0COMMUNITY"},
    }
    assert set(events) == set(samples)
    for name in events:
        # `message.channels` and `message.groups` arrive as events of type `message`.
        event_type = name.split(".")[0]
        response = await harness.say.event({"type": event_type, **samples[name]})
        assert response.status == 200, (name, response.status, response.body)


async def test_uninstalling_pauses_the_workspace_activities(harness: Harness) -> None:
    h = harness
    reply_text(await h.command(ADMIN, "/community", "roles assign <@UORG> organiser"))
    text = 'new announcement <#C0COMMUNITY|community> "every monday 09:00" "Hi" --tz Europe/London'
    reply_text(await h.command("UORG", "/community", text))
    assert (await h.say.event({"type": "app_uninstalled"})).status == 200

    async def paused() -> bool:
        async with h.bot.db.session() as session:
            return (await session.exec(select(Activity))).one().state == "paused"

    await eventually(paused)


async def test_every_message_shortcut_in_the_manifest_opens_its_form(harness: Harness) -> None:
    h = harness
    text = MANIFEST.read_text()
    callback_ids = re.findall(r"^\s+callback_id: (\S+)$", text, flags=re.MULTILINE)
    assert callback_ids == ["share_win"]
    assert "type: message" in text.split("shortcuts:")[1].split("slash_commands:")[0]
    reply_text(await h.command(ADMIN, "/community", "settings channel <#C0COMMUNITY|community>"))
    message = h.slack.add_message("C0COMMUNITY", "UMEM", "We did it")
    for callback_id in callback_ids:
        opened = len(h.slack.opened_views)
        assert (await h.say.message_shortcut("UORG", message, callback_id)).status == 200

        def shown(before: int = opened) -> bool:
            return len(h.slack.opened_views) > before

        await eventually(shown)
