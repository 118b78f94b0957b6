"""Logging with context: `extra={...}` fields are appended to each line as key=value."""

from __future__ import annotations

import logging

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
# Never log these, whatever a caller passes in `extra`.
_SECRET_HINTS = ("token", "secret", "password")


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


def setup_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(ContextFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Alembic narrates every start-up at INFO; only its warnings are worth a line.
    logging.getLogger("alembic").setLevel(max(logging.WARNING, root.level))
