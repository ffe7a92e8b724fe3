"""need-to-know by person and unit, shared places

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import outrider.db

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The members of an escort unit are the people its movements' itineraries are drawn for.
    op.create_table(
        "unit_members",
        sa.Column(
            "unit_id", sa.Integer(), sa.ForeignKey("escort_units.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("added_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("added_at", outrider.db.UTCDateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_unit_members_user_id", "unit_members", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_unit_members_user_id", table_name="unit_members")
    op.drop_table("unit_members")
