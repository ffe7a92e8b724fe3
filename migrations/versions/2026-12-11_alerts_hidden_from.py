"""alerts: the users an alert is never shown to (who gave the silent duress signal it reports)

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-11 00:00:00
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "alert_hidden_from",
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["alert_id"], ["alerts.id"], name=op.f("fk_alert_hidden_from_alert_id_alerts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("alert_id", "user_id", name=op.f("pk_alert_hidden_from")),
    )
    with op.batch_alter_table("alert_hidden_from", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alert_hidden_from_user_id"), ["user_id"], unique=False)
    # the duress alerts raised before: hidden from whoever their details name silent_to
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, details FROM alerts WHERE kind = 'movement_duress'")).all()
    hidden = []
    for alert_id, details in rows:
        said = json.loads(details) if isinstance(details, str) else details
        users = said.get("silent_to") if isinstance(said, dict) else None
        for user_id in sorted({u for u in users or [] if isinstance(u, int) and not isinstance(u, bool)}):
            hidden.append({"alert_id": alert_id, "user_id": user_id})
    if hidden:
        conn.execute(
            sa.text("INSERT INTO alert_hidden_from (alert_id, user_id) VALUES (:alert_id, :user_id)"), hidden
        )


def downgrade() -> None:
    with op.batch_alter_table("alert_hidden_from", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_hidden_from_user_id"))
    op.drop_table("alert_hidden_from")
