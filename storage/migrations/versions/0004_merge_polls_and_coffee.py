"""merge the polls and coffee branches into one head

Revision ID: 0004
Revises: 0002, 0003
Create Date: 2026-11-27 03:15:00
"""

from collections.abc import Sequence

revision: str = "0004"
down_revision: tuple[str, ...] = ("0002", "0003")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
