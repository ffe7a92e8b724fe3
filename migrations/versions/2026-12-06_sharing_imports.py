"""sharing: provenance of intelligence imported from a partner's STIX bundle, and per partner the
marking ceiling of imports and the last signed feed imported (issue 24)

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import outrider.db

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

IMPORTED = ("intel_reports", "intel_incidents", "intel_events", "intel_actors")


def upgrade() -> None:
    for table in IMPORTED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("source_org_id", sa.Integer(), nullable=True))
            batch_op.add_column(sa.Column("stix_id", sa.String(length=100), nullable=True))
            batch_op.add_column(sa.Column("bundle_id", sa.String(length=100), nullable=True))
            batch_op.add_column(
                sa.Column("stix_modified", outrider.db.UTCDateTime(timezone=True), nullable=True)
            )
            batch_op.add_column(sa.Column("imported", sa.JSON(), nullable=True))
            batch_op.create_foreign_key(
                batch_op.f(f"fk_{table}_source_org_id_organizations"),
                "organizations",
                ["source_org_id"],
                ["id"],
            )
            batch_op.create_index(batch_op.f(f"ix_{table}_stix_id"), ["stix_id"], unique=False)
    op.create_table(
        "sharing_import_sources",
        sa.Column("partner_org_id", sa.Integer(), nullable=False),
        sa.Column("ceiling", sa.String(length=24), nullable=False),
        sa.Column("last_sequence", sa.Integer(), nullable=False),
        sa.Column("last_bundle_id", sa.String(length=100), nullable=True),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", outrider.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["partner_org_id"],
            ["organizations.id"],
            name=op.f("fk_sharing_import_sources_partner_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["users.id"], name=op.f("fk_sharing_import_sources_updated_by_users")
        ),
        sa.PrimaryKeyConstraint("partner_org_id", name=op.f("pk_sharing_import_sources")),
    )


def downgrade() -> None:
    op.drop_table("sharing_import_sources")
    for table in IMPORTED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_stix_id"))
            batch_op.drop_constraint(
                batch_op.f(f"fk_{table}_source_org_id_organizations"), type_="foreignkey"
            )
            batch_op.drop_column("imported")
            batch_op.drop_column("stix_modified")
            batch_op.drop_column("bundle_id")
            batch_op.drop_column("stix_id")
            batch_op.drop_column("source_org_id")
