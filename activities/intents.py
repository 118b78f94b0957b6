"""What a use-case asks to be said to Slack ("intro for group 42"), never how.

An intent becomes one outbox row. The dedupe key makes asking twice harmless:
the database keeps one row per key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Intent:
    kind: str
    dedupe_key: str
    payload: dict[str, Any] = field(default_factory=dict)
    # A refreshable intent (a message update) may be asked for again after it was
    # sent; the courier then sends it again, coalescing bursts of requests.
    refreshable: bool = False


def announcement_post(*, activity_id: int, run_id: int) -> Intent:
    return Intent(
        "announcement.post",
        f"announcement:{activity_id}:run:{run_id}",
        {"activity_id": activity_id, "run_id": run_id},
    )


def run_skipped_notice(*, activity_id: int, run_id: int, user_id: str, reason: str) -> Intent:
    return Intent(
        "organiser.notice",
        f"notice:{activity_id}:run:{run_id}:{user_id}",
        {"activity_id": activity_id, "user_id": user_id, "text": reason},
    )


def role_term_reminder(*, term_id: int, admin_id: str) -> Intent:
    return Intent(
        "roles.term_reminder",
        f"roles:term:{term_id}:reminder:{admin_id}",
        {"term_id": term_id, "admin_id": admin_id},
    )
