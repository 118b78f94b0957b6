"""`/community roadmap [#channel]` (organisers): the next quarter, kept up to date.

One message per channel: asking again in the same channel redraws it; another channel
gets its own message and both are kept up to date (see activities/roadmap.py).
"""

from __future__ import annotations

from activities import roadmap
from activities.channels import check_target
from activities.errors import UserError
from bot.listeners.context import Caller, Reply, Sub

EXAMPLE = "/community roadmap #community"


async def post(caller: Caller, args: list[str]) -> Reply:
    if len(args) > 1:
        raise UserError(f"Name one channel at most. Example: `{EXAMPLE}`")
    channel_id = caller.channel_id
    if args:
        channel_id = await caller.resolve_channel(args[0], EXAMPLE)
    if not channel_id:
        raise UserError(f"Which channel? Example: `{EXAMPLE}`")
    services = caller.services
    check_target(
        await services.directory.channel_access(caller.team_id, channel_id, caller.user_id),
        channel_id,
    )
    async with services.db.session() as session:
        created = await roadmap.post(
            session,
            catalog=services.catalog,
            directory=services.directory,
            actor=caller.actor,
            channel_id=channel_id,
            timezone=await caller.timezone(),
        )
    services.courier.wake()
    if created:
        return Reply(
            f"🗺️ Posting the roadmap of the next quarter in <#{channel_id}>. I'll keep that "
            "message up to date as activities change and dates pass."
        )
    return Reply(f"🗺️ <#{channel_id}> already has the roadmap: I'm redrawing it now.")


ROADMAP = Sub(post, "organiser")
