"""where wins go, the thanks leaderboard switch, and public shout-out opt-outs

Revision ID: 0013_recognition_settings
Revises: 0012_recognition
Create Date: 2026-12-02 00:35:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0013_recognition_settings"
down_revision: str | None = "0012_recognition"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "recognitionsettings",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("wins_channel_id", sa.String(length=32), nullable=False),
        sa.Column("leaderboard", sa.Boolean(), nullable=False),
        sa.Column("updated_by", sa.String(length=32), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("team_id"),
    )
    op.create_table(
        "shoutoutoptout",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "user_id"),
    )


def downgrade() -> None:
    op.drop_table("shoutoutoptout")
    op.drop_table("recognitionsettings")
