"""waiver withdrawal

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import outrider.db

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("protocol_waivers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("withdrawn_by", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("withdrawn_at", outrider.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("withdrawal_reason", sa.Text(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_protocol_waivers_withdrawn_by_users"), "users", ["withdrawn_by"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("protocol_waivers", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_protocol_waivers_withdrawn_by_users"), type_="foreignkey")
        batch_op.drop_column("withdrawal_reason")
        batch_op.drop_column("withdrawn_at")
        batch_op.drop_column("withdrawn_by")
