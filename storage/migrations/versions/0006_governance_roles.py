"""governance: named roles, rotation, volunteer calls, community settings and charter

Revision ID: 0006_governance
Revises: 0005_kinds
Create Date: 2026-12-01 22:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0006_governance"
down_revision: str | None = "0005_kinds"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _utc(name: str, nullable: bool = True) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, storage.types.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("roleterm") as batch:
        batch.add_column(
            sa.Column("channel_id", sa.String(length=32), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("cycle", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(_utc("reminded_30_at"))
        batch.add_column(_utc("reminded_7_at"))
        batch.add_column(_utc("called_at"))
        batch.add_column(_utc("lapsed_at"))
        batch.add_column(sa.Column("handover_note", sa.String(), nullable=False, server_default=""))
    op.create_table(
        "role",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=True),
        sa.Column("involves", sa.String(), nullable=False),
        sa.Column("checklist", sa.String(), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        _utc("created_at", nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "key", name="uq_role_team_key"),
    )
    op.create_index(op.f("ix_role_team_id"), "role", ["team_id"], unique=False)
    op.create_table(
        "rotationdecision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("term_id", sa.Integer(), nullable=False),
        sa.Column("cycle", sa.Integer(), nullable=False),
        sa.Column("choice", sa.String(length=16), nullable=False),
        sa.Column("decided_by", sa.String(length=32), nullable=False),
        _utc("decided_at", nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("term_id", "cycle", name="uq_rotation_term_cycle"),
    )
    op.create_index(
        op.f("ix_rotationdecision_team_id"), "rotationdecision", ["team_id"], unique=False
    )
    op.create_index(
        op.f("ix_rotationdecision_term_id"), "rotationdecision", ["term_id"], unique=False
    )
    op.create_table(
        "volunteercall",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("term_id", sa.Integer(), nullable=True),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        _utc("opened_at", nullable=False),
        sa.Column("appointed_user_id", sa.String(length=32), nullable=False),
        sa.Column("appointed_by", sa.String(length=32), nullable=False),
        _utc("appointed_at"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_volunteercall_team_id"), "volunteercall", ["team_id"], unique=False)
    op.create_index(op.f("ix_volunteercall_term_id"), "volunteercall", ["term_id"], unique=False)
    op.create_table(
        "volunteer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        _utc("created_at", nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("call_id", "user_id", name="uq_volunteer_call_user"),
    )
    op.create_index(op.f("ix_volunteer_team_id"), "volunteer", ["team_id"], unique=False)
    op.create_index(op.f("ix_volunteer_call_id"), "volunteer", ["call_id"], unique=False)
    op.create_table(
        "communitysettings",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("home_channel_id", sa.String(length=32), nullable=False),
        sa.Column("purpose", sa.String(), nullable=False),
        sa.Column("benefits", sa.String(), nullable=False),
        sa.Column("taking_part", sa.String(), nullable=False),
        sa.Column("updated_by", sa.String(length=32), nullable=False),
        _utc("updated_at", nullable=False),
        sa.PrimaryKeyConstraint("team_id"),
    )
    op.create_table(
        "charterwelcome",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        _utc("sent_at", nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "user_id", name="uq_charter_team_user"),
    )
    op.create_index(op.f("ix_charterwelcome_team_id"), "charterwelcome", ["team_id"], unique=False)


def downgrade() -> None:
    for table in (
        "charterwelcome",
        "communitysettings",
        "volunteer",
        "volunteercall",
        "rotationdecision",
        "role",
    ):
        op.drop_table(table)
    with op.batch_alter_table("roleterm") as batch:
        for column in (
            "handover_note",
            "lapsed_at",
            "called_at",
            "reminded_7_at",
            "reminded_30_at",
            "cycle",
            "channel_id",
        ):
            batch.drop_column(column)
