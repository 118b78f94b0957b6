"""quiet hours: outbox rows held for their recipients' hours; members' chosen hours

Revision ID: 0016_quiet_hours
Revises: 0015_role_polls
Create Date: 2026-12-02 03:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0016_quiet_hours"
down_revision: str | None = "0015_role_polls"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outboxmessage") as batch:
        batch.add_column(
            sa.Column("held_until", storage.types.UTCDateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("coffeepreference") as batch:
        # Hours set before this migration were chosen unless they are the old default.
        batch.add_column(
            sa.Column("hours_chosen", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.execute(
        "UPDATE coffeepreference SET hours_chosen = "
        "(work_start <> 9 OR work_end <> 17 OR work_days <> 31)"
    )


def downgrade() -> None:
    with op.batch_alter_table("coffeepreference") as batch:
        batch.drop_column("hours_chosen")
    with op.batch_alter_table("outboxmessage") as batch:
        batch.drop_column("held_until")
