"""merge the governance branch (named roles, rotation, charter) into one head

Revision ID: 0010_merge_governance
Revises: 0009_merge_harden, 0006_governance
Create Date: 2026-12-01 23:30:00
"""

from collections.abc import Sequence

revision: str = "0010_merge_governance"
down_revision: tuple[str, ...] = ("0009_merge_harden", "0006_governance")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
