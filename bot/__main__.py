"""`python -m bot` — run the bot; `python -m bot migrate`; `python -m bot check`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys

from bot.logs import setup_logging
from bot.settings import Settings, SettingsError, load_settings

README_HINT = 'See README.md, section "Create the Slack app", for where each value comes from.'

log = logging.getLogger("bot")


def _settings_or_exit() -> Settings:
    try:
        return load_settings()
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

    db = Database(settings.database_url)
    try:
        ok = await db.ping()
    finally:
        await db.dispose()
    sys.stdout.write(f"settings: ok\ndatabase: {'ok' if ok else 'NOT answering'}\n")
    return 0 if ok else 1


async def _serve(settings: Settings) -> None:
    from bot.app import Runtime

    runtime = Runtime(settings)
    if settings.socket_mode:
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        # The web server still runs for /healthz; Slack traffic comes over the socket.
        await runtime.start()
        handler = AsyncSocketModeHandler(runtime.bolt, settings.slack_app_token)
        try:
            await handler.start_async()  # type: ignore[no-untyped-call]
        finally:
            await runtime.stop()
        return
    await runtime.start()
    try:
        await asyncio.Event().wait()
    finally:
        await runtime.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="convene", description="Convene, the community bot for Slack."
    )
    parser.add_argument("command", nargs="?", default="run", choices=["run", "migrate", "check"])
    args = parser.parse_args(argv)
    settings = _settings_or_exit()
    setup_logging(settings.log_level)
    if args.command == "migrate":
        asyncio.run(_migrate(settings))
        log.info("database is up to date")
        return 0
    if args.command == "check":
        return asyncio.run(_check(settings))
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(settings))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
