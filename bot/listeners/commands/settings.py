"""`/community settings <what> #channel`: one piece for every setting that names a channel."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from activities.errors import UserError
from bot.listeners.context import Caller, Reply, Subcommand

ChannelSetter = Callable[..., Awaitable[None]]


def channel_setting(example: str, setter: ChannelSetter, done: str) -> Subcommand:
    """A handler that resolves the channel named, stores it with `setter` (a use-case
    taking session, actor and channel_id) and confirms with `done`
    (a format string with `{channel}`)."""

    async def handler(caller: Caller, args: list[str]) -> Reply:
        if not args:
            raise UserError(f"Which channel? Example: `{example}`")
        channel_id = await caller.resolve_channel(args[0], example)
        async with caller.services.db.session() as session:
            await setter(session, actor=caller.actor, channel_id=channel_id)
        return Reply(done.format(channel=f"<#{channel_id}>"))

    return handler
