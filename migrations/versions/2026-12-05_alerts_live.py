"""alerts: who sees an alert, manual escalation and resolution with reasons (issue 17)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("resolved_by", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("resolution_reason", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("escalated_by", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("escalation_reason", sa.Text(), server_default="", nullable=False))
    op.create_table(
        "alert_audience",
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["alert_id"], ["alerts.id"], name=op.f("fk_alert_audience_alert_id_alerts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("alert_id", "organization_id", name=op.f("pk_alert_audience")),
    )
    with op.batch_alter_table("alert_audience", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_alert_audience_organization_id"), ["organization_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("alert_audience", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_audience_organization_id"))
    op.drop_table("alert_audience")
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_column("escalation_reason")
        batch_op.drop_column("escalated_by")
        batch_op.drop_column("resolution_reason")
        batch_op.drop_column("resolved_by")
