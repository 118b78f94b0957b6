"""Who met whom, and how many rounds ago: the memory every round is matched against."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PastMeeting:
    """Two people were in the same group ``rounds_ago`` rounds ago (1 = last round)."""

    a: str
    b: str
    rounds_ago: int

    def __post_init__(self) -> None:
        if self.rounds_ago < 1:
            raise ValueError("rounds_ago must be >= 1")


class History:
    """Who has met whom, and how many rounds ago they last met.

    Immutable: :meth:`with_round` returns a new history.  Internally each pair
    keeps the *stamp* of the round it last met in, so adding a round costs time
    proportional to that round only.
    """

    __slots__ = ("_clock", "_last")

    def __init__(self, meetings: Iterable[PastMeeting] = ()) -> None:
        self._clock = 0
        self._last: dict[str, dict[str, int]] = {}
        for meeting in meetings:
            # rounds_ago=1 -> stamp 0 == the current clock (the latest round).
            self._stamp(meeting.a, meeting.b, 1 - meeting.rounds_ago)

    @classmethod
    def from_rounds(cls, rounds: Iterable[Iterable[Sequence[str]]]) -> History:
        """Build from past rounds, oldest first; the last one is 1 round ago."""
        history = cls()
        for groups in rounds:
            history._clock += 1
            for group in groups:
                history._stamp_group(group, history._clock)
        return history

    def with_round(self, groups: Iterable[Sequence[str]]) -> History:
        """Return a history where ``groups`` just met and all else aged one round."""
        new = History()
        new._clock = self._clock + 1
        new._last = dict(self._last)  # rows are copied on first write below
        copied: set[str] = set()
        for group in groups:
            members = list(dict.fromkeys(group))
            for a in members:
                if a not in copied:
                    new._last[a] = dict(new._last.get(a, {}))
                    copied.add(a)
                row = new._last[a]
                for b in members:
                    if b != a:
                        row[b] = new._clock
        return new

    def rounds_ago(self, a: str, b: str) -> int | None:
        """How many rounds ago ``a`` and ``b`` last met, or None if never."""
        stamp = self._last.get(a, {}).get(b)
        return None if stamp is None else self._clock - stamp + 1

    def has_met(self, a: str, b: str) -> bool:
        """True when the two have been grouped together before."""
        return b in self._last.get(a, {})

    def partners(self, user_id: str) -> dict[str, int]:
        """Everyone ``user_id`` has met, mapped to rounds ago."""
        row = self._last.get(user_id, {})
        return {other: self._clock - stamp + 1 for other, stamp in sorted(row.items())}

    def meetings(self) -> Iterator[PastMeeting]:
        """Every pair once (``a < b``), in a stable order."""
        for a in sorted(self._last):
            for b, stamp in sorted(self._last[a].items()):
                if a < b:
                    yield PastMeeting(a, b, self._clock - stamp + 1)

    def __len__(self) -> int:
        return sum(len(row) for row in self._last.values()) // 2

    def __repr__(self) -> str:
        return f"History(pairs={len(self)}, rounds_recorded={self._clock})"

    @property
    def clock(self) -> int:
        """Stamp of the latest round; a pair stamped ``s`` met ``clock - s + 1`` rounds ago."""
        return self._clock

    def stamps(self, user_id: str) -> dict[str, int] | None:
        """Engine access: raw stamps for one user (None when they met nobody); do not mutate."""
        return self._last.get(user_id)

    def _stamp(self, a: str, b: str, stamp: int) -> None:
        """Record a meeting, keeping the most recent stamp per pair."""
        if a == b:
            return
        for x, y in ((a, b), (b, a)):
            row = self._last.setdefault(x, {})
            if row.get(y, stamp - 1) < stamp:
                row[y] = stamp

    def _stamp_group(self, group: Sequence[str], stamp: int) -> None:
        members = list(dict.fromkeys(group))
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                self._stamp(a, b, stamp)
