"""Device order: each user's device numbers its actions, and the server takes them strictly in that order.

A phone that queued check-ins offline replays them with their sequence numbers; a number lower than or
equal to the last one taken, under a new idempotency key, means the queue was tampered with or rewound,
and is refused (a replay of a taken key is answered before this check, with the stored result).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from outrider.errors import Conflict
from outrider.movements.models import FieldDevice


def advance(session: Session, *, user_id: int, device_id: str, seq: int, now: datetime) -> None:
    """Take ``seq`` as the device's newest number (one indexed read, one upsert); Conflict when it is not
    above the last one taken."""
    last = session.scalar(
        select(FieldDevice.last_seq).where(FieldDevice.user_id == user_id, FieldDevice.device_id == device_id)
    )
    if last is not None and seq <= last:
        raise Conflict(
            f"device sequence went backwards (got {seq}, last {last})",
            errors=[{"loc": ["body", "device_seq"], "msg": f"not above the last one taken ({last})"}],
            code="device_order",
        )
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = insert(FieldDevice).values(
        user_id=user_id, device_id=device_id, last_seq=seq, last_received_at=now
    )
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=[FieldDevice.user_id, FieldDevice.device_id],
            set_={"last_seq": stmt.excluded.last_seq, "last_received_at": stmt.excluded.last_received_at},
            where=FieldDevice.last_seq < stmt.excluded.last_seq,
        )
    )
