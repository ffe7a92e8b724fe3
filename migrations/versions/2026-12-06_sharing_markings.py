"""sharing: markings and need-to-know groups on intelligence, organisations' default markings, release
policies per partner (issue 24)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import outrider.db

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MARKED = ("intel_reports", "intel_incidents", "intel_events", "intel_actors")


def upgrade() -> None:
    for table in MARKED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("marking", sa.String(length=24), nullable=True))
            batch_op.add_column(sa.Column("ntk_groups", sa.JSON(), server_default="[]", nullable=False))
    op.create_table(
        "sharing_org_defaults",
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("marking", sa.String(length=24), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=False),
        sa.Column("updated_at", outrider.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_sharing_org_defaults_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["users.id"], name=op.f("fk_sharing_org_defaults_updated_by_users")
        ),
        sa.PrimaryKeyConstraint("organization_id", name=op.f("pk_sharing_org_defaults")),
    )
    op.create_table(
        "sharing_policies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partner_org_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("max_marking", sa.String(length=24), nullable=False),
        sa.Column("object_types", sa.JSON(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("redactions", sa.JSON(), nullable=False),
        sa.Column("ntk_groups", sa.JSON(), nullable=False),
        sa.Column("anonymise_corroborations", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("payload_hash", sa.String(length=64), nullable=False),
        sa.Column("approvals", sa.JSON(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", outrider.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("agreed_at", outrider.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_sharing_policies_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["partner_org_id"],
            ["organizations.id"],
            name=op.f("fk_sharing_policies_partner_org_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sharing_policies")),
        sa.UniqueConstraint(
            "partner_org_id", "version", name=op.f("uq_sharing_policies_partner_org_id_version")
        ),
    )
    with op.batch_alter_table("sharing_policies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sharing_policies_partner_org_id"), ["partner_org_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_sharing_policies_status"), ["status"], unique=False)


def downgrade() -> None:
    op.drop_table("sharing_policies")
    op.drop_table("sharing_org_defaults")
    for table in MARKED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("ntk_groups")
            batch_op.drop_column("marking")
