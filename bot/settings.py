"""One Settings object, read from the environment and `.env`."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./convene.db"


# Every setting, with one line each (what `python -m bot --help` lists).
SETTINGS_HELP: tuple[tuple[str, str], ...] = (
    ("SLACK_BOT_TOKEN", "the bot token (xoxb-…); not needed with OAuth installs"),
    ("SLACK_SIGNING_SECRET", "checks that requests come from Slack (Basic Information page)"),
    ("SLACK_APP_TOKEN", "an app-level token (xapp-…): Socket Mode instead of a public URL"),
    ("SLACK_CLIENT_ID", "with SLACK_CLIENT_SECRET: OAuth installs into many workspaces"),
    ("SLACK_CLIENT_SECRET", "the OAuth client secret"),
    ("DATABASE_URL", f"SQLite or PostgreSQL URL (default {DEFAULT_DATABASE_URL})"),
    ("SLACK_API_URL", "another Web API base URL (a proxy, GovSlack, the local sandbox)"),
    ("HOST", "address the web server listens on (default 0.0.0.0)"),
    ("PORT", "port of the web server: Slack's request URL and /healthz (default 3000)"),
    ("ADMIN_USER_IDS", "comma-separated Slack user ids treated as admins (to bootstrap)"),
    ("DEFAULT_TIMEZONE", "IANA time zone for people whose profile has none (default UTC)"),
    ("SCHEDULER_TICK_SECONDS", "how often due work is looked for (default 5)"),
    ("VOTE_SECRET", "key for anonymous voters' hashes (default: the signing secret)"),
    ("LOG_LEVEL", "DEBUG, INFO, WARNING or ERROR (default INFO)"),
    ("LOG_SQL", "1 to log every SQL statement (off by default, even at DEBUG)"),
    (
        "MONTHLY_REPORT",
        "off: no community report by DM on the first working day of a month (on by default)",
    ),
)


class SettingsError(Exception):
    """Raised with one message naming every problem; never includes a secret's value."""


@dataclass(frozen=True)
class Settings:
    slack_bot_token: str = field(repr=False)
    slack_signing_secret: str = field(repr=False)
    slack_app_token: str = field(default="", repr=False)
    slack_client_id: str = ""
    slack_client_secret: str = field(default="", repr=False)
    database_url: str = DEFAULT_DATABASE_URL
    slack_api_url: str = ""
    host: str = "0.0.0.0"
    port: int = 3000
    admin_user_ids: frozenset[str] = frozenset()
    default_timezone: str = "UTC"
    scheduler_tick_seconds: float = 5.0
    vote_secret: str = field(default="", repr=False)
    log_level: str = "INFO"
    log_sql: bool = False
    monthly_report: bool = True
    # Where people reach this server from outside (calendar feed links); empty: localhost.
    public_url: str = ""

    @property
    def socket_mode(self) -> bool:
        return bool(self.slack_app_token)

    @property
    def oauth(self) -> bool:
        return bool(self.slack_client_id and self.slack_client_secret)

    @property
    def anonymity_secret(self) -> str:
        """The key for anonymous voter hashes: VOTE_SECRET, else the signing secret."""
        return self.vote_secret or self.slack_signing_secret


def _merged(environ: Mapping[str, str], env_file: Path | None) -> dict[str, str]:
    values: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    # Real environment variables win over the .env file, as everywhere else.
    values.update(environ)
    return values


def load_settings(
    environ: Mapping[str, str] | None = None,
    *,
    env_file: Path | None = Path(".env"),
    require_slack: bool = True,
) -> Settings:
    """Read and check every setting; `require_slack=False` for database-only commands."""
    env = _merged(os.environ if environ is None else environ, env_file)
    problems: list[str] = []
    oauth = bool(env.get("SLACK_CLIENT_ID") and env.get("SLACK_CLIENT_SECRET"))
    required = ["SLACK_SIGNING_SECRET"] + ([] if oauth else ["SLACK_BOT_TOKEN"])
    if not require_slack:
        required = []
    missing = [name for name in required if not env.get(name, "").strip()]
    if missing:
        problems.append("missing: " + ", ".join(missing))

    def number(name: str, default: str, kind: type[int] | type[float]) -> float:
        raw = env.get(name, default).strip() or default
        try:
            value = kind(raw)
        except ValueError:
            problems.append(f"{name} must be a number (got {raw!r})")
            return kind(default)
        if value <= 0:
            problems.append(f"{name} must be above zero")
        return value

    port = int(number("PORT", "3000", int))
    tick = number("SCHEDULER_TICK_SECONDS", "5", float)
    timezone = env.get("DEFAULT_TIMEZONE", "UTC").strip() or "UTC"
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(
            f"DEFAULT_TIMEZONE {timezone!r} is not an IANA time zone (e.g. Europe/London)"
        )
    if problems:
        raise SettingsError("; ".join(problems))
    admins = frozenset(
        part.strip()
        for part in env.get("ADMIN_USER_IDS", "").replace(";", ",").split(",")
        if part.strip()
    )
    return Settings(
        slack_bot_token=env.get("SLACK_BOT_TOKEN", "").strip(),
        slack_signing_secret=env.get("SLACK_SIGNING_SECRET", "").strip(),
        slack_app_token=env.get("SLACK_APP_TOKEN", "").strip(),
        slack_client_id=env.get("SLACK_CLIENT_ID", "").strip(),
        slack_client_secret=env.get("SLACK_CLIENT_SECRET", "").strip(),
        database_url=env.get("DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL,
        slack_api_url=env.get("SLACK_API_URL", "").strip(),
        host=env.get("HOST", "0.0.0.0").strip() or "0.0.0.0",
        port=port,
        admin_user_ids=admins,
        default_timezone=timezone,
        scheduler_tick_seconds=tick,
        vote_secret=env.get("VOTE_SECRET", "").strip(),
        log_level=env.get("LOG_LEVEL", "INFO").strip().upper() or "INFO",
        log_sql=env.get("LOG_SQL", "").strip().lower() in ("1", "true", "yes", "on"),
        monthly_report=env.get("MONTHLY_REPORT", "").strip().lower()
        not in ("0", "false", "no", "off"),
        public_url=env.get("PUBLIC_URL", "").strip().rstrip("/"),
    )
