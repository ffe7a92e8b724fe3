"""committee commitments: commitments, each party's assessments, the evidence timeline, news proposals

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import outrider.db

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "committee_commitments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("promisor", sa.String(length=16), nullable=True),
        sa.Column("beneficiary", sa.String(length=16), nullable=True),
        sa.Column("countries", sa.JSON(), nullable=False),
        sa.Column("object", sa.Text(), nullable=False),
        sa.Column("amount", sa.Float(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("unit", sa.String(length=64), nullable=True),
        sa.Column("group", sa.String(length=128), nullable=True),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("host_owner_id", sa.Integer(), nullable=True),
        sa.Column("partner_owner_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("link_key", sa.String(length=120), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", outrider.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", outrider.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_committee_commitments_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["host_owner_id"], ["users.id"], name=op.f("fk_committee_commitments_host_owner_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["partner_owner_id"], ["users.id"], name=op.f("fk_committee_commitments_partner_owner_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_commitments")),
    )
    with op.batch_alter_table("committee_commitments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_committee_commitments_deadline"), ["deadline"], unique=False)
        batch_op.create_index(batch_op.f("ix_committee_commitments_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_committee_commitments_link_key"), ["link_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_committee_commitments_stage"), ["stage"], unique=False)
        batch_op.create_index(batch_op.f("ix_committee_commitments_status"), ["status"], unique=False)

    op.create_table(
        "committee_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("party", sa.String(length=16), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("at", outrider.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["committee_commitments.id"],
            name=op.f("fk_committee_assessments_commitment_id_committee_commitments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_committee_assessments_organization_id_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_committee_assessments_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_assessments")),
    )
    with op.batch_alter_table("committee_assessments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_committee_assessments_commitment_id"), ["commitment_id"], unique=False
        )

    op.create_table(
        "committee_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("file_name", sa.String(length=255), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("content", sa.Text(), nullable=True),
        sa.Column("stage_from", sa.String(length=16), nullable=True),
        sa.Column("stage_to", sa.String(length=16), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("at", outrider.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["committee_commitments.id"],
            name=op.f("fk_committee_evidence_commitment_id_committee_commitments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_committee_evidence_organization_id_organizations"),
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_committee_evidence_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_evidence")),
    )
    with op.batch_alter_table("committee_evidence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_committee_evidence_commitment_id"), ["commitment_id"], unique=False
        )

    op.create_table(
        "committee_coop_proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("link_key", sa.String(length=120), nullable=True),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=True),
        sa.Column("evidence_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", outrider.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", outrider.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["committee_commitments.id"],
            name=op.f("fk_committee_coop_proposals_commitment_id_committee_commitments"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_committee_coop_proposals_decided_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["committee_evidence.id"],
            name=op.f("fk_committee_coop_proposals_evidence_id_committee_evidence"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["intel_reports.id"],
            name=op.f("fk_committee_coop_proposals_report_id_intel_reports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_coop_proposals")),
        sa.UniqueConstraint("report_id", "seq", name=op.f("uq_committee_coop_proposals_report_id_seq")),
    )
    with op.batch_alter_table("committee_coop_proposals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_committee_coop_proposals_link_key"), ["link_key"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_committee_coop_proposals_report_id"), ["report_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_committee_coop_proposals_state"), ["state"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("committee_coop_proposals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_committee_coop_proposals_state"))
        batch_op.drop_index(batch_op.f("ix_committee_coop_proposals_report_id"))
        batch_op.drop_index(batch_op.f("ix_committee_coop_proposals_link_key"))

    op.drop_table("committee_coop_proposals")
    with op.batch_alter_table("committee_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_committee_evidence_commitment_id"))

    op.drop_table("committee_evidence")
    with op.batch_alter_table("committee_assessments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_committee_assessments_commitment_id"))

    op.drop_table("committee_assessments")
    with op.batch_alter_table("committee_commitments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_committee_commitments_status"))
        batch_op.drop_index(batch_op.f("ix_committee_commitments_stage"))
        batch_op.drop_index(batch_op.f("ix_committee_commitments_link_key"))
        batch_op.drop_index(batch_op.f("ix_committee_commitments_kind"))
        batch_op.drop_index(batch_op.f("ix_committee_commitments_deadline"))

    op.drop_table("committee_commitments")
