"""HTTP routes of what left: the release ledger (JSON, CSV, PDF) and the partner's pull stream."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from outrider.db import utcnow
from outrider.http import CallerDep, SessionDep
from outrider.sharing import ledger, ledger_store, pulls
from outrider.sharing import schemas as s
from outrider.sharing.release_schemas import LedgerRead, StreamRead

router = APIRouter(prefix="/api/v1/sharing", tags=["sharing"])
Moment = Annotated[
    str | None, Query(max_length=40, description="ISO 8601 with its zone, e.g. 2026-12-01T00:00:00+05:00")
]


@router.get(
    "/ledger",
    response_model=LedgerRead,
    responses={200: {"content": {"application/json": {}, "text/csv": {}, "application/pdf": {}}}},
)
def read_ledger(
    caller: CallerDep,
    session: SessionDep,
    partner_org_id: Annotated[int | None, Query(ge=1, le=s.BIG)] = None,
    since: Moment = None,
    until: Moment = None,
    format_: Annotated[Literal["json", "csv", "pdf"], Query(alias="format")] = "json",
    lang: Annotated[
        Literal["en", "zh-Hans", "ur"], Query(description="language of the PDF's headings")
    ] = "en",
) -> Any:
    """What was released to a partner between two moments: each release with its audit record, its
    policy version and the objects with their hashes (partners read only their own)."""
    start, end = ledger.period(since, until)
    data = ledger_store.read(
        session,
        caller=caller,
        partner_org_id=partner_org_id,
        since=start,
        until=end,
        now=utcnow(),
        fmt=format_,
    )
    if format_ == "json":
        return ledger.to_json(data)
    body = ledger.file_bytes(data, format_, lang=lang)
    name = ledger.file_name(data, format_)
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body, media_type=ledger.MEDIA[format_], headers=headers)


@router.get("/stream", response_model=StreamRead)
def pull_stream(
    caller: CallerDep,
    session: SessionDep,
    after: Annotated[str | None, Query(max_length=200, description="the `next` of the last answer")] = None,
    limit: Annotated[int, Query(ge=1, le=pulls.MAX_LIMIT)] = pulls.DEFAULT_LIMIT,
) -> StreamRead:
    """The objects changed after the cursor that your organisation's agreed policy releases, as a STIX
    2.1 bundle (partners' analysts and administrators; every answer that carries anything is a release)."""
    done = pulls.pull(session, caller=caller, after=after, limit=limit, now=utcnow())
    return StreamRead(
        bundle=s.BundleRead.model_validate(done.bundle),
        next=done.next,
        more=done.more,
        count=done.count,
        released=done.released,
    )
