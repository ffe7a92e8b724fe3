"""movements and audit: how the board's itinerary reads are recorded (issue 16)

A board read is one audit record naming every movement it showed; `audit_record_objects` indexes the
movements a record names, so "who read movement X" still finds it. The index is append-only like the log.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "audit_record_objects"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("object_type", sa.String(length=64), nullable=False),
        sa.Column("object_id", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("seq", "object_type", "object_id", name=op.f("pk_audit_record_objects")),
    )
    op.create_index("ix_audit_record_objects_object", TABLE, ["object_type", "object_id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        # outrider_audit_immutable() comes from revision 0003, as for the records themselves.
        op.execute(
            f"CREATE TRIGGER {TABLE}_immutable BEFORE UPDATE OR DELETE ON {TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION outrider_audit_immutable()"
        )
        op.execute(
            f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
            "FOR EACH STATEMENT EXECUTE FUNCTION outrider_audit_immutable()"
        )
        return
    for what in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER {TABLE}_no_{what.lower()} BEFORE {what} ON {TABLE} BEGIN "
            f"SELECT RAISE(ABORT, 'the audit log is append-only: {what} on {TABLE} refused'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}")
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_immutable ON {TABLE}")
    else:
        for what in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_{what}")
    op.drop_index("ix_audit_record_objects_object", table_name=TABLE)
    op.drop_table(TABLE)
