"""merge the hardening branch (outbox claims) with the kinds into one head

Revision ID: 0009_merge_harden
Revises: 0008_merge_kinds, 0005_harden
Create Date: 2026-12-01 22:55:00
"""

from collections.abc import Sequence

revision: str = "0009_merge_harden"
down_revision: tuple[str, ...] = ("0008_merge_kinds", "0005_harden")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
