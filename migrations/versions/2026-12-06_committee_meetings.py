"""committee: joint committees, members, meetings, agenda items, attendance, minutes sections, the
parties' signed approvals of the minutes, outcomes and comments (issue 23)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import outrider.db

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "committee_committees",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("host_org_id", sa.Integer(), nullable=False),
        sa.Column("partner_org_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", outrider.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_committee_committees_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["host_org_id"],
            ["organizations.id"],
            name=op.f("fk_committee_committees_host_org_id_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["partner_org_id"],
            ["organizations.id"],
            name=op.f("fk_committee_committees_partner_org_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_committees")),
        sa.UniqueConstraint("name", name=op.f("uq_committee_committees_name")),
    )
    op.create_table(
        "committee_meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("committee_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("starts_at", outrider.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("minutes_revision", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", outrider.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["committee_id"],
            ["committee_committees.id"],
            name=op.f("fk_committee_meetings_committee_id_committee_committees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_committee_meetings_created_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_meetings")),
        sa.UniqueConstraint("committee_id", "number", name=op.f("uq_committee_meetings_committee_id_number")),
    )
    with op.batch_alter_table("committee_meetings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_committee_meetings_committee_id"), ["committee_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_committee_meetings_status"), ["status"], unique=False)

    op.create_table(
        "committee_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("committee_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("party", sa.String(length=16), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("added_by", sa.Integer(), nullable=False),
        sa.Column("added_at", outrider.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["added_by"], ["users.id"], name=op.f("fk_committee_members_added_by_users")),
        sa.ForeignKeyConstraint(
            ["committee_id"],
            ["committee_committees.id"],
            name=op.f("fk_committee_members_committee_id_committee_committees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_committee_members_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_members")),
        sa.UniqueConstraint(
            "committee_id", "user_id", name=op.f("uq_committee_members_committee_id_user_id")
        ),
    )
    with op.batch_alter_table("committee_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_committee_members_committee_id"), ["committee_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_committee_members_user_id"), ["user_id"], unique=False)

    op.create_table(
        "committee_agenda_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("restricted_to", sa.JSON(), nullable=True),
        sa.Column("generated", sa.String(length=32), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", outrider.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_committee_agenda_items_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["committee_meetings.id"],
            name=op.f("fk_committee_agenda_items_meeting_id_committee_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_agenda_items")),
        sa.UniqueConstraint(
            "meeting_id", "position", name=op.f("uq_committee_agenda_items_meeting_id_position")
        ),
    )
    with op.batch_alter_table("committee_agenda_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_committee_agenda_items_meeting_id"), ["meeting_id"], unique=False
        )

    op.create_table(
        "committee_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("guest_name", sa.String(length=200), nullable=True),
        sa.Column("guest_affiliation", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["committee_meetings.id"],
            name=op.f("fk_committee_attendance_meeting_id_committee_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["committee_members.id"],
            name=op.f("fk_committee_attendance_member_id_committee_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_attendance")),
        sa.UniqueConstraint(
            "meeting_id", "member_id", name=op.f("uq_committee_attendance_meeting_id_member_id")
        ),
    )
    with op.batch_alter_table("committee_attendance", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_committee_attendance_meeting_id"), ["meeting_id"], unique=False)

    op.create_table(
        "committee_minutes_approvals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("party", sa.String(length=16), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.Integer(), nullable=False),
        sa.Column("minutes_hash", sa.String(length=64), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.String(length=128), nullable=False),
        sa.Column("at", outrider.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["key_id"],
            ["protocol_signing_keys.id"],
            name=op.f("fk_committee_minutes_approvals_key_id_protocol_signing_keys"),
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["committee_meetings.id"],
            name=op.f("fk_committee_minutes_approvals_meeting_id_committee_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_committee_minutes_approvals_organization_id_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_committee_minutes_approvals_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_minutes_approvals")),
        sa.UniqueConstraint(
            "meeting_id",
            "revision",
            "party",
            name=op.f("uq_committee_minutes_approvals_meeting_id_revision_party"),
        ),
    )
    with op.batch_alter_table("committee_minutes_approvals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_committee_minutes_approvals_meeting_id"), ["meeting_id"], unique=False
        )

    op.create_table(
        "committee_item_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("at", outrider.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["committee_agenda_items.id"],
            name=op.f("fk_committee_item_comments_agenda_item_id_committee_agenda_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_committee_item_comments_organization_id_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_committee_item_comments_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_item_comments")),
    )
    with op.batch_alter_table("committee_item_comments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_committee_item_comments_agenda_item_id"), ["agenda_item_id"], unique=False
        )

    op.create_table(
        "committee_minutes_sections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=False),
        sa.Column("updated_at", outrider.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["committee_agenda_items.id"],
            name=op.f("fk_committee_minutes_sections_agenda_item_id_committee_agenda_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["committee_meetings.id"],
            name=op.f("fk_committee_minutes_sections_meeting_id_committee_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["users.id"], name=op.f("fk_committee_minutes_sections_updated_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_minutes_sections")),
    )
    with op.batch_alter_table("committee_minutes_sections", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_committee_minutes_sections_meeting_id"), ["meeting_id"], unique=False
        )

    op.create_table(
        "committee_outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("protocol_version_id", sa.Integer(), nullable=True),
        sa.Column("commitment_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", outrider.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["committee_agenda_items.id"],
            name=op.f("fk_committee_outcomes_agenda_item_id_committee_agenda_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["committee_commitments.id"],
            name=op.f("fk_committee_outcomes_commitment_id_committee_commitments"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_committee_outcomes_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["protocol_version_id"],
            ["protocol_versions.id"],
            name=op.f("fk_committee_outcomes_protocol_version_id_protocol_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_outcomes")),
    )
    with op.batch_alter_table("committee_outcomes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_committee_outcomes_agenda_item_id"), ["agenda_item_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_committee_outcomes_commitment_id"), ["commitment_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("committee_outcomes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_committee_outcomes_commitment_id"))
        batch_op.drop_index(batch_op.f("ix_committee_outcomes_agenda_item_id"))

    op.drop_table("committee_outcomes")
    with op.batch_alter_table("committee_minutes_sections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_committee_minutes_sections_meeting_id"))

    op.drop_table("committee_minutes_sections")
    with op.batch_alter_table("committee_item_comments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_committee_item_comments_agenda_item_id"))

    op.drop_table("committee_item_comments")
    with op.batch_alter_table("committee_minutes_approvals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_committee_minutes_approvals_meeting_id"))

    op.drop_table("committee_minutes_approvals")
    with op.batch_alter_table("committee_attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_committee_attendance_meeting_id"))

    op.drop_table("committee_attendance")
    with op.batch_alter_table("committee_agenda_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_committee_agenda_items_meeting_id"))

    op.drop_table("committee_agenda_items")
    with op.batch_alter_table("committee_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_committee_members_user_id"))
        batch_op.drop_index(batch_op.f("ix_committee_members_committee_id"))

    op.drop_table("committee_members")
    with op.batch_alter_table("committee_meetings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_committee_meetings_status"))
        batch_op.drop_index(batch_op.f("ix_committee_meetings_committee_id"))

    op.drop_table("committee_meetings")
    op.drop_table("committee_committees")
