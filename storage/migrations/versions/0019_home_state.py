"""home state: the page and the opened waiting items each viewer's tab last showed

Revision ID: 0019_home_state
Revises: 0018_waiting_seen
Create Date: 2026-12-02 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0019_home_state"
down_revision: str | None = "0018_waiting_seen"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("homeviewer") as batch:
        batch.add_column(sa.Column("page", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(
            sa.Column(
                "focus",
                sqlmodel.sql.sqltypes.AutoString(length=100),
                nullable=False,
                server_default="",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("homeviewer") as batch:
        batch.drop_column("focus")
        batch.drop_column("page")
