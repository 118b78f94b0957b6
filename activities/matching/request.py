"""The contract of the matcher: who takes part, what a round asks for, what it returns."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from activities import working_week
from activities.matching.history import History

Mode = Literal["coffee", "breakfast"]

REASON_NOT_ENOUGH = "not enough participants"
REASON_AVOID = "avoid constraints"


@dataclass(frozen=True, slots=True)
class Participant:
    """One person opted in to a round, with everything the cost model reads.

    * ``team`` -- whatever the Slack profile offers (team, department or
      title); two people of the same team cost TEAM_PENALTY per pair, so
      groups mix teams.
    * ``timezone`` -- an IANA name (unknown names count as UTC).
    * ``working_hours`` -- whole local hours ``(start, end)`` (by default the one
      default of activities/working_week.py); ``end`` may be 24
      and a night shift such as ``(22, 6)`` wraps past midnight.  Together
      with ``timezone`` they give the half hours of the round's day a person
      can meet (for breakfast: only those inside the local morning, 07-10).
      A group whose members share no such half hour costs SCHEDULE_PENALTY
      per member who cannot make its best slot -- more than a repeat -- so
      people whose hours overlap are grouped together, and
      :func:`suggest_slot` never proposes a time outside anyone's hours.
    * ``channels`` -- ids of the Slack channels the person is in.  Each
      channel two people share costs CHANNEL_PENALTY (at most CHANNEL_CAP
      per pair): people who share few channels probably do not know each
      other yet, so they are preferred together.
    * ``avoid`` -- user ids never to be grouped with (either direction).
    * ``days`` -- the local weekdays (Monday = 0) those hours are worked on; a round
      looks for a common time over the week from its day, so two people with no
      common day cost SCHEDULE_PENALTY together like two whose hours never meet.
    """

    user_id: str
    team: str = ""
    timezone: str = "UTC"
    channels: frozenset[str] = frozenset()
    working_hours: tuple[int, int] = working_week.HOURS
    avoid: frozenset[str] = frozenset()
    days: frozenset[int] = working_week.DAYS

    def __post_init__(self) -> None:
        start, end = self.working_hours
        if not (0 <= start < 24 and 0 < end <= 24 and start != end):
            raise ValueError(f"invalid working hours {self.working_hours!r}")
        if not self.days or not self.days <= frozenset(range(7)):
            raise ValueError(f"invalid working days {sorted(self.days)!r}")


@dataclass(frozen=True, slots=True)
class MatchRequest:
    """Everything one round needs; ``now_utc`` fixes the day used for time zones."""

    participants: Sequence[Participant]
    group_size: int = 2
    history: History = field(default_factory=History)
    seed: int = 0
    mode: Mode = "coffee"
    now_utc: datetime | None = None

    def __post_init__(self) -> None:
        if not 2 <= self.group_size <= 4:
            raise ValueError("group_size must be between 2 and 4")
        if self.mode not in ("coffee", "breakfast"):
            raise ValueError(f"unknown mode {self.mode!r}")
        if self.now_utc is not None and self.now_utc.tzinfo is None:
            raise ValueError("now_utc must be timezone-aware")


@dataclass(frozen=True, slots=True)
class Group:
    """One coffee/breakfast group and why it was chosen.

    ``score`` is the group's cost (0 = strangers from different teams with a
    shared slot); ``repeat_pairs`` counts pairs inside it that met before.
    """

    members: tuple[str, ...]
    score: int
    repeat_pairs: int
    same_team_pairs: int
    shared_channels: int
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LeftOut:
    """Someone not placed in any group, and why."""

    user_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class MatchResult:
    """The round: groups, anyone left out (normally nobody) and a skip reason."""

    groups: list[Group]
    left_out: list[LeftOut] = field(default_factory=list)
    skipped_reason: str | None = None

    @property
    def member_groups(self) -> list[tuple[str, ...]]:
        """Just the member tuples, e.g. for :meth:`History.with_round`."""
        return [group.members for group in self.groups]

    @property
    def repeat_pairs(self) -> int:
        return sum(group.repeat_pairs for group in self.groups)

    @property
    def score(self) -> int:
        return sum(group.score for group in self.groups)


def dedupe(participants: Iterable[Participant]) -> list[Participant]:
    """First entry per user id wins; sorted so input order never matters."""
    unique: dict[str, Participant] = {}
    for person in participants:
        unique.setdefault(person.user_id, person)
    return [unique[uid] for uid in sorted(unique)]
