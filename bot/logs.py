"""Logging with context: `extra={...}` fields are appended to each line as key=value.

Also what the libraries say: routine lines demoted, request bodies never written.
"""

from __future__ import annotations

import logging

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
# Never log these, whatever a caller passes in `extra`.
_SECRET_HINTS = ("token", "secret", "password")

# Bolt's loggers: one warns at every start when SLACK_BOT_TOKEN is set (we pass the client,
# so the variable is read but unused — nothing anyone can act on); the others quote whole
# request bodies (response URLs, what people typed) on a bad signature or an unmatched request.
BOLT_APP_LOGGER = "slack_bolt.AsyncApp"
BOLT_VERIFICATION_LOGGER = "slack_bolt.AsyncRequestVerification"
_TOKEN_UNUSED = "As you gave `client` as well, `token` will be unused."
# APScheduler's executor logs "Running job…" and "…executed successfully" at INFO every tick.
SCHEDULER_LOGGERS = ("apscheduler.executors.default", "apscheduler.scheduler")
# Loggers that write every statement (and its parameters) when the root level is low.
SQL_LOGGERS = ("sqlalchemy.engine", "aiosqlite")


class ContextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        base = super().format(record)
        extras = {
            k: v
            for k, v in vars(record).items()
            if k not in _STANDARD and not any(h in k.lower() for h in _SECRET_HINTS)
        }
        if not extras:
            return base
        return base + " " + " ".join(f"{k}={v}" for k, v in sorted(extras.items()))


class BoltHygiene(logging.Filter):
    """Drops Bolt's unactionable start-up warning and cuts request bodies out of its lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message == _TOKEN_UNUSED:
            return False
        if message.startswith("Invalid request signature detected"):
            record.msg, record.args = "Invalid request signature detected", ()
        elif message.startswith("Unhandled request ("):
            record.msg, record.args = "Unhandled request (no listener matched it)", ()
        elif "body:" in message or "'response_url'" in message:
            record.msg, record.args = message.split("(", 1)[0].strip() + " (body withheld)", ()
        return True


# A tick that outlasts the interval makes APScheduler skip the next one (max_instances=1,
# by design: ticks never overlap) and say so as a warning, every time.
_ROUTINE_WARNINGS = ('Execution of job "%s" skipped: maximum number of running instances',)


class RoutineToDebug(logging.Filter):
    """Logs a library's routine INFO lines (and routine warnings) at DEBUG; they show only
    when DEBUG is on."""

    def filter(self, record: logging.LogRecord) -> bool:
        routine_warning = record.levelno == logging.WARNING and str(record.msg).startswith(
            _ROUTINE_WARNINGS
        )
        if record.levelno != logging.INFO and not routine_warning:
            return True
        record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return logging.getLogger().isEnabledFor(logging.DEBUG)


_BOLT_HYGIENE = BoltHygiene()
_ROUTINE = RoutineToDebug()


def tame_library_logs() -> None:
    """Install the library filters (idempotent; the app calls it when it builds Bolt)."""
    for name in (BOLT_APP_LOGGER, BOLT_VERIFICATION_LOGGER):
        logger = logging.getLogger(name)
        if _BOLT_HYGIENE not in logger.filters:
            logger.addFilter(_BOLT_HYGIENE)
    for name in SCHEDULER_LOGGERS:
        logger = logging.getLogger(name)
        if _ROUTINE not in logger.filters:
            logger.addFilter(_ROUTINE)


def setup_logging(level: str = "INFO", *, log_sql: bool = False) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(ContextFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Alembic narrates every start-up at INFO; only its warnings are worth a line.
    logging.getLogger("alembic").setLevel(max(logging.WARNING, root.level))
    # Statements (with their parameters) only when asked for, at any root level.
    for name in SQL_LOGGERS:
        logging.getLogger(name).setLevel(logging.INFO if log_sql else logging.WARNING)
    tame_library_logs()
