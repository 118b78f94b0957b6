"""`/community report [month|quarter|2026-11|2026-Q3] [#channel]`: organisers and sponsors."""

from __future__ import annotations

from slack_sdk.errors import SlackApiError

from activities.errors import UserError
from activities.report import periods, use_cases
from activities.text import escape_mrkdwn
from bot.blocks.report import report_blocks, report_text
from bot.listeners.context import Caller, Reply, Sub

EXAMPLE = "/community report 2026-11 #community"
USAGE = f"Use `/community report [month|quarter|2026-11|2026-Q3] [#channel]`. Example: `{EXAMPLE}`"


async def _members(caller: Caller, channel_id: str, token: str) -> list[str]:
    try:
        return await caller.services.directory.channel_members(caller.team_id, channel_id)
    except SlackApiError as exc:
        raise UserError(
            f"I couldn't find the channel `{escape_mrkdwn(token[:40])}` (or I'm not in it). "
            f"Example: `{EXAMPLE}`",
            field="channel",
        ) from exc


async def report(caller: Caller, args: list[str]) -> Reply:
    channels = [a for a in args if a.startswith(("<#", "#"))]
    words = [a for a in args if a not in channels]
    if len(words) > 1 or len(channels) > 1:
        raise UserError(f"That's more than one period or channel. {USAGE}")
    period = periods.parse(words[0] if words else "", today=caller.now.date())
    asked = await caller.resolve_channel(channels[0], EXAMPLE) if channels else None
    async with caller.services.db.session() as session:
        audience = await use_cases.audience_channel(session, team_id=caller.team_id, asked=asked)
    if not audience and caller.channel_id.startswith(("C", "G")):
        audience = caller.channel_id  # no home channel set: the channel it was asked in
    token = channels[0] if channels else f"<#{audience}>"
    members = await _members(caller, audience, token) if audience else None
    async with caller.services.db.session() as session:
        found = await use_cases.compute(
            session, team_id=caller.team_id, period=period, channel_id=asked, members=members
        )
        if not found.has_data:
            raise UserError(use_cases.no_data(found, asked))
        await use_cases.request(
            session,
            team_id=caller.team_id,
            user_id=caller.user_id,
            report=found,
            request_id=caller.trigger_id or caller.now.isoformat(),
            now=caller.now,
        )
        await session.commit()
    caller.services.courier.wake()
    note = "📈 The chart and a CSV of these figures are on their way to you by DM."
    return Reply(report_text(found), report_blocks(found, note=note))


REPORT = Sub(report, "sponsor")
