"""joint governance: founding parties and proposals

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import outrider.db

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "governance_founding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("singleton", sa.Integer(), nullable=False),
        sa.Column("host_org_id", sa.Integer(), nullable=False),
        sa.Column("partner_org_id", sa.Integer(), nullable=False),
        sa.Column("founded_at", outrider.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["host_org_id"],
            ["organizations.id"],
            name=op.f("fk_governance_founding_host_org_id_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["partner_org_id"],
            ["organizations.id"],
            name=op.f("fk_governance_founding_partner_org_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_founding")),
        sa.UniqueConstraint("singleton", name=op.f("uq_governance_founding_singleton")),
    )
    op.create_table(
        "governance_proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("payload_hash", sa.String(length=64), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("proposer_party", sa.String(length=16), nullable=False),
        sa.Column("proposed_by", sa.Integer(), nullable=False),
        sa.Column("created_at", outrider.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", outrider.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", outrider.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["proposed_by"], ["users.id"], name=op.f("fk_governance_proposals_proposed_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_proposals")),
    )
    with op.batch_alter_table("governance_proposals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_governance_proposals_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_governance_proposals_state"), ["state"], unique=False)

    op.create_table(
        "governance_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("party", sa.String(length=16), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("payload_hash", sa.String(length=64), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=True),
        sa.Column("signature", sa.String(length=128), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("at", outrider.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_governance_decisions_organization_id_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["governance_proposals.id"],
            name=op.f("fk_governance_decisions_proposal_id_governance_proposals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_governance_decisions_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_decisions")),
        sa.UniqueConstraint("proposal_id", "party", name=op.f("uq_governance_decisions_proposal_id_party")),
    )


def downgrade() -> None:
    op.drop_table("governance_decisions")
    with op.batch_alter_table("governance_proposals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_proposals_state"))
        batch_op.drop_index(batch_op.f("ix_governance_proposals_kind"))
    op.drop_table("governance_proposals")
    op.drop_table("governance_founding")
