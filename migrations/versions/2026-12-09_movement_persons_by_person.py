"""movements: the persons' links indexed by person (a person's movements read without scanning every link)

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-09 00:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(op.f("ix_movement_persons_person_id"), "movement_persons", ["person_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_movement_persons_person_id"), table_name="movement_persons")
