"""protocols: overrides of blocking rules and the sweep, clearance and release facts (issue 17)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import outrider.db

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # An override of a failed blocking rule for one movement, recorded alone by the party the rule names.
    op.create_table(
        "protocol_overrides",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "movement_id", sa.Integer(), sa.ForeignKey("movements.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("version_id", sa.Integer(), sa.ForeignKey("protocol_versions.id"), nullable=False),
        sa.Column("protocol_hash", sa.String(64), nullable=False),
        sa.Column("rule_id", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("covers_alert_ids", sa.JSON(), nullable=False),
        sa.Column("organization_id", sa.Integer(), sa.ForeignKey("organizations.id"), nullable=False),
        sa.Column("recorded_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("recorded_at", outrider.db.UTCDateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_protocol_overrides_movement_id", "protocol_overrides", ["movement_id"])
    # Evaluations say which failed rules an override let through (earlier ones had none).
    with op.batch_alter_table("protocol_evaluations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("overridden", sa.JSON(), server_default="[]", nullable=False))
    with op.batch_alter_table("protocol_evaluations", schema=None) as batch_op:
        batch_op.alter_column("overridden", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("protocol_evaluations", schema=None) as batch_op:
        batch_op.drop_column("overridden")
    op.drop_index("ix_protocol_overrides_movement_id", table_name="protocol_overrides")
    op.drop_table("protocol_overrides")
