"""book club tables (proposals, +1s, rounds, milestones, progress) and the shared RSVPs

Revision ID: 0006_bookclub
Revises: 0005_kinds
Create Date: 2026-12-01 21:48:37.787128
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0006_bookclub"
down_revision: str | None = "0005_kinds"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "bookproposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("author", sa.String(), nullable=False),
        sa.Column("link", sa.String(), nullable=False),
        sa.Column("why", sa.String(), nullable=False),
        sa.Column("proposer_id", sa.String(length=32), nullable=False),
        sa.Column("match_key", sa.String(length=400), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("activity_id", "match_key", name="uq_bookproposal_match"),
    )
    with op.batch_alter_table("bookproposal", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_bookproposal_activity_id"), ["activity_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_bookproposal_team_id"), ["team_id"], unique=False)

    op.create_table(
        "bookround",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("poll_id", sa.Integer(), nullable=True),
        sa.Column("proposal_ids", sa.JSON(), nullable=False),
        sa.Column("opened_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("settled_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("book_id", sa.Integer(), nullable=True),
        sa.Column("meeting_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("planned_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("rsvp_posted_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("day_reminded_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("soon_reminded_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("started_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("bookround", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bookround_activity_id"), ["activity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_bookround_poll_id"), ["poll_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_bookround_team_id"), ["team_id"], unique=False)

    op.create_table(
        "rsvp",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("event_key", sa.String(length=120), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("answer", sa.String(length=8), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "event_key", "user_id", name="uq_rsvp_event_user"),
    )
    with op.batch_alter_table("rsvp", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rsvp_event_key"), ["event_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_rsvp_team_id"), ["team_id"], unique=False)

    op.create_table(
        "rsvpevent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("event_key", sa.String(length=120), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("starts_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("message_intent", sa.String(length=64), nullable=False),
        sa.Column("message_key", sa.String(length=160), nullable=False),
        sa.Column("message_payload", sa.JSON(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "event_key", name="uq_rsvpevent_key"),
    )
    with op.batch_alter_table("rsvpevent", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rsvpevent_team_id"), ["team_id"], unique=False)

    op.create_table(
        "bookmilestone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("section", sa.String(), nullable=False),
        sa.Column("due_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("posted_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["bookround.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("round_id", "position", name="uq_bookmilestone_pos"),
    )
    with op.batch_alter_table("bookmilestone", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bookmilestone_round_id"), ["round_id"], unique=False)

    op.create_table(
        "bookupvote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["bookproposal.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("proposal_id", "user_id", name="uq_bookupvote_user"),
    )
    with op.batch_alter_table("bookupvote", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_bookupvote_proposal_id"), ["proposal_id"], unique=False
        )

    op.create_table(
        "bookprogress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("milestone_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("answer", sa.String(length=16), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["milestone_id"],
            ["bookmilestone.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("milestone_id", "user_id", name="uq_bookprogress_user"),
    )
    with op.batch_alter_table("bookprogress", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_bookprogress_milestone_id"), ["milestone_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_bookprogress_round_id"), ["round_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("bookprogress", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bookprogress_round_id"))
        batch_op.drop_index(batch_op.f("ix_bookprogress_milestone_id"))

    op.drop_table("bookprogress")
    with op.batch_alter_table("bookupvote", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bookupvote_proposal_id"))

    op.drop_table("bookupvote")
    with op.batch_alter_table("bookmilestone", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bookmilestone_round_id"))

    op.drop_table("bookmilestone")
    with op.batch_alter_table("rsvpevent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rsvpevent_team_id"))

    op.drop_table("rsvpevent")
    with op.batch_alter_table("rsvp", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rsvp_team_id"))
        batch_op.drop_index(batch_op.f("ix_rsvp_event_key"))

    op.drop_table("rsvp")
    with op.batch_alter_table("bookround", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bookround_team_id"))
        batch_op.drop_index(batch_op.f("ix_bookround_poll_id"))
        batch_op.drop_index(batch_op.f("ix_bookround_activity_id"))

    op.drop_table("bookround")
    with op.batch_alter_table("bookproposal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bookproposal_team_id"))
        batch_op.drop_index(batch_op.f("ix_bookproposal_activity_id"))

    op.drop_table("bookproposal")
