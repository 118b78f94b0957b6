"""What each committed transaction of the bot wrote, read off the SQL its engine sends:
a test can then say that a Home redraw was asked for in the change's own transaction
(a redraw asked for in a transaction of its own is lost if the process stops between)."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import event

from activities.intents import HOME_REDRAW, HOME_REDRAW_CHANNEL
from storage.db import Database
from storage.models import OutboxMessage

WRITE = re.compile(r'^\s*(?:INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', re.IGNORECASE)
OUTBOX = str(OutboxMessage.__tablename__)
# How a transaction's enqueued Home redraw (a person's, a channel's) shows among its writes.
REDRAW = f"{OUTBOX}:{HOME_REDRAW.name}"
CHANNEL_REDRAW = f"{OUTBOX}:{HOME_REDRAW_CHANNEL.name}"
TAGGED = (HOME_REDRAW.name, HOME_REDRAW_CHANNEL.name)


class Writes:
    """The tables each committed transaction wrote (an enqueued Home redraw as REDRAW or
    CHANNEL_REDRAW)."""

    def __init__(self, db: Database) -> None:
        self.committed: list[frozenset[str]] = []
        self._open: dict[int, set[str]] = {}
        engine = db.engine.sync_engine
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "commit", self._commit)
        event.listen(engine, "rollback", self._rollback)

    def _statement(
        self, conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool
    ) -> None:
        found = WRITE.match(statement)
        if found is None:
            return
        table = found.group(1).lower()
        values = params.values() if isinstance(params, dict) else params or ()
        if table == OUTBOX and statement.lstrip().upper().startswith("INSERT"):
            intent = next((v for v in values if isinstance(v, str) and v in TAGGED), "")
            table = f"{OUTBOX}:{intent}" if intent else table
        self._open.setdefault(id(conn), set()).add(table)

    def _commit(self, conn: Any) -> None:
        written = self._open.pop(id(conn), set())
        if written:
            self.committed.append(frozenset(written))

    def _rollback(self, conn: Any) -> None:
        self._open.pop(id(conn), None)

    def redraws(self, tag: str = REDRAW) -> list[frozenset[str]]:
        """The committed transactions that asked for a Home redraw (or `tag`)."""
        return [t for t in self.committed if tag in t]

    def redraws_alone(self, tag: str = REDRAW) -> list[frozenset[str]]:
        """Those that asked for nothing but redraws: the change committed before them."""
        return [t for t in self.redraws(tag) if t <= {tag, OUTBOX}]
