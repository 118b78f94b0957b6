"""What a book club asks to be said."""

from __future__ import annotations

from datetime import datetime

from activities.intents import IdIntentType, Intent, IntentType, ReminderType

INTENTS = (
    BOARD := IdIntentType("bookclub.board", key="bookclub:{}:board", about="activity_id"),
    BOARD_UPDATE := BOARD.update("bookclub.board_update"),
    NUDGE := IntentType("bookclub.nudge"),
    WINNER := IdIntentType("bookclub.winner", key="bookclub:round:{}:winner", about="round_id"),
    PLAN := IntentType("bookclub.plan"),
    MILESTONE := IdIntentType(
        "bookclub.milestone", key="bookclub:milestone:{}", about="milestone_id"
    ),
    MILESTONE_UPDATE := MILESTONE.update("bookclub.milestone_update"),
    MILESTONE_THREAD := IdIntentType(
        "bookclub.milestone_thread", key="bookclub:milestone:{}:thread", about="milestone_id"
    ),
    MEETING := IdIntentType("bookclub.meeting", key="bookclub:round:{}:meeting", about="round_id"),
    MEETING_UPDATE := MEETING.update("bookclub.meeting_update"),
    # The meeting's time is in the key: a moved meeting is reminded again.
    REMINDER := ReminderType(
        "bookclub.reminder", key="bookclub:round:{}:remind", about="round_id", stamp="%Y%m%dT%H%M"
    ),
    DISCUSSION := IdIntentType(
        "bookclub.discussion", key="bookclub:round:{}:discussion", about="round_id"
    ),
    HISTORY := IdIntentType("bookclub.history", key="bookclub:round:{}:history", about="round_id"),
    MOVED := IntentType("bookclub.moved"),
)


def nudge(activity_id: int, run_id: int) -> Intent:
    return NUDGE(f"bookclub:{activity_id}:run:{run_id}", activity_id=activity_id)


def plan(round_id: int, planned_at: datetime) -> Intent:
    stamp = planned_at.strftime("%Y%m%dT%H%M%S.%f")
    return PLAN(f"bookclub:round:{round_id}:plan:{stamp}", round_id=round_id)


def moved(round_id: int, user_id: str, now: datetime) -> Intent:
    stamp = now.strftime("%Y%m%dT%H%M%S.%f")
    return MOVED(
        f"bookclub:round:{round_id}:moved:{stamp}:{user_id}", round_id=round_id, user_id=user_id
    )
