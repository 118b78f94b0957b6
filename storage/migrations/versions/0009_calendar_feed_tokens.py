"""calendar feeds' secret tokens

Revision ID: 0009_calendar
Revises: 0008_merge_kinds
Create Date: 2026-12-01 22:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0009_calendar"
down_revision: str | None = "0008_merge_kinds"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "calendartoken",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "user_id", name="uq_calendartoken_owner"),
        sa.UniqueConstraint("token"),
    )
    op.create_index("ix_calendartoken_team_id", "calendartoken", ["team_id"])


def downgrade() -> None:
    op.drop_index("ix_calendartoken_team_id", table_name="calendartoken")
    op.drop_table("calendartoken")
