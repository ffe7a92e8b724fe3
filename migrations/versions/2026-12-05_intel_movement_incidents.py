"""intel and risk: incidents reported on movements, city extents (issue 17)

An incident reported on a movement is stored as intelligence at once; its report keeps the movement it
came from (shown only to those who may see the movement), and its event the moment it happened (risk ages
it from then, not from the start of its day). City extents need no column: they derive from
the packaged gazetteer.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import outrider.db

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("intel_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("occurred_at", outrider.db.UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table("intel_reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("movement_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_intel_reports_movement_id"), ["movement_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_intel_reports_movement_id_movements"),
            "movements",
            ["movement_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("intel_reports", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_intel_reports_movement_id_movements"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_intel_reports_movement_id"))
        batch_op.drop_column("movement_id")
    with op.batch_alter_table("intel_events", schema=None) as batch_op:
        batch_op.drop_column("occurred_at")
