"""How an accounts use case records what it changed: the face hands it a recorder bound to the audit log.

Accounts sit beside the audit log (neither imports the other), so every use case that changes an account
takes a `Recorder`, which each face makes from `audit.service.record` with the actor, the session and the
time bound (``functools.partial``). A face that forgot would not type-check. Details never carry a
password, a code, a secret or a token.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol


class Recorder(Protocol):
    """`audit.service.record` with its session, actor and time already given."""

    def __call__(
        self,
        *,
        action: str,
        object_type: str,
        object_id: str | int,
        fields: Sequence[str] = (),
        details: dict[str, Any] | None = None,
    ) -> object: ...


def record_user(record: Recorder, action: str, user_id: int, **details: Any) -> None:
    """One audit entry ``accounts.<action>`` about a user."""
    record(
        action=f"accounts.{action}",
        object_type="user",
        object_id=user_id,
        fields=sorted(details),
        details=details,
    )
