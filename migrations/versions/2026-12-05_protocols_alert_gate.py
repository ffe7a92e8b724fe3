"""protocols: overrides of blocking rules and the sweep, clearance and release facts (issue 17)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 22:00:00
"""

from collections.abc import Sequence

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass  # reserved: filled by the change that needs it, or left empty (a no-op revision)


def downgrade() -> None:
    pass
