"""roadmap messages kept up to date; members' working days for quiet hours

Revision ID: 0014_roadmap_work_days
Revises: 0013_recognition_settings
Create Date: 2026-12-02 00:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0014_roadmap_work_days"
down_revision: str | None = "0013_recognition_settings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "roadmap",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("ts", sa.String(length=32), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("stamp", sa.String(length=120), nullable=False),
        sa.Column("recheck_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("posted_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "channel_id", name="uq_roadmap_channel"),
    )
    op.create_index("ix_roadmap_team_id", "roadmap", ["team_id"])
    with op.batch_alter_table("coffeepreference") as batch:
        # Monday to Friday, as bits (Monday = 1): what everyone had before days were chosen.
        batch.add_column(sa.Column("work_days", sa.Integer(), nullable=False, server_default="31"))


def downgrade() -> None:
    with op.batch_alter_table("coffeepreference") as batch:
        batch.drop_column("work_days")
    op.drop_index("ix_roadmap_team_id", table_name="roadmap")
    op.drop_table("roadmap")
