"""`python -m bot` — run the bot; `python -m bot migrate`; `python -m bot check`."""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import signal
import sys

from sqlalchemy.exc import SQLAlchemyError

from bot.logs import setup_logging
from bot.settings import Settings, SettingsError, load_settings

README_HINT = 'See README.md, section "Create the Slack app", for where each value comes from.'

log = logging.getLogger("bot")


def _settings_or_exit(*, require_slack: bool) -> Settings:
    try:
        return load_settings(require_slack=require_slack)
    except SettingsError as exc:
        sys.stderr.write(f"convene: cannot start — {exc}.\n{README_HINT}\n")
        raise SystemExit(2) from None


async def _migrate(settings: Settings) -> None:
    from storage.db import Database
    from storage.migrate import migrate

    db = Database(settings.database_url)
    try:
        await migrate(db)
    finally:
        await db.dispose()


async def _check(settings: Settings) -> int:
    from storage.db import Database
    from storage.migrate import pending_migrations

    db = Database(settings.database_url)
    try:
        pending = await pending_migrations(db)
    finally:
        await db.dispose()
    state = "up to date"
    if pending:
        state = f"{len(pending)} migrations to apply (run `python -m bot migrate`)"
    slack = "ok" if settings.slack_signing_secret else "not set (needed to run the bot)"
    sys.stdout.write(f"slack settings: {slack}\ndatabase: answers, schema {state}\n")
    return 0


def _stop_on_signals() -> asyncio.Event:
    """SIGTERM (every deploy on Procfile platforms) and SIGINT end the bot gracefully:
    sends under way record their ts, so nothing is posted twice after the restart."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    return stop


async def _serve(settings: Settings) -> None:
    from bot.app import Runtime

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="convene", description="Convene, the community bot for Slack."
    )
    parser.add_argument("command", nargs="?", default="run", choices=["run", "migrate", "check"])
    args = parser.parse_args(argv)
    settings = _settings_or_exit(require_slack=args.command == "run")
    setup_logging(settings.log_level)
    try:
        if args.command == "migrate":
            asyncio.run(_migrate(settings))
            log.info("database is up to date")
            return 0
        if args.command == "check":
            return asyncio.run(_check(settings))
        # Importing and building the app allocates ~1M objects that live as long as the
        # process; sweeping them while they pile up is ~10 % of the start's CPU.
        gc.disable()
        asyncio.run(_serve(settings))
    except (OSError, SQLAlchemyError) as exc:
        # One line with the reason (never the URL: it may hold a password).
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        sys.stderr.write(f"convene: the database is not usable — {reason}\n")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
