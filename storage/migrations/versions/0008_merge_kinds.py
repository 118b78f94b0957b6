"""merge the book-club/talks and advent/discussion branches into one head

Revision ID: 0008_merge_kinds
Revises: 0007_advent, 0007_bookclub
Create Date: 2026-12-01 22:40:00
"""

from collections.abc import Sequence

revision: str = "0008_merge_kinds"
down_revision: tuple[str, ...] = ("0007_advent", "0007_bookclub")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
