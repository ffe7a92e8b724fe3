"""Checks that other domains attach to movement transitions (the protocol gate).

The protocols domain reads movements (their facts, their risk) to evaluate them, so movements cannot
import it; instead `outrider.compose.compose()` (called by the app factory, the CLI root and the job
runner) registers its check here, and the planning and tracking use cases run every registered check at
submission, approval, route clearance, departure and arrival. A check may raise a domain error
(RuleViolation) to refuse the transition; the caller's transaction then rolls back. With no check
registered the transition is refused (fail closed): a program that forgot to compose must not approve
movements ungated.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Protocol

from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.errors import OutriderError
from outrider.movements.models import Movement

Trigger = Literal["submit", "approve", "clear", "depart", "arrive"]


class TransitionCheck(Protocol):
    """A check run on a movement at a transition, inside the caller's transaction."""

    def __call__(
        self, session: Session, movement: Movement, *, trigger: Trigger, caller: Caller | None, now: datetime
    ) -> None: ...


_CHECKS: dict[str, TransitionCheck] = {}


class GateMissing(OutriderError, status=503, title="Protocol gate not installed", type_slug="gate-missing"):
    """No check is attached to movement transitions: the program was not composed, so refuse."""


def register(name: str, check: TransitionCheck) -> None:
    """Attach a check under a name (registering the same name again replaces it)."""
    _CHECKS[name] = check


def registered() -> tuple[str, ...]:
    """The names of the checks attached."""
    return tuple(_CHECKS)


def run(
    session: Session, movement: Movement, *, trigger: Trigger, caller: Caller | None, now: datetime
) -> None:
    """Run every attached check on the movement at this transition; refuse it when none is attached."""
    if not _CHECKS:
        raise GateMissing(
            f"movement {movement.reference}: no protocol gate is installed, so it cannot {trigger}; "
            "the program must call outrider.compose.compose() before driving movements"
        )
    for check in list(_CHECKS.values()):
        check(session, movement, trigger=trigger, caller=caller, now=now)


# --- who speaks for a party -------------------------------------------------------------------------
# Governance (which names the founding host-security organisation and the recognised partner governments)
# sits above movements, so the composition registers here who may give a party's approval. None
# registered: host and partner approvals are refused (fail closed), as the protocol gate refuses when it
# is missing.


class PartyAuthority(Protocol):
    """None when the caller may decide for a party of this kind (and country); else why not."""

    def __call__(
        self, session: Session, *, caller: Caller, org_kind: str, country: str | None
    ) -> str | None: ...


_AUTHORITY: list[PartyAuthority] = []
_GOVERNED_KINDS = ("host_security", "partner_government")


def register_authority(authority: PartyAuthority) -> None:
    """Install the authority that decides who speaks for host security and the partners."""
    _AUTHORITY[:] = [authority]


def refusal_to_speak_for(
    session: Session, *, caller: Caller, org_kind: str, country: str | None
) -> str | None:
    """Why the caller may not decide for this party, or None when they may."""
    if not _AUTHORITY:
        if org_kind in _GOVERNED_KINDS:
            return "no governance is installed: nobody decides for host security or a partner government"
        return None
    return _AUTHORITY[0](session, caller=caller, org_kind=org_kind, country=country)
