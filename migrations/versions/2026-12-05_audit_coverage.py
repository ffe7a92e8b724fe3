"""audit: every record covered, key history, tamper guards

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import outrider.db

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = ("audit_records", "audit_checkpoints", "audit_keys")
GENESIS = "0" * 64

# The head may only move forward, to a record of the chain with that record's hash; it is never
# deleted. (The row serialises appends, so the application keeps UPDATE on it.)
PG_HEAD_FUNCTION = """
CREATE OR REPLACE FUNCTION outrider_audit_head_forward() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'the audit log is append-only: DELETE on audit_head refused';
    END IF;
    IF TG_OP = 'UPDATE' AND (NEW.id <> OLD.id OR NEW.seq < OLD.seq
                             OR (NEW.seq = OLD.seq AND NEW.hash <> OLD.hash)) THEN
        RAISE EXCEPTION 'the audit log is append-only: the head only moves forward (UPDATE refused)';
    END IF;
    IF NOT ((NEW.seq = 0 AND NEW.hash = repeat('0', 64))
            OR EXISTS (SELECT 1 FROM audit_records r WHERE r.seq = NEW.seq AND r.hash = NEW.hash)) THEN
        RAISE EXCEPTION 'the audit log is append-only: the head must name a record of the chain (% refused)', TG_OP;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql
"""

SQLITE_HEAD_NAMES_A_RECORD = (
    f"NOT ((NEW.seq = 0 AND NEW.hash = '{GENESIS}') OR EXISTS "  # noqa: S608 - constant text
    "(SELECT 1 FROM audit_records r WHERE r.seq = NEW.seq AND r.hash = NEW.hash))"
)


def upgrade() -> None:
    op.create_table(
        "audit_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("valid_from", outrider.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("endorsement", sa.String(length=128), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_keys")),
        sa.UniqueConstraint("public_key", name=op.f("uq_audit_keys_public_key")),
    )
    with op.batch_alter_table("audit_checkpoints", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prev_seq", sa.Integer(), nullable=True))

    if op.get_bind().dialect.name == "postgresql":
        # outrider_audit_immutable() comes from revision 0003 (row triggers on records and checkpoints).
        op.execute(
            "CREATE TRIGGER audit_keys_immutable BEFORE UPDATE OR DELETE ON audit_keys "
            "FOR EACH ROW EXECUTE FUNCTION outrider_audit_immutable()"
        )
        # TRUNCATE fires no row trigger: a statement trigger refuses it, for the owner too.
        for table in (*APPEND_ONLY, "audit_head"):
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION outrider_audit_immutable()"
            )
        op.execute(PG_HEAD_FUNCTION)
        op.execute(
            "CREATE TRIGGER audit_head_forward BEFORE INSERT OR UPDATE OR DELETE ON audit_head "
            "FOR EACH ROW EXECUTE FUNCTION outrider_audit_head_forward()"
        )
        return
    # SQLite: whoever holds the file can drop these; they stop the application and careless hands,
    # and the signed heads and the witness file catch the rest.
    for table in APPEND_ONLY:
        for what in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{what.lower()} BEFORE {what} ON {table} BEGIN "
                f"SELECT RAISE(ABORT, 'the audit log is append-only: {what} on {table} refused'); END"
            )
    op.execute(
        "CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head BEGIN "
        "SELECT RAISE(ABORT, 'the audit log is append-only: DELETE on audit_head refused'); END"
    )
    op.execute(
        "CREATE TRIGGER audit_head_forward BEFORE UPDATE ON audit_head WHEN NEW.id <> OLD.id "
        "OR NEW.seq < OLD.seq OR (NEW.seq = OLD.seq AND NEW.hash <> OLD.hash) OR "
        f"{SQLITE_HEAD_NAMES_A_RECORD} BEGIN "
        "SELECT RAISE(ABORT, 'the audit log is append-only: the head only moves forward to a record of the "
        "chain (UPDATE refused)'); END"
    )
    op.execute(
        f"CREATE TRIGGER audit_head_insert BEFORE INSERT ON audit_head WHEN {SQLITE_HEAD_NAMES_A_RECORD} "
        "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: the head must name a record of the "
        "chain (INSERT refused)'); END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_head_forward ON audit_head")
        op.execute("DROP FUNCTION IF EXISTS outrider_audit_head_forward()")
        for table in (*APPEND_ONLY, "audit_head"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        op.execute("DROP TRIGGER IF EXISTS audit_keys_immutable ON audit_keys")
    else:
        for name in ("audit_head_insert", "audit_head_forward", "audit_head_no_delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        for table in APPEND_ONLY:
            for what in ("update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{what}")
    with op.batch_alter_table("audit_checkpoints", schema=None) as batch_op:
        batch_op.drop_column("prev_seq")
    op.drop_table("audit_keys")
