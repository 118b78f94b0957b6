"""Next-due moments: the first moment ahead, and the moments dated steps change at."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

import pytest

from activities import due, recognition
from activities.kinds.bookclub import rules as club_rules
from activities.kinds.talks import rules as talk_rules
from activities.moments import Step, step_moments
from activities.report import use_cases as report

NOW = datetime(2026, 12, 2, 10, 30, tzinfo=UTC)


def test_next_after_takes_the_first_moment_strictly_ahead_and_reads_naive_as_utc() -> None:
    later = NOW + timedelta(hours=2)
    naive_sooner = (NOW + timedelta(hours=1)).replace(tzinfo=None)
    assert due.next_after(NOW, [None, NOW, NOW - timedelta(days=1), later]) == later
    assert due.next_after(NOW, [later, naive_sooner]) == NOW + timedelta(hours=1)
    assert due.next_after(NOW, [NOW, None]) is None


def test_a_terms_next_due_dates_and_the_digest_and_report_turns() -> None:
    # The digest's window: from December's first working day (Tue 1st) for a week.
    assert recognition.next_digest_change(NOW) == datetime(2026, 12, 8, tzinfo=UTC)
    assert recognition.next_digest_change(datetime(2026, 12, 9, tzinfo=UTC)) == datetime(
        2027, 1, 1, tzinfo=UTC
    )
    # The monthly report: 08:00 on the first working day (January 1st 2027 is a Friday).
    assert report.next_monthly_change(NOW) == datetime(2027, 1, 1, 8, 0, tzinfo=UTC)
    assert report.next_monthly_change(datetime(2026, 11, 30, tzinfo=UTC)) == datetime(
        2026, 12, 1, 8, 0, tzinfo=UTC
    )


SLOT = datetime(2026, 12, 10, 13, 0, tzinfo=UTC)
# Every minute from ten days before the event to two hours after it.
MOMENTS = [SLOT - timedelta(days=10) + timedelta(minutes=m) for m in range(0, 10 * 24 * 60 + 121)]


@pytest.mark.parametrize(
    ("due_steps", "steps"),
    [
        (
            lambda now: talk_rules.due_steps(slot_at=SLOT, now=now, done=frozenset()),
            talk_rules.TALK_STEPS,
        ),
        (
            lambda now: club_rules.due_steps(meeting_at=SLOT, now=now, done=frozenset()),
            club_rules.MEETING_STEPS,
        ),
    ],
    ids=["talks", "bookclub"],
)
def test_dated_steps_change_only_at_their_step_moments(
    due_steps: Callable[[datetime], list[str]], steps: Sequence[Step]
) -> None:
    """Between two consecutive declared moments the due steps stay the same: a clock that
    jumps from one to the next misses no step."""
    boundaries = step_moments(SLOT, steps)
    changes = [b for a, b in itertools.pairwise(MOMENTS) if due_steps(a) != due_steps(b)]
    assert changes and set(changes) <= set(boundaries), sorted(set(changes) - set(boundaries))
