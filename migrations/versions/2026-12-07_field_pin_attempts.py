"""field: wrong PINs counted for the throttle of PIN check-ins, and the language of each user's SMS replies

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import outrider.db

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "field_pin_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=80), nullable=False),
        sa.Column("at", outrider.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field_pin_failures")),
    )
    with op.batch_alter_table("field_pin_failures", schema=None) as batch_op:
        batch_op.create_index("ix_field_pin_failures_subject_at", ["subject", "at"], unique=False)
    op.create_table(
        "field_profiles",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("updated_at", outrider.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_field_profiles_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_field_profiles")),
    )


def downgrade() -> None:
    op.drop_table("field_profiles")
    with op.batch_alter_table("field_pin_failures", schema=None) as batch_op:
        batch_op.drop_index("ix_field_pin_failures_subject_at")
    op.drop_table("field_pin_failures")
