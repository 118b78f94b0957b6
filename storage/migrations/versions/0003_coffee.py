"""coffee pairings and breakfast switch-ups

Revision ID: 0003
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0003"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _utc(name: str, nullable: bool) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, storage.types.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "coffeepreference",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("opted_out", sa.Boolean(), nullable=False),
        _utc("paused_until", True),
        sa.Column("avoid", sa.JSON(), nullable=False),
        _utc("updated_at", False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "user_id", name="uq_coffeepref_team_user"),
    )
    op.create_index("ix_coffeepreference_team_id", "coffeepreference", ["team_id"])

    op.create_table(
        "coffeeround",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("skipped_reason", sa.String(), nullable=False),
        _utc("created_at", False),
        _utc("started_at", True),
        _utc("checkin_at", True),
        _utc("ends_at", True),
        _utc("checkin_sent_at", True),
        _utc("summary_sent_at", True),
        sa.Column("participant_count", sa.Integer(), nullable=False),
        sa.Column("group_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["activity_id"], ["activity.id"]),
        sa.ForeignKeyConstraint(["run_id"], ["run.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("run_id"),
    )
    op.create_index("ix_coffeeround_team_id", "coffeeround", ["team_id"])
    op.create_index("ix_coffeeround_activity_id", "coffeeround", ["activity_id"])

    op.create_table(
        "coffeegroup",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("members", sa.JSON(), nullable=False),
        _utc("suggested_at", True),
        sa.Column("icebreaker", sa.String(), nullable=False),
        sa.Column("dm_channel_id", sa.String(length=32), nullable=False),
        sa.Column("intro_ts", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["round_id"], ["coffeeround.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_coffeegroup_team_id", "coffeegroup", ["team_id"])
    op.create_index("ix_coffeegroup_round_id", "coffeegroup", ["round_id"])

    op.create_table(
        "coffeecheckin",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("answer", sa.String(length=16), nullable=False),
        _utc("at", False),
        sa.ForeignKeyConstraint(["group_id"], ["coffeegroup.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("group_id", "user_id", name="uq_coffeecheckin_group_user"),
    )
    op.create_index("ix_coffeecheckin_team_id", "coffeecheckin", ["team_id"])
    op.create_index("ix_coffeecheckin_group_id", "coffeecheckin", ["group_id"])


def downgrade() -> None:
    op.drop_table("coffeecheckin")
    op.drop_table("coffeegroup")
    op.drop_table("coffeeround")
    op.drop_table("coffeepreference")
