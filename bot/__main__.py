"""`python -m bot` — run the bot; `migrate`; `check`; `shell` (try it in a local workspace)."""

from __future__ import annotations

import gc

if __name__ == "__main__":
    # `python -m bot`: the collector is off from here, before the imports, until the app
    # is built (see main()). A test or the `convene` script that imports main() keeps it.
    gc.disable()

import argparse
import asyncio
import logging
import signal
import sys
from dataclasses import dataclass

import aiohttp
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import SQLAlchemyError

from bot.app import Runtime
from bot.clients import DEFAULT_API_URL, make_client
from bot.logs import setup_logging
from bot.settings import SETTINGS_HELP, Settings, SettingsError, load_settings
from storage.db import Database, DatabaseUrlError
from storage.migrate import describe, migrate, pending_migrations

README_HINT = 'See README.md, section "Create the Slack app", for where each value comes from.'
SHELL_HINT = "To try Convene without Slack, in a local workspace: python -m bot shell"
SLACK_CHECK_SECONDS = 10

COMMANDS = (
    ("run", "serve Slack's requests, run the schedule and the courier (the default)"),
    ("migrate", "bring the database schema up to date and say what was applied"),
    ("check", "verify what `run` needs (settings, database, Slack) without starting"),
    ("shell", "try Convene in a local Slack workspace in the terminal: no credentials needed"),
)

log = logging.getLogger("bot")


def _settings_or_exit(*, require_slack: bool) -> Settings:
    try:
        return load_settings(require_slack=require_slack)
    except SettingsError as exc:
        sys.stderr.write(f"convene: cannot start — {exc}.\n{README_HINT}\n{SHELL_HINT}\n")
        raise SystemExit(2) from None


async def _migrate(settings: Settings) -> None:
    db = Database(settings.database_url)
    try:
        applied = await migrate(db)
    finally:
        await db.dispose()
    if applied:
        sys.stdout.write(f"applied {len(applied)} migration(s):\n")
        sys.stdout.writelines(f"  {line}\n" for line in describe(applied))
    else:
        sys.stdout.write("the database was already up to date; nothing applied\n")


@dataclass
class Finding:
    name: str
    ok: bool
    detail: str


def _slack_settings(settings: Settings) -> Finding:
    try:
        load_settings({**_settings_env(settings)}, env_file=None, require_slack=True)
    except SettingsError as exc:
        return Finding("slack settings", False, f"{exc} — `run` would refuse to start")
    mode = "OAuth installs" if settings.oauth else "one workspace (bot token)"
    transport = "Socket Mode" if settings.socket_mode else "HTTP request URL"
    return Finding("slack settings", True, f"ok: {mode}, {transport}")


def _settings_env(settings: Settings) -> dict[str, str]:
    """The Slack settings as variables again, to ask load_settings what `run` would say."""
    return {
        "SLACK_BOT_TOKEN": settings.slack_bot_token,
        "SLACK_SIGNING_SECRET": settings.slack_signing_secret,
        "SLACK_CLIENT_ID": settings.slack_client_id,
        "SLACK_CLIENT_SECRET": settings.slack_client_secret,
    }


async def _database(settings: Settings) -> Finding:
    try:
        db = Database(settings.database_url)
    except DatabaseUrlError as exc:
        return Finding("database", False, str(exc))
    try:
        pending = await asyncio.wait_for(pending_migrations(db), timeout=10)
    except (OSError, SQLAlchemyError, TimeoutError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0] if str(exc) else ""
        return Finding("database", False, f"not usable — {type(exc).__name__}: {reason}")
    finally:
        await db.dispose()
    if pending:
        return Finding(
            "database", True, f"answers; {len(pending)} migration(s) to apply (run applies them)"
        )
    return Finding("database", True, "answers; schema up to date")


async def _slack(settings: Settings) -> Finding:
    if settings.oauth and not settings.slack_bot_token:
        return Finding("slack api", True, "OAuth mode: each workspace's token is checked on use")
    if not settings.slack_bot_token:
        return Finding("slack api", False, "no SLACK_BOT_TOKEN to check")
    url = settings.slack_api_url or DEFAULT_API_URL
    client = make_client(settings, settings.slack_bot_token)
    client.timeout = SLACK_CHECK_SECONDS
    try:
        resp = await asyncio.wait_for(client.auth_test(), timeout=SLACK_CHECK_SECONDS)
    except SlackApiError as exc:
        error = exc.response.get("error", "") if exc.response is not None else ""
        return Finding("slack api", False, f"auth.test refused the token ({error})")
    except (aiohttp.ClientError, OSError, TimeoutError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return Finding("slack api", False, f"cannot reach Slack at {url} — {reason}")
    return Finding(
        "slack api",
        True,
        f"auth.test ok: workspace {resp.get('team', '')} ({resp.get('team_id', '')}), "
        f"bot user {resp.get('user_id', '')}",
    )


async def _check(settings: Settings) -> int:
    findings = [_slack_settings(settings), await _database(settings)]
    if findings[0].ok:
        findings.append(await _slack(settings))
    for finding in findings:
        mark = "ok  " if finding.ok else "FAIL"
        sys.stdout.write(f"{mark} {finding.name}: {finding.detail}\n")
    if all(f.ok for f in findings):
        sys.stdout.write("everything `run` needs is in place\n")
        return 0
    sys.stdout.write(f"`run` would not work as things are.\n{README_HINT}\n")
    return 1


def _stop_on_signals() -> asyncio.Event:
    """SIGTERM (every deploy on Procfile platforms) and SIGINT end the bot gracefully:
    sends under way record their ts, so nothing is posted twice after the restart."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    return stop


async def _serve(settings: Settings) -> None:
    stop = _stop_on_signals()
    runtime = Runtime(settings)
    try:
        await runtime.start()
    finally:
        gc.enable()  # disabled by main() for the start (start() collects and freezes)
    handler = None
    try:
        if settings.socket_mode:
            from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

            # The web server still runs for /healthz; Slack traffic comes over the socket.
            handler = AsyncSocketModeHandler(runtime.bolt, settings.slack_app_token)
            await handler.connect_async()  # type: ignore[no-untyped-call]
        await stop.wait()
        log.info("stopping")
    finally:
        if handler is not None:
            await handler.close_async()  # type: ignore[no-untyped-call]
        await runtime.stop()


def _parser() -> argparse.ArgumentParser:
    width = max(len(name) for name, _ in SETTINGS_HELP)
    commands = "\n".join(f"  {name:<{width}}  {text}" for name, text in COMMANDS)
    settings = "\n".join(f"  {name:<{width}}  {text}" for name, text in SETTINGS_HELP)
    return argparse.ArgumentParser(
        prog="python -m bot",
        description="Convene, the community bot for Slack.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=(
            f"commands:\n{commands}\n\n"
            f"settings (environment variables, or a .env file in the working directory):\n"
            f"{settings}"
        ),
    )


def main(argv: list[str] | None = None) -> int:
    args_in = sys.argv[1:] if argv is None else argv
    if args_in[:1] == ["shell"]:
        gc.enable()
        # Its own options (--script, --db…) and no settings: it builds them itself.
        # Imported here, like the runtime in _serve: `check` and the missing-settings
        # message should not wait for the whole app to load.
        from bot.shell.cli import main as shell_main

        return shell_main(args_in[1:])
    parser = _parser()
    parser.add_argument(
        "command",
        nargs="?",
        default="run",
        choices=[name for name, _ in COMMANDS],
        help="what to do (see below; default: run)",
    )
    args = parser.parse_args(args_in)
    # Importing and building the app allocates ~1M objects that live as long as the
    # process; sweeping them while they pile up is ~10 % of the start's CPU. _serve turns
    # the collector back on once the runtime has started (and frozen that heap).
    if args.command == "run":
        gc.disable()
    else:
        gc.enable()
    settings = _settings_or_exit(require_slack=args.command == "run")
    setup_logging(settings.log_level, log_sql=settings.log_sql)
    try:
        if args.command == "migrate":
            asyncio.run(_migrate(settings))
            return 0
        if args.command == "check":
            return asyncio.run(_check(settings))
        asyncio.run(_serve(settings))
    except (OSError, SQLAlchemyError, DatabaseUrlError) as exc:
        # One line with the reason (never the URL: it may hold a password).
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        sys.stderr.write(f"convene: the database is not usable — {reason}\n")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
