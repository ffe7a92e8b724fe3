"""Sharing with partners: the holder's default marking, the release policies (each founding party's
administrator approves a proposed one by its hash), and the recent releases of the ledger with downloads."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path, Query
from fastapi.responses import Response

from outrider.errors import InvalidInput
from outrider.governance import rules as governance_rules
from outrider.governance import service as governance_service
from outrider.sharing import ledger, ledger_store, markings, policy_store, service
from outrider.web.context import FromDay, ToDay, Web, WebDep, WebRoute

router = APIRouter(route_class=WebRoute, include_in_schema=False)
RECENT = 50
# the filter form sends an empty partner for "every partner"
PartnerQuery = Annotated[str | None, Query(alias="partner", max_length=10, pattern=r"^[0-9]*$")]
PolicyPath = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _period(since: date | None, until: date | None) -> tuple[datetime | None, datetime | None]:
    """Whole days in UTC, both included."""
    start = datetime.combine(since, time(), tzinfo=UTC) if since else None
    end = datetime.combine(until, time.max, tzinfo=UTC) if until else None
    if start and end and start > end:
        raise InvalidInput("to: the period ends before it starts")
    return start, end


def _partner(text: str | None) -> int | None:
    return int(text) if text and 0 < int(text) < 2**31 else None


def _read(
    web: Web, partner: str | None, since: date | None, until: date | None, fmt: str, newest: int | None = None
) -> ledger.Ledger:
    start, end = _period(since, until)
    return ledger_store.read(
        web.session,
        caller=web.caller,
        partner_org_id=_partner(partner),
        since=start,
        until=end,
        now=web.now,
        fmt=fmt,
        newest=newest,
    )


def _policies(web: Web) -> list[dict[str, Any]]:
    founding = governance_service.founding_of(web.session)
    mine = governance_rules.founding_party(web.caller, founding)
    rows = []
    for row in policy_store.listing(web.session, caller=web.caller):
        read = policy_store.read(row)
        may_approve = mine is not None and read.status == "proposed" and mine.value in read.awaiting
        rows.append({"p": read, "may_approve": may_approve})
    return list(reversed(rows))  # newest version first


@router.get("/sharing")
def sharing_page(
    web: WebDep, partner: PartnerQuery = None, since: FromDay = None, until: ToDay = None
) -> Response:
    """The default marking, the release policies and the recent releases (who may read the ledger)."""
    recent = _read(web, partner, since, until, "web", newest=RECENT)
    holder = service.holder_id(web.session)
    names = dict(ledger_store.partners(web.session, caller=web.caller))
    return web.render(
        "sharing.html",
        default=service.default_marking(web.session, organization_id=holder).label,
        may_set_default=web.caller.organization_id == holder and web.has_role("admin"),
        labels=markings.LABELS,
        policies=_policies(web),
        names=names,
        releases=list(reversed(recent.rows)),  # newest first
        recent=RECENT,
        q={"partner": _partner(partner), "from": since, "to": until},
        files=urlencode({k: v for k, v in (("partner", partner), ("from", since), ("to", until)) if v}),
    )


@router.get("/sharing/ledger.{fmt}")
def ledger_file(
    web: WebDep,
    fmt: Annotated[str, Path(pattern="^(csv|pdf)$")],
    partner: PartnerQuery = None,
    since: FromDay = None,
    until: ToDay = None,
) -> Response:
    """The ledger of the period as a CSV or PDF file (the same report as the API's, the PDF's headings in
    the reader's language)."""
    data = _read(web, partner, since, until, fmt)
    body = ledger.file_bytes(data, fmt, lang=web.lang.code)
    disposition = f'attachment; filename="{ledger.file_name(data, fmt)}"'
    return Response(body, media_type=ledger.MEDIA[fmt], headers={"Content-Disposition": disposition})


@router.post("/sharing/policies/{policy_id}/approve")
def approve_policy(
    web: WebDep, policy_id: PolicyPath, payload_hash: Annotated[str, Form(min_length=64, max_length=64)]
) -> Response:
    """Approve the policy as shown (its payload hash) for your founding party."""
    row = policy_store.approve(
        web.session, caller=web.caller, policy_id=policy_id, payload_hash=payload_hash, now=web.now
    )
    return web.redirect("/sharing", done="enacted" if row.status == policy_store.AGREED else "approved")


@router.post("/sharing/default-marking")
def set_default(web: WebDep, marking: Annotated[str, Form(max_length=24)]) -> Response:
    """Set your organisation's default marking (its administrators)."""
    service.set_default(
        web.session,
        caller=web.caller,
        organization_id=web.caller.organization_id,
        marking=markings.parse(marking),
        now=web.now,
    )
    return web.redirect("/sharing", done="default_marking")
