"""Who reads which stored event, as risk is told it: risk sits below sharing, which decides that
(docs/sharing.md, "Who reads marked intelligence here"), so the decision comes through a function that the
composition root registers. Kept apart from the index (`risk.readers`) so that registering it loads no
numerical library.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

# (session, organisation id) -> the ids of the events that organisation may not read (None: it reads all)
Withheld = Callable[[Session, int], frozenset[int] | None]

_hooks: dict[str, Withheld] = {}


def register(withheld: Withheld) -> None:
    """Attach the rule of who reads which event (the composition root calls this; idempotent)."""
    _hooks["withheld"] = withheld


def withheld_for(session: Session, organization_id: int) -> frozenset[int] | None:
    """The events an organisation may not read (None: every one may be read); LookupError when unwired."""
    hook = _hooks.get("withheld")
    if hook is None:
        raise LookupError("no reading rule registered")
    return hook(session, organization_id)
