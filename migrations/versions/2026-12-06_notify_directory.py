"""notify directory: contact points, webhook endpoints, duty rosters and shifts, escalation policies
(versioned); the joint arrangement's escalation becomes the joint default policy (issue 18)

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 01:00:00
"""

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

import outrider.db

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The built-in arrangement's escalation (movements.arrangement), used when no arrangement was stored.
_BUILT_IN = [
    {"after_minutes": 0, "level": 1, "roles": ["duty_officer"]},
    {"after_minutes": 15, "level": 2, "roles": ["duty_officer", "coordinator", "liaison"]},
    {"after_minutes": 30, "level": 3, "roles": ["admin"]},
]


def _joint_steps(escalation: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The arrangement's steps as a policy's: each step's roles as targets, on every channel."""
    return [
        {
            "after_minutes": int(s["after_minutes"]),
            "channels": ["email", "sms", "webhook"],
            "targets": [{"role": r} for r in s["roles"]],
        }
        for s in escalation
    ]


def _insert_joint_default() -> None:
    """The joint default policy from the arrangement in force (the newest stored version, if any)."""
    conn = op.get_bind()
    row = conn.execute(sa.text("SELECT document FROM arrangements ORDER BY version DESC LIMIT 1")).first()
    document = row[0] if row is not None else None
    if isinstance(document, str):
        document = json.loads(document)
    escalation = (document or {}).get("escalation") or _BUILT_IN
    policies = sa.table(
        "notify_policies",
        sa.column("organization_id", sa.Integer()),
        sa.column("name", sa.String()),
        sa.column("version", sa.Integer()),
        sa.column("kinds", sa.JSON()),
        sa.column("min_severity", sa.String()),
        sa.column("steps", sa.JSON()),
        sa.column("repeat", sa.Integer()),
        sa.column("active", sa.Boolean()),
        sa.column("created_at", outrider.db.UTCDateTime()),
    )
    op.bulk_insert(
        policies,
        [
            {
                "organization_id": None,
                "name": "joint arrangement",
                "version": 1,
                "kinds": [],
                "min_severity": "info",
                "steps": _joint_steps(escalation),
                "repeat": 0,
                "active": True,
                "created_at": datetime.now(UTC),
            }
        ],
    )


def upgrade() -> None:
    op.create_table(
        "notify_policies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kinds", sa.JSON(), nullable=False),
        sa.Column("min_severity", sa.String(length=16), nullable=False),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("repeat", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("superseded_by", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", outrider.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_notify_policies_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notify_policies")),
        sa.UniqueConstraint("organization_id", "name", "version", name="uq_notify_policy_version"),
    )
    op.create_index(
        op.f("ix_notify_policies_organization_id"), "notify_policies", ["organization_id"], unique=False
    )
    op.create_table(
        "notify_rosters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("created_at", outrider.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_notify_rosters_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notify_rosters")),
        sa.UniqueConstraint("organization_id", "name", name="uq_notify_roster_name"),
    )
    op.create_index(
        op.f("ix_notify_rosters_organization_id"), "notify_rosters", ["organization_id"], unique=False
    )
    op.create_table(
        "notify_webhook_endpoints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("secret", sa.String(length=80), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", outrider.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", outrider.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_notify_webhook_endpoints_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notify_webhook_endpoints")),
    )
    op.create_index(
        op.f("ix_notify_webhook_endpoints_organization_id"),
        "notify_webhook_endpoints",
        ["organization_id"],
        unique=False,
    )
    op.create_table(
        "notify_contact_points",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("address", sa.String(length=320), nullable=False),
        sa.Column("verified_at", outrider.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("code_expires_at", outrider.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("code_attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", outrider.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("disabled_at", outrider.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_notify_contact_points_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notify_contact_points")),
        sa.UniqueConstraint("user_id", "channel", "address", name="uq_notify_contact_point"),
    )
    op.create_index(
        op.f("ix_notify_contact_points_user_id"), "notify_contact_points", ["user_id"], unique=False
    )
    op.create_table(
        "notify_shifts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("roster_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("rank", sa.String(length=16), nullable=False),
        sa.Column("weekdays", sa.JSON(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=True),
        sa.Column("end_time", sa.Time(), nullable=True),
        sa.Column("starts_at", outrider.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("ends_at", outrider.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", outrider.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["roster_id"],
            ["notify_rosters.id"],
            name=op.f("fk_notify_shifts_roster_id_notify_rosters"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_notify_shifts_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notify_shifts")),
    )
    op.create_index(op.f("ix_notify_shifts_roster_id"), "notify_shifts", ["roster_id"], unique=False)
    op.create_index(op.f("ix_notify_shifts_user_id"), "notify_shifts", ["user_id"], unique=False)
    _insert_joint_default()


def downgrade() -> None:
    op.drop_index(op.f("ix_notify_shifts_user_id"), table_name="notify_shifts")
    op.drop_index(op.f("ix_notify_shifts_roster_id"), table_name="notify_shifts")
    op.drop_table("notify_shifts")
    op.drop_index(op.f("ix_notify_contact_points_user_id"), table_name="notify_contact_points")
    op.drop_table("notify_contact_points")
    op.drop_index(op.f("ix_notify_webhook_endpoints_organization_id"), table_name="notify_webhook_endpoints")
    op.drop_table("notify_webhook_endpoints")
    op.drop_index(op.f("ix_notify_rosters_organization_id"), table_name="notify_rosters")
    op.drop_table("notify_rosters")
    op.drop_index(op.f("ix_notify_policies_organization_id"), table_name="notify_policies")
    op.drop_table("notify_policies")
