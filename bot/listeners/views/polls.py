"""The /poll modal's submission."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext

from activities.polls import PollError, build_poll_spec
from activities.schedule import ScheduleError
from bot.blocks.polls import MODAL_CALLBACK_ID, modal_errors, parse_poll_modal
from bot.listeners.commands.poll import parse_closes, start_poll
from bot.listeners.context import services_of, tell


async def handle_submission(
    ack: AsyncAck,
    body: dict[str, Any],
    view: dict[str, Any],
    context: AsyncBoltContext,
    client: Any,
) -> None:
    services = services_of(context)
    team_id = context.team_id or (body.get("team") or {}).get("id", "")
    user_id = body["user"]["id"]
    fields = parse_poll_modal(view["state"]["values"])
    channel_id = fields["channel_id"]
    if not channel_id:
        await ack(response_action="errors", errors={"channel": "Pick a channel for the poll."})
        return
    now = services.clock.now()
    try:
        closes_at = await parse_closes(services, team_id, user_id, fields["closes"], now)
    except ScheduleError as exc:
        await ack(response_action="errors", errors={"closes": str(exc)[:2000]})
        return
    try:
        spec = build_poll_spec(
            fields["question"],
            fields["options"],
            kind=fields["kind"],
            scale=fields["scale"],
            multi=fields["multi"],
            anonymous=fields["anonymous"],
            hide_results=fields["hide_results"],
            closes_at=closes_at,
            now=now,
        )
    except PollError as exc:
        await ack(response_action="errors", errors=modal_errors(exc))
        return
    text = await start_poll(
        services, team_id=team_id, channel_id=channel_id, creator_id=user_id, spec=spec, now=now
    )
    await ack()
    await tell(client, user_id=user_id, channel_id=channel_id, text=text)


def register(app: AsyncApp) -> None:
    app.view(MODAL_CALLBACK_ID)(handle_submission)
