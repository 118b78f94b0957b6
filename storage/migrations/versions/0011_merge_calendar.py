"""merge the calendar branch (feed tokens) into one head

Revision ID: 0011_merge_calendar
Revises: 0010_merge_governance, 0009_calendar
Create Date: 2026-12-01 23:35:00
"""

from collections.abc import Sequence

revision: str = "0011_merge_calendar"
down_revision: tuple[str, ...] = ("0010_merge_governance", "0009_calendar")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
