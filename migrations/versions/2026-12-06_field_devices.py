"""the field face: check-ins carry their device, its sequence and clock and the status the reporter was
shown; devices' last sequence; check-in and duress PINs; overdue episodes superseded by late check-ins
(issue 19)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import outrider.db

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("movement_checkins") as batch:
        batch.add_column(sa.Column("device_id", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("device_seq", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("device_at", outrider.db.UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("shown_status", sa.String(length=16), nullable=True))
    op.create_index(
        "ix_movement_checkins_user_key", "movement_checkins", ["user_id", "idempotency_key"], unique=False
    )
    op.create_table(
        "field_devices",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("last_received_at", outrider.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "device_id"),
    )
    op.create_table(
        "field_pins",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("pin_hash", sa.String(length=255), nullable=False),
        sa.Column("duress_hash", sa.String(length=255), nullable=False),
        sa.Column("set_at", outrider.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_table(
        "movement_overdue_supersessions",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("movement_id", sa.Integer(), nullable=False),
        sa.Column("checkin_id", sa.Integer(), nullable=False),
        sa.Column("at", outrider.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["movement_events.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["movement_id"], ["movements.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["checkin_id"], ["movement_checkins.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("event_id"),
    )
    op.create_index(
        "ix_movement_overdue_supersessions_movement_id",
        "movement_overdue_supersessions",
        ["movement_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        "ix_movement_overdue_supersessions_movement_id", table_name="movement_overdue_supersessions"
    )
    op.drop_table("movement_overdue_supersessions")
    op.drop_table("field_pins")
    op.drop_table("field_devices")
    op.drop_index("ix_movement_checkins_user_key", table_name="movement_checkins")
    with op.batch_alter_table("movement_checkins") as batch:
        batch.drop_column("shown_status")
        batch.drop_column("device_at")
        batch.drop_column("device_seq")
        batch.drop_column("device_id")
