"""fenced outbox claims with a lease, in-doubt sends, and replayed trigger ids

Revision ID: 0005_harden
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0005_harden"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outboxmessage") as batch:
        batch.add_column(
            sa.Column("claim_token", sa.String(length=64), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("lease_until", storage.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch.add_column(
            sa.Column("in_doubt", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "processedtrigger",
        sa.Column("trigger_id", sa.String(length=128), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("received_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("trigger_id"),
    )


def downgrade() -> None:
    op.drop_table("processedtrigger")
    with op.batch_alter_table("outboxmessage") as batch:
        batch.drop_column("in_doubt")
        batch.drop_column("lease_until")
        batch.drop_column("claim_token")
