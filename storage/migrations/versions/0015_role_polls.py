"""polls among a role's volunteers

Revision ID: 0015_role_polls
Revises: 0014_roadmap_work_days
Create Date: 2026-12-02 00:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0015_role_polls"
down_revision: str | None = "0014_roadmap_work_days"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rolepoll",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("user_ids", sa.JSON(), nullable=False),
        sa.Column("opened_by", sa.String(length=32), nullable=False),
        sa.Column("opened_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("live", sa.Integer(), nullable=True),
        sa.Column("settled_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("call_id", "live", name="uq_role_poll_call_live"),
        sa.UniqueConstraint("poll_id"),
    )
    op.create_index("ix_rolepoll_team_id", "rolepoll", ["team_id"])
    op.create_index("ix_rolepoll_call_id", "rolepoll", ["call_id"])


def downgrade() -> None:
    op.drop_table("rolepoll")
