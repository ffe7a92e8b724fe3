"""cordon: the detectors' saved state per plate (buffered events and plates' states as rows, a small head)

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-08 00:00:00
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HEAD_KEYS = ("max_seen", "released_upto", "counters", "next_expire")
_state = sa.table("cordon_detector_state", sa.column("id"), sa.column("snapshot", sa.JSON()))
_pending = sa.table(
    "cordon_pending_events",
    sa.column("id"),
    sa.column("at"),
    sa.column("plate"),
    sa.column("event", sa.JSON()),
)
_plates = sa.table("cordon_plate_states", sa.column("plate"), sa.column("state", sa.JSON()))


def upgrade() -> None:
    op.create_table(
        "cordon_pending_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.Column("plate", sa.String(length=32), nullable=False),
        sa.Column("event", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cordon_pending_events")),
    )
    with op.batch_alter_table("cordon_pending_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cordon_pending_events_at"), ["at"], unique=False)
    op.create_table(
        "cordon_plate_states",
        sa.Column("plate", sa.String(length=32), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("plate", name=op.f("pk_cordon_plate_states")),
    )
    # The state saved whole becomes rows (as `outrider.cordon.saved_state.split`, frozen here).
    bind = op.get_bind()
    snapshot = bind.execute(sa.select(_state.c.snapshot).where(_state.c.id == 1)).scalar_one_or_none()
    if not snapshot or "buffer" not in snapshot:
        return
    head = {k: snapshot.get(k) for k in HEAD_KEYS}
    head["buffered"] = len(snapshot["buffer"])
    plates: dict[str, dict[str, Any]] = {}
    for key, rows in (("episodes", snapshot["episodes"]), ("inspections", snapshot["inspections"])):
        for plate, *rest in rows:
            plates.setdefault(plate, {}).setdefault(key, []).append(rest)
    for plate, seen in snapshot["places"]:
        if seen:
            plates.setdefault(plate, {})["places"] = dict(seen)
    for plate, at in snapshot["recon_alerted"].items():
        plates.setdefault(plate, {})["recon"] = at
    for plate, *rest in snapshot["loiter"]:
        plates.setdefault(plate, {}).setdefault("loiter", []).append(rest)
    events = [
        {"at": datetime.fromisoformat(str(e["at"])).timestamp(), "plate": e["plate"], "event": e}
        for e in snapshot["buffer"]
    ]
    if events:
        bind.execute(sa.insert(_pending), events)
    if plates:
        bind.execute(sa.insert(_plates), [{"plate": p, "state": s} for p, s in plates.items()])
    bind.execute(sa.update(_state).where(_state.c.id == 1).values(snapshot=head))


def downgrade() -> None:
    # The rows become the whole document again (the earlier code reads nothing else).
    bind = op.get_bind()
    head = bind.execute(sa.select(_state.c.snapshot).where(_state.c.id == 1)).scalar_one_or_none()
    if head is not None and "buffer" not in head:
        whole: dict[str, Any] = {"version": 2, **{k: head.get(k) for k in HEAD_KEYS}}
        if whole.get("counters") is None:
            whole["counters"] = {"late": 0, "unknown_zone": 0, "processed": 0}
        if whole.get("next_expire") is None:
            whole.pop("next_expire")
        whole.update(episodes=[], inspections=[], places=[], recon_alerted={}, loiter=[])
        whole["buffer"] = list(bind.execute(sa.select(_pending.c.event).order_by(_pending.c.id)).scalars())
        for plate, state in bind.execute(
            sa.select(_plates.c.plate, _plates.c.state).order_by(_plates.c.plate)
        ):
            whole["episodes"] += [[plate, *e] for e in state.get("episodes", ())]
            whole["inspections"] += [[plate, *i] for i in state.get("inspections", ())]
            if state.get("places"):
                whole["places"].append([plate, state["places"]])
            if state.get("recon") is not None:
                whole["recon_alerted"][plate] = state["recon"]
            whole["loiter"] += [[plate, *lo] for lo in state.get("loiter", ())]
        if head:  # an empty head (created by a first batch) stays empty: no state yet
            bind.execute(sa.update(_state).where(_state.c.id == 1).values(snapshot=whole))
    op.drop_table("cordon_plate_states")
    with op.batch_alter_table("cordon_pending_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cordon_pending_events_at"))
    op.drop_table("cordon_pending_events")
