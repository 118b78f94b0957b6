"""Every table builds its pydantic validator on first use, not at import (the start)."""

from __future__ import annotations

from sqlmodel import SQLModel

import storage.tables  # noqa: F401  (every table on the metadata)
from storage.types import Model


def test_every_table_is_a_model_that_defers_its_validator() -> None:
    tables = [m.class_ for m in SQLModel._sa_registry.mappers]
    assert len(tables) >= 40
    assert [t.__name__ for t in tables if not issubclass(t, Model)] == []
    assert Model.model_config.get("defer_build") is True
