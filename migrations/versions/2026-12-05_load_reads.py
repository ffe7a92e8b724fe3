"""movements and audit: how the board's itinerary reads are recorded (issue 16)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05 22:00:00
"""

from collections.abc import Sequence

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass  # reserved: filled by the change that needs it, or left empty (a no-op revision)


def downgrade() -> None:
    pass
