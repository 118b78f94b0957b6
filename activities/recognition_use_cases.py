"""Recognition's use-cases: share a win, thank someone, the settings, the leaderboard,
the monthly wins digest. Each reads and writes through `storage/recognition.py` in the
caller's transaction and records what is to be said as intents."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from activities import intents
from activities import recognition as rules
from activities.actor import Actor
from activities.audit_trail import record
from activities.errors import UserError
from activities.kind import Named
from activities.recognition import Month, Placing
from storage import recognition as store
from storage.models import Thanks, Win
from storage.recognition import TYPED, Source

log = logging.getLogger(__name__)

NO_WINS_CHANNEL = (
    "This community has no wins channel yet. An organiser sets one with "
    "`/community settings wins #channel` (or an admin sets the home channel with "
    "`/community settings channel #community`, which wins then use)."
)
LEADERBOARD_OFF = (
    "The thanks leaderboard is off here (it is unless an organiser turns it on with "
    "`/community settings leaderboard on`). Thanks still reach the people you thank."
)


async def wins_channel(session: AsyncSession, *, team_id: str) -> str:
    """Where wins go: the wins channel, else the home channel; refused when neither."""
    channel = await channel_of(session, team_id=team_id)
    if not channel:
        raise UserError(NO_WINS_CHANNEL)
    return channel


async def channel_of(session: AsyncSession, *, team_id: str) -> str:
    """The wins channel, else the home channel, else ""."""
    settings = await store.settings_of(session, team_id=team_id)
    return settings.wins_channel_id or await store.home_channel(session, team_id=team_id)


async def share_win(
    session: AsyncSession,
    *,
    actor: Actor,
    text: str,
    credit: Sequence[str] = (),
    source: Source = TYPED,
) -> Win:
    """Store a win and ask for its post in the wins channel. `credit` (the shortcut's
    picked people) wins over the mentions in the text; with neither, the author."""
    text = rules.win_text(text)
    channel = await wins_channel(session, team_id=actor.team_id)
    credited = list(dict.fromkeys(credit)) or rules.credited(actor.user_id, text)
    win = await store.add_win(session, actor, text=text, credited=credited, source=source)
    await intents.say_for(
        session,
        actor,
        intents.WIN_POST(f"win:{win.id}", win_id=win.id, channel=channel, source_link=source.link),
    )
    log.info(
        "win shared",
        extra={"team_id": actor.team_id, "win": win.id, "credited": len(credited)},
    )
    return win


@dataclass(frozen=True, slots=True)
class Thanked:
    thanks: Thanks
    dm_only: rules.DmOnly | None  # why a thanks asked to be `--public` is not


async def thank(
    session: AsyncSession,
    *,
    actor: Actor,
    receiver: Named,
    note: rules.ThanksNote,
    zone: str,
) -> Thanked:
    """Thank `receiver` for `note`: refused for oneself, a bot, an unknown person, or beyond
    the daily cap (the giver's own day, in `zone`); a DM to the receiver (in their working
    hours) and, when asked and not opted out of, a post in the wins channel.
    `receiver`'s profile is read from Slack before the transaction."""
    receiver_id, profile = receiver.user_id, receiver.profile
    if profile is None or profile.deleted:
        raise UserError(
            f"I couldn't find <@{receiver_id}> in this workspace. Example: `{rules.THANKS_EXAMPLE}`"
        )
    rules.check_receiver(actor.user_id, receiver_id, is_bot=profile.is_bot)
    reason = rules.reason_text(note.reason)
    day = rules.day_of(actor.now, zone)
    given = await store.thanks_given_since(
        session, team_id=actor.team_id, giver_id=actor.user_id, since=day.start
    )
    rules.check_daily_cap(given, day, actor.now)
    opted_out = await store.opted_out(session, team_id=actor.team_id, user_id=receiver_id)
    shown = rules.shout_out(note.public, opted_out)
    channel = await channel_of(session, team_id=actor.team_id) if shown else ""
    thanks = await store.add_thanks(
        session,
        thanks=Thanks(
            team_id=actor.team_id,
            giver_id=actor.user_id,
            receiver_id=receiver_id,
            reason=reason,
            public=bool(shown and channel),
            channel_id=channel,
            created_at=actor.now,
        ),
    )
    await intents.say_for(
        session, actor, intents.THANKS_DM(f"thanks:{thanks.id}:dm", thanks_id=thanks.id)
    )
    if thanks.public:
        await intents.say_for(
            session, actor, intents.THANKS_POST(f"thanks:{thanks.id}:post", thanks_id=thanks.id)
        )
    log.info("thanks given", extra={"team_id": actor.team_id, "thanks": thanks.id, "public": shown})
    return Thanked(thanks, rules.dm_only(note.public, opted_out, channel))


async def set_wins_channel(session: AsyncSession, *, actor: Actor, channel_id: str) -> None:
    await _change(session, actor, "settings.wins", wins_channel_id=channel_id)


async def set_leaderboard(session: AsyncSession, *, actor: Actor, on: bool) -> None:
    await _change(session, actor, "settings.leaderboard", leaderboard=on)


async def _change(session: AsyncSession, actor: Actor, action: str, **values: str | bool) -> None:
    settings = await store.settings_of(session, team_id=actor.team_id)
    for name, value in values.items():
        setattr(settings, name, value)
    settings.updated_by = actor.user_id
    settings.updated_at = actor.now
    await store.save_settings(session, settings=settings)
    await record(session, actor, action, "settings", dict(values))


async def leaderboard(session: AsyncSession, *, team_id: str, now: datetime) -> list[Placing]:
    """This month's most thanked (UTC month: it starts fresh on the 1st); refused when
    the community has not turned the leaderboard on."""
    settings = await store.settings_of(session, team_id=team_id)
    if not settings.leaderboard:
        raise UserError(LEADERBOARD_OFF)
    start, end = Month.of(now.date()).window()
    receivers = await store.receivers_between(session, team_id=team_id, start=start, end=end)
    return rules.ranking(receivers)


async def post_digests(session: AsyncSession, *, now: datetime) -> int:
    """On the first working day of a month, ask for last month's wins digest in each
    team's wins channel (once a team and month: the dedupe key)."""
    month = rules.digest_due(now.date())
    if month is None:
        return 0
    start, end = month.window()
    asked = 0
    for team_id in await store.teams_with_wins(session, start=start, end=end):
        channel = await channel_of(session, team_id=team_id)
        if not channel:
            continue
        intent = intents.WINS_DIGEST(
            f"wins-digest:{team_id}:{month.key}", month=month.key, channel=channel
        )
        await intents.say(session, team_id=team_id, intent=intent, now=now)
        asked += 1
    return asked
