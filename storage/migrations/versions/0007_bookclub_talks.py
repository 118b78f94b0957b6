"""talk series: volunteered talks (one a slot, one a title) and each series' call for speakers

Revision ID: 0007_bookclub
Revises: 0006_bookclub
Create Date: 2026-12-01 22:00:52.024683
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0007_bookclub"
down_revision: str | None = "0006_bookclub"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "talk",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("speaker_id", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("title_key", sa.String(length=200), nullable=False),
        sa.Column("abstract", sa.String(), nullable=False),
        sa.Column("months", sa.String(), nullable=False),
        sa.Column("recordable", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.Column("slot_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("checkin_answer", sa.String(length=16), nullable=False),
        sa.Column("announced_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("checkin_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("day_reminded_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("soon_reminded_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("started_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("summarised_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("activity_id", "slot_at", name="uq_talk_slot"),
        sa.UniqueConstraint("activity_id", "title_key", name="uq_talk_title"),
    )
    with op.batch_alter_table("talk", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_talk_activity_id"), ["activity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_talk_team_id"), ["team_id"], unique=False)

    op.create_table(
        "talkseries",
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("last_call_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("activity_id"),
    )


def downgrade() -> None:

    op.drop_table("talkseries")
    with op.batch_alter_table("talk", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_talk_team_id"))
        batch_op.drop_index(batch_op.f("ix_talk_activity_id"))

    op.drop_table("talk")
