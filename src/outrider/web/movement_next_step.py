"""The movement page's "next step" panel: what blocks the approval, who can clear it, and what you may do.

The preview (`protocols.next_step.preview_approval`) stores nothing. A click on "approve" that the
agreed protocol refuses is no dead end: its transaction rolls back (the refusal's evaluations are kept
as evidence, counted apart from failed checks) and the browser goes back to the movement's page, which
says the approval was refused and shows the same panel.
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import Response

from outrider.access import policy
from outrider.errors import RuleViolation
from outrider.movements import planning
from outrider.movements import schemas as ms
from outrider.protocols import next_step
from outrider.protocols.schemas import WaiverRead
from outrider.web.context import Web

ANCHOR = "next-step"


def preview(web: Web, movement_id: int) -> next_step.NextStep:
    """The approval gate previewed for the caller (nothing stored)."""
    return next_step.preview_approval(web.session, caller=web.caller, movement_id=movement_id, now=web.now)


def may_decide(web: Web, view: ms.MovementRead) -> bool:
    """Offer approve, reject and request changes only to a party whose decision the movement awaits."""
    return next_step.decision_awaited(web.session, caller=web.caller, movement_id=view.id)


def waivable_rules(stored: list[str], step: next_step.NextStep) -> list[str]:
    """The rules a waiver may be asked for: those failed at the stored plan checks and those the preview
    finds blocking now."""
    rules = list(stored)
    rules += [b.rule_id for b in step.blocking if b.rule_id not in rules]
    return rules


def decide(web: Web, *, movement_id: int, decision: str, comment: str) -> Response:
    """Decide for the caller's party; an approval the agreed protocol refuses goes back to the page."""
    page = f"/movements/{movement_id}"
    try:
        return web.act(
            planning.decide, page, decision, movement_id=movement_id, decision=decision, comment=comment
        )
    except RuleViolation as exc:
        if not any(e.get("kind") == "blocking" for e in exc.errors):
            raise  # a lifecycle guard, not the protocol gate: the ordinary error page
        # Roll the refused approval back as any failed page does (its evidence is kept after the
        # rollback), and show the movement with what blocks the approval instead of an error page.
        web.request.state.web_failed = True
        web.request.state.after_rollback = exc.after_rollback
        return web.redirect(f"{page}?refused=approve#{ANCHOR}")


def panel_values(
    web: Web, view: ms.MovementRead, step: next_step.NextStep, waivers: list[WaiverRead]
) -> dict[str, Any]:
    """What the template needs beside the preview: whether the caller may request a waiver, and approve
    or withdraw each one listed."""
    org = view.organization_id
    return {
        "step": step,
        "may_waive": policy.may_request_waiver(web.caller, requesting_org_id=org),
        "waiver_actions": next_step.waiver_actions(
            web.session, caller=web.caller, requesting_org_id=org, rows=waivers
        ),
    }
