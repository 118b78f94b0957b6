"""What a book club asks to be said."""

from __future__ import annotations

from datetime import datetime

from activities.intents import Intent, IntentType

INTENTS = (
    BOARD := IntentType("bookclub.board"),
    BOARD_UPDATE := IntentType("bookclub.board_update", refreshable=True),
    NUDGE := IntentType("bookclub.nudge"),
    WINNER := IntentType("bookclub.winner"),
    PLAN := IntentType("bookclub.plan"),
    MILESTONE := IntentType("bookclub.milestone"),
    MILESTONE_UPDATE := IntentType("bookclub.milestone_update", refreshable=True),
    MILESTONE_THREAD := IntentType("bookclub.milestone_thread"),
    MEETING := IntentType("bookclub.meeting"),
    MEETING_UPDATE := IntentType("bookclub.meeting_update", refreshable=True),
    REMINDER := IntentType("bookclub.reminder"),
    DISCUSSION := IntentType("bookclub.discussion"),
    HISTORY := IntentType("bookclub.history"),
    MOVED := IntentType("bookclub.moved"),
)


def board_key(activity_id: int) -> str:
    return f"bookclub:{activity_id}:board"


def board(activity_id: int) -> Intent:
    return BOARD(board_key(activity_id), activity_id=activity_id)


def board_update(activity_id: int) -> Intent:
    return BOARD_UPDATE(f"{board_key(activity_id)}:update", activity_id=activity_id)


def nudge(activity_id: int, run_id: int) -> Intent:
    return NUDGE(f"bookclub:{activity_id}:run:{run_id}", activity_id=activity_id)


def winner(round_id: int) -> Intent:
    return WINNER(f"bookclub:round:{round_id}:winner", round_id=round_id)


def plan(round_id: int, planned_at: datetime) -> Intent:
    stamp = planned_at.strftime("%Y%m%dT%H%M%S.%f")
    return PLAN(f"bookclub:round:{round_id}:plan:{stamp}", round_id=round_id)


def milestone_key(milestone_id: int) -> str:
    return f"bookclub:milestone:{milestone_id}"


def milestone(milestone_id: int) -> Intent:
    return MILESTONE(milestone_key(milestone_id), milestone_id=milestone_id)


def milestone_update(milestone_id: int) -> Intent:
    return MILESTONE_UPDATE(f"{milestone_key(milestone_id)}:update", milestone_id=milestone_id)


def milestone_thread(milestone_id: int) -> Intent:
    return MILESTONE_THREAD(f"{milestone_key(milestone_id)}:thread", milestone_id=milestone_id)


def meeting_key(round_id: int) -> str:
    return f"bookclub:round:{round_id}:meeting"


def meeting(round_id: int) -> Intent:
    return MEETING(meeting_key(round_id), round_id=round_id)


def meeting_update(round_id: int) -> Intent:
    return MEETING_UPDATE(f"{meeting_key(round_id)}:update", round_id=round_id)


def reminder(round_id: int, stage: str, user_id: str, meeting_at: datetime) -> Intent:
    # The meeting's time is in the key: a moved meeting is reminded again.
    stamp = meeting_at.strftime("%Y%m%dT%H%M")
    return REMINDER(
        f"bookclub:round:{round_id}:remind:{stage}:{stamp}:{user_id}",
        round_id=round_id,
        stage=stage,
        user_id=user_id,
    )


def discussion(round_id: int) -> Intent:
    return DISCUSSION(f"bookclub:round:{round_id}:discussion", round_id=round_id)


def history(round_id: int) -> Intent:
    return HISTORY(f"bookclub:round:{round_id}:history", round_id=round_id)


def moved(round_id: int, user_id: str, now: datetime) -> Intent:
    stamp = now.strftime("%Y%m%dT%H%M%S.%f")
    return MOVED(
        f"bookclub:round:{round_id}:moved:{stamp}:{user_id}", round_id=round_id, user_id=user_id
    )
