"""Advent entries from a CSV or text file an organiser shares in the run's channel.

Slack sends `file_shared`; the bot reads the file's facts with files.info and its
content from `url_private` with the bot token. Files shared by members, or of other
types, or in channels without a running advent are ignored.
"""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext

from activities.kinds.advent import rules
from activities.kinds.advent import use_cases as advent
from activities.text import escape_mrkdwn
from bot.listeners.context import Caller, services_of
from storage import activities as activity_store
from storage.kinds.advent import queries as store
from storage.models import ActivityState

log = logging.getLogger(__name__)

TEXT_TYPES = frozenset({"csv", "text"})
SHOWN_PROBLEMS = 10


def _as_csv(info: dict[str, Any]) -> bool | None:
    """CSV, plain text, or None when the file is neither (ignored)."""
    name = str(info.get("name", "")).lower()
    filetype = str(info.get("filetype", "")).lower()
    if filetype == "csv" or name.endswith(".csv"):
        return True
    if filetype in TEXT_TYPES or name.endswith(".txt"):
        return False
    return None


async def _download(http: aiohttp.ClientSession, url: str, token: str) -> bytes:
    async with http.get(url, headers={"Authorization": f"Bearer {token}"}) as response:
        response.raise_for_status()
        if response.content_type == "text/html":  # Slack's sign-in page: the token was refused
            raise PermissionError("the file could not be read with the bot's token")
        return await response.content.read(rules.MAX_FILE_BYTES + 1)


def summary(name: str, added: int, problems: list[str]) -> str:
    said = f"📥 Imported {added} {'entry' if added == 1 else 'entries'} from {escape_mrkdwn(name)}."
    if problems:
        shown = "\n".join(f"• {p}" for p in problems[:SHOWN_PROBLEMS])
        more = len(problems) - SHOWN_PROBLEMS
        extra = f"\n…and {more} more." if more > 0 else ""
        said += f" {len(problems)} rows were not imported; fix them and share those again:\n"
        said += shown + extra
    return said


async def on_file_shared(event: dict[str, Any], context: AsyncBoltContext, client: Any) -> None:
    services = services_of(context)
    team_id, channel_id = context.team_id or "", str(event.get("channel_id", ""))
    user_id, file_id = str(event.get("user_id", "")), str(event.get("file_id", ""))
    async with services.db.session() as session:
        runs = [
            r
            for r in await activity_store.list_activities(
                session, team_id=team_id, states=(ActivityState.ACTIVE,), kinds=(store.KIND,)
            )
            if r.channel_id == channel_id
        ]
    if not runs or not file_id:
        return
    info = (await client.files_info(file=file_id))["file"]
    as_csv = _as_csv(info)
    if as_csv is None or not (await services.standing(team_id, user_id)).may_organise:
        return
    caller = Caller(
        services=services,
        team_id=team_id,
        user_id=user_id,
        channel_id=channel_id,
        trigger_id="",
        client=client,
        now=services.clock.now(),
    )
    name = str(info.get("name", "the file"))
    if int(info.get("size", 0)) > rules.MAX_FILE_BYTES:
        await caller.tell(f"⚠️ {escape_mrkdwn(name)} is over 256 KB; split it into smaller files.")
        return
    token = context.bot_token or services.settings.slack_bot_token
    if services.http is None or not token:
        return
    try:
        content = await _download(services.http, str(info["url_private"]), token)
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        await caller.tell(f"⚠️ {escape_mrkdwn(name)} isn't UTF-8 text; save it as CSV (UTF-8).")
        return
    except (aiohttp.ClientError, PermissionError) as exc:
        log.warning("advent file unreadable", extra={"file_id": file_id, "error": str(exc)})
        await caller.tell(f"⚠️ I couldn't read {escape_mrkdwn(name)}; try sharing it again.")
        return
    run = runs[-1]
    async with services.db.session() as session:
        result = await advent.import_file(
            session, activity=run, actor_id=user_id, text=text, as_csv=as_csv, now=caller.now
        )
    log.info(
        "advent file imported",
        extra={"activity_id": run.id, "added": result.added, "bad_rows": len(result.problems)},
    )
    await caller.tell(summary(name, result.added, result.problems))


def register(app: AsyncApp) -> None:
    app.event("file_shared")(on_file_shared)
