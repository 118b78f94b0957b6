"""One log line when a background loop loses the database, one when it has it back.

The courier polls every fraction of a second and the scheduler ticks every few: during
an outage a traceback per pass would bury everything else in the log.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError

from storage.db import Database, failure_reason

# Errors that may mean the database is gone (drivers raise the OS's own errors on connect).
MAYBE_DATABASE = (SQLAlchemyError, OSError, TimeoutError)


class OutageNotes:
    """Remembers whether `who` is cut off, so each outage is logged once each way."""

    def __init__(self, log: logging.Logger, who: str) -> None:
        self._log = log
        self._who = who
        self.down = False

    def lost(self, exc: BaseException) -> None:
        if self.down:
            return
        self.down = True
        self._log.error(
            f"{self._who} cannot reach the database; retrying quietly until it answers",
            extra={"error": failure_reason(exc)},
        )

    def back(self) -> None:
        if self.down:
            self.down = False
            self._log.info(f"{self._who} reaches the database again")

    async def answers(self, db: Database) -> bool:
        """Whether the database answers now; noted (once) when it does not."""
        if await db.ping():
            return True
        self.lost(TimeoutError("the database does not answer"))
        return False

    async def is_outage(self, exc: BaseException, db: Database) -> bool:
        """True (and noted) when `exc` came from a database that does not answer now;
        False for anything else, a bug that deserves its traceback."""
        if not isinstance(exc, MAYBE_DATABASE) or await db.ping():
            return False
        self.lost(exc)
        return True
