"""The local Slack workspace, shared by the tests and `python -m bot shell`.

A faithful fake of Slack's Web API (server), a driver that talks to the bot the way
Slack does (signed requests), and Block Kit limit checks.
"""

from .blockkit import check_blocks, check_view
from .driver import (
    ElementNotFoundError,
    Response,
    SlackDriver,
    build_action,
    channel_value,
    channels_select_value,
    checkboxes_value,
    date_value,
    multi_select_value,
    new_event_id,
    number_value,
    radio_value,
    select_value,
    text_value,
    time_value,
    user_value,
    users_value,
)
from .server import (
    APP_ID,
    BOT_ID,
    BOT_USER_ID,
    DEFAULT_TEAM_ID,
    GENERAL_CHANNEL_ID,
    REQUIRED_ARGS,
    Call,
    FakeChannel,
    FakeSlack,
    FakeTeam,
    FakeUser,
    SlackError,
)

__all__ = [
    "APP_ID",
    "BOT_ID",
    "BOT_USER_ID",
    "DEFAULT_TEAM_ID",
    "GENERAL_CHANNEL_ID",
    "REQUIRED_ARGS",
    "Call",
    "ElementNotFoundError",
    "FakeChannel",
    "FakeSlack",
    "FakeTeam",
    "FakeUser",
    "Response",
    "SlackDriver",
    "SlackError",
    "build_action",
    "channel_value",
    "channels_select_value",
    "check_blocks",
    "check_view",
    "checkboxes_value",
    "date_value",
    "multi_select_value",
    "new_event_id",
    "number_value",
    "radio_value",
    "select_value",
    "text_value",
    "time_value",
    "user_value",
    "users_value",
]
