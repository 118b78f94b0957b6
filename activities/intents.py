"""What a use-case asks to be said to Slack ("intro for group 42"), never how.

Each kind declares its intent types (`IntentType`) in its own `intents.py`, each
inside its `INTENTS` tuple (`NAME := IntentType(...)`), so none is left out of it; the
bot's plug-in for that kind gives each type a renderer, and a test checks that no
declared type lacks one. An intent becomes one outbox row; its dedupe key makes
asking twice harmless: the database keeps one row per key.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from activities.actor import Actor
from storage import homes, outbox
from storage.models import Activity


@dataclass(frozen=True, slots=True)
class IntentType:
    """One kind of thing to say, e.g. `coffee.intro`; renderers are keyed by it."""

    name: str
    # A refreshable intent (a message update) may be asked for again after it was
    # sent; the courier then sends it again, coalescing bursts of requests.
    refreshable: bool = False

    def __call__(self, dedupe_key: str, **payload: Any) -> Intent:
        return Intent(self.name, dedupe_key, dict(payload), self.refreshable)


@dataclass(frozen=True, slots=True, kw_only=True)
class IdIntentType(IntentType):
    """An intent type said at most once per one id (a group's intro, a poll's message).

    Its dedupe key and payload both follow from that id, so they are declared with the
    type: `key` is the dedupe key with `{}` where the id goes (stored rows are found by
    these strings, so one must never change), and `about` names the payload field that
    carries the id (the renderer reads it back).
    """

    key: str
    about: str

    def __post_init__(self) -> None:
        _one_place_for_the_id(self.name, self.key)

    def key_of(self, id_: int) -> str:
        return self.key.format(id_)

    def of(self, id_: int) -> Intent:
        return self(self.key_of(id_), **{self.about: id_})

    def update(self, name: str) -> IdIntentType:
        """The type that redraws in place the message this one posts (refreshable, keyed
        after it), e.g. a club's board and `bookclub.board_update`."""
        return IdIntentType(name, key=f"{self.key}:update", about=self.about, refreshable=True)


def _one_place_for_the_id(name: str, key: str) -> None:
    if key.count("{}") != 1:
        raise ValueError(f"{name}: a key needs exactly one {{}} for the id: {key!r}")


@dataclass(frozen=True, slots=True, kw_only=True)
class ReminderType(IntentType):
    """A reminder to one person of one thing (an id) at one stage ("day", "hour") before a
    moment: `key` has `{}` where the id goes and is followed by the stage, the moment (in
    `stamp`'s strftime format, so a moved moment is reminded again) and the person;
    `about` names the payload field that carries the id. Stored keys: never change one."""

    key: str
    about: str
    stamp: str

    def __post_init__(self) -> None:
        _one_place_for_the_id(self.name, self.key)

    def of(self, id_: int, stage: str, user_id: str, at: datetime) -> Intent:
        key = f"{self.key.format(id_)}:{stage}:{at.strftime(self.stamp)}:{user_id}"
        return self(key, **{self.about: id_}, stage=stage, user_id=user_id)


@dataclass(frozen=True, slots=True)
class Intent:
    kind: str
    dedupe_key: str
    payload: dict[str, Any] = field(default_factory=dict)
    refreshable: bool = False


async def say(
    session: AsyncSession,
    *,
    team_id: str,
    intent: Intent,
    now: datetime,
    not_before: datetime | None = None,
) -> None:
    """Record `intent` in the caller's transaction (the courier sends it later)."""
    await outbox.enqueue(session, team_id=team_id, intent=intent, now=now, not_before=not_before)


async def say_all(
    session: AsyncSession, *, team_id: str, said: Iterable[Intent], now: datetime
) -> int:
    """Record each of `said`, in order, as `say` does; how many that was."""
    count = 0
    for intent in said:
        await say(session, team_id=team_id, intent=intent, now=now)
        count += 1
    return count


async def say_for(session: AsyncSession, actor: Actor, intent: Intent) -> None:
    """Record `intent` for what `actor` just did: in their workspace, asked at their moment."""
    await say(session, team_id=actor.team_id, intent=intent, now=actor.now)


# Ask for a refreshable intent again unless a send of it is already pending: the outbox's
# own request, under the name use-cases know it by.
refresh = outbox.request_refresh


# The core's own intent types: not tied to one kind.
ORGANISER_NOTICE = IntentType("organiser.notice")


def run_skipped_notice(*, activity_id: int, run_id: int, user_id: str, reason: str) -> Intent:
    return ORGANISER_NOTICE(
        f"notice:{activity_id}:run:{run_id}:{user_id}",
        activity_id=activity_id,
        user_id=user_id,
        text=reason,
    )


async def tell_skipped(
    session: AsyncSession,
    activity: Activity,
    *,
    run_id: int,
    reason: str,
    now: datetime,
    to: Sequence[str] | None = None,
) -> None:
    """Each of `to` (else whoever set `activity` up) hears why its slot passed unposted."""
    assert activity.id is not None
    notices = [
        run_skipped_notice(activity_id=activity.id, run_id=run_id, user_id=u, reason=reason)
        for u in ((activity.created_by,) if to is None else to)
    ]
    await say_all(session, team_id=activity.team_id, said=notices, now=now)


# Governance (activities/governance.py): rotation DMs, their settled copies, volunteer
# calls, handover notes, welcomes, empty roles and the charter.
GOVERNANCE_INTENTS = (
    ROTATION_ASK := IntentType("roles.rotation_ask"),
    ROTATION_SETTLED := IntentType("roles.rotation_settled"),
    VOLUNTEER_CALL := IntentType("roles.volunteer_call"),
    HANDOVER_ASK := IntentType("roles.handover_ask"),
    ROLE_WELCOME := IntentType("roles.welcome"),
    ROLE_EMPTY := IntentType("roles.empty"),
    ROLE_POLL_RESULT := IntentType("roles.poll_result"),
    CHARTER_WELCOME := IntentType("charter.welcome"),
)
# Recognition (activities/recognition_use_cases.py): wins, thanks and the wins digest.
RECOGNITION_INTENTS = (
    WIN_POST := IntentType("recognition.win"),
    THANKS_DM := IntentType("recognition.thanks_dm"),
    THANKS_POST := IntentType("recognition.thanks_post"),
    WINS_DIGEST := IntentType("recognition.wins_digest"),
)
# Another person's open Home tab, redrawn (on the page it last showed) after a change that
# shows on it. One row per person, refreshable: the changes asked for while it waits to be sent
# give one views.publish, sent by the courier at views.publish's pace.
HOME_REDRAW = IntentType("home.redraw", refreshable=True)


async def redraw_homes(
    session: AsyncSession,
    *,
    team_id: str,
    user_ids: Iterable[str],
    now: datetime,
    admins: bool = False,
    but: str = "",
) -> set[str]:
    """Ask the courier to redraw the Home tab of each of `user_ids` (with `admins`, and of
    every viewer known as a workspace admin) who has opened it, except `but` (the person
    acting, whose own tab is redrawn where it was); returns those viewers, `but` included.

    Called in the transaction of the change that calls for it, so the rows commit with
    the change or not at all. Each row is written even when one is already pending
    (`refresh` would skip it): the write holds the row until the change commits, so a
    courier cannot claim it in between and draw the tab without the change. In viewer
    order, so two changes redrawing the same people take their rows in the same order.
    No minimum interval: a row already waiting takes the changes with it, and a redraw
    asked for while one is being sent goes again after it (see outbox.mark_sent).
    """
    shown = await homes.viewers(session, team_id=team_id, user_ids=user_ids, admins=admins)
    for user_id in sorted(shown - {but}):
        intent = HOME_REDRAW(f"home:{team_id}:{user_id}", user_id=user_id)
        await outbox.enqueue(
            session, team_id=team_id, intent=intent, now=now, min_interval=timedelta(0)
        )
    return shown


# The open Home tabs of a channel's members (a poll opened or closed there): the courier
# reads the members when it sends it and asks for each viewer's HOME_REDRAW.
HOME_REDRAW_CHANNEL = IntentType("home.redraw_channel", refreshable=True)


async def redraw_channel(
    session: AsyncSession, *, team_id: str, channel_id: str, now: datetime, but: str = ""
) -> None:
    """Ask for the open Home tabs of `channel_id`'s members to be redrawn, in the
    transaction of the change they show (written even when pending, as in redraw_homes);
    not `but`'s, whose tab the request redraws itself, where it was."""
    key = f"home-channel:{team_id}:{channel_id}"
    intent = HOME_REDRAW_CHANNEL(key, channel_id=channel_id, but=but)
    await outbox.enqueue(
        session, team_id=team_id, intent=intent, now=now, min_interval=timedelta(0)
    )


CORE_INTENTS = (
    ORGANISER_NOTICE,
    HOME_REDRAW,
    HOME_REDRAW_CHANNEL,
    *GOVERNANCE_INTENTS,
    *RECOGNITION_INTENTS,
)
