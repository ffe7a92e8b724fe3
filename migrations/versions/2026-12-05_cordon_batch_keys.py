"""cordon batches: idempotency keys; API tokens bound to the web session that minted them

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import outrider.db

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cordon_batch_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("part", sa.Integer(), nullable=False),
        sa.Column("body_sha256", sa.String(length=64), nullable=False),
        sa.Column("answer", sa.JSON(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", outrider.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_cordon_batch_keys_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_cordon_batch_keys_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cordon_batch_keys")),
        sa.UniqueConstraint(
            "organization_id", "key", "part", name=op.f("uq_cordon_batch_keys_organization_id_key_part")
        ),
    )
    with op.batch_alter_table("cordon_batch_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cordon_batch_keys_created_at"), ["created_at"], unique=False)

    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("web_session", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("session_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_api_tokens_session_id"), ["session_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_api_tokens_session_id_api_tokens"),
            "api_tokens",
            ["session_id"],
            ["id"],
            ondelete="CASCADE",
        )
    # Web sessions signed in before this revision were recognisable only by their name.
    op.execute(
        sa.text("UPDATE api_tokens SET web_session = :yes WHERE name = 'web session'").bindparams(yes=True)
    )


def downgrade() -> None:
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_api_tokens_session_id_api_tokens"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_api_tokens_session_id"))
        batch_op.drop_column("session_id")
        batch_op.drop_column("web_session")

    with op.batch_alter_table("cordon_batch_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cordon_batch_keys_created_at"))

    op.drop_table("cordon_batch_keys")
