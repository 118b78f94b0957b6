"""members' channels (for matching) and coffee working hours

Revision ID: 0005_kinds
Revises: 0004
Create Date: 2026-12-01 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0005_kinds"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("member") as batch:
        batch.add_column(sa.Column("channels", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(
            sa.Column("channels_at", storage.types.UTCDateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("coffeepreference") as batch:
        batch.add_column(sa.Column("work_start", sa.Integer(), nullable=False, server_default="9"))
        batch.add_column(sa.Column("work_end", sa.Integer(), nullable=False, server_default="17"))


def downgrade() -> None:
    with op.batch_alter_table("coffeepreference") as batch:
        batch.drop_column("work_end")
        batch.drop_column("work_start")
    with op.batch_alter_table("member") as batch:
        batch.drop_column("channels_at")
        batch.drop_column("channels")
