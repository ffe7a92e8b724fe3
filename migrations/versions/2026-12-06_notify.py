"""notify and alerts: an alert's frozen call plan, the outbox of notifications and their attempts, CAP
feed keys; alerts gain an assignee, an acknowledgement expiry, reopening and a log of notes (issue 18)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import outrider.db

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "alert_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("at", outrider.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["alert_id"], ["alerts.id"], name=op.f("fk_alert_notes_alert_id_alerts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_notes")),
    )
    with op.batch_alter_table("alert_notes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alert_notes_alert_id"), ["alert_id"], unique=False)

    op.create_table(
        "notify_alert_plans",
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("policy_id", sa.Integer(), nullable=True),
        sa.Column("policy_version", sa.Integer(), nullable=True),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("repeat", sa.Integer(), nullable=False),
        sa.Column("started_at", outrider.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("created_at", outrider.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["alerts.id"],
            name=op.f("fk_notify_alert_plans_alert_id_alerts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("alert_id", name=op.f("pk_notify_alert_plans")),
    )
    op.create_table(
        "notify_feed_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", outrider.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", outrider.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", outrider.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_notify_feed_keys_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notify_feed_keys")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_notify_feed_keys_key_hash")),
    )
    with op.batch_alter_table("notify_feed_keys", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notify_feed_keys_organization_id"), ["organization_id"], unique=False
        )

    op.create_table(
        "notify_notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("delivery_id", sa.String(length=64), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=True),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("target", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("address", sa.String(length=500), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", outrider.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("claimed_until", outrider.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", outrider.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", outrider.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["alerts.id"],
            name=op.f("fk_notify_notifications_alert_id_alerts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notify_notifications")),
        sa.UniqueConstraint(
            "alert_id", "purpose", "round", "step", "target", "channel", name="uq_notify_once"
        ),
        sa.UniqueConstraint("delivery_id", name=op.f("uq_notify_notifications_delivery_id")),
    )
    with op.batch_alter_table("notify_notifications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notify_notifications_alert_id"), ["alert_id"], unique=False)
        batch_op.create_index("ix_notify_notifications_due", ["status", "next_attempt_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_notify_notifications_organization_id"), ["organization_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_notify_notifications_user_id"), ["user_id"], unique=False)

    op.create_table(
        "notify_delivery_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notification_id", sa.Integer(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("at", outrider.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notify_notifications.id"],
            name=op.f("fk_notify_delivery_attempts_notification_id_notify_notifications"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notify_delivery_attempts")),
    )
    with op.batch_alter_table("notify_delivery_attempts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notify_delivery_attempts_notification_id"), ["notification_id"], unique=False
        )

    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("assigned_to", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("assigned_by", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("assigned_at", outrider.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("ack_expires_at", outrider.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("reopened_at", outrider.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("reopened_by", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_alerts_assigned_to"), ["assigned_to"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alerts_assigned_to"))
        batch_op.drop_column("reopened_by")
        batch_op.drop_column("reopened_at")
        batch_op.drop_column("ack_expires_at")
        batch_op.drop_column("assigned_at")
        batch_op.drop_column("assigned_by")
        batch_op.drop_column("assigned_to")

    with op.batch_alter_table("notify_delivery_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notify_delivery_attempts_notification_id"))

    op.drop_table("notify_delivery_attempts")
    with op.batch_alter_table("notify_notifications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notify_notifications_user_id"))
        batch_op.drop_index(batch_op.f("ix_notify_notifications_organization_id"))
        batch_op.drop_index("ix_notify_notifications_due")
        batch_op.drop_index(batch_op.f("ix_notify_notifications_alert_id"))

    op.drop_table("notify_notifications")
    with op.batch_alter_table("notify_feed_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notify_feed_keys_organization_id"))

    op.drop_table("notify_feed_keys")
    op.drop_table("notify_alert_plans")
    with op.batch_alter_table("alert_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_notes_alert_id"))

    op.drop_table("alert_notes")
