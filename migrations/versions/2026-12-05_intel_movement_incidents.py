"""intel and risk: incidents reported on movements, city extents (issue 17)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 22:00:00
"""

from collections.abc import Sequence

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass  # reserved: filled by the change that needs it, or left empty (a no-op revision)


def downgrade() -> None:
    pass
