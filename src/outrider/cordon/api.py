"""HTTP routes of cordon monitoring: a batch endpoint for sightings and inspections; sightings by plate."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from outrider import idempotency
from outrider.cordon import batches, service
from outrider.cordon.configured import configured
from outrider.cordon.events import Event, event_from_mapping, normalise_plate
from outrider.db import utcnow
from outrider.http import CallerDep, SessionDep, SettingsDep, commit_now
from outrider.idempotency import IdempotencyKey, IdempotencyKeyHeader

router = APIRouter(prefix="/api/v1/cordon", tags=["cordon"])


class EventBatch(BaseModel):
    """Sightings and inspections, in any order within the lateness; bad items are reported, not fatal."""

    model_config = ConfigDict(extra="forbid")

    events: list[dict[str, Any]] = Field(max_length=10_000)
    flush: bool = Field(default=False, description="release everything buffered (the end of a feed)")
    key: IdempotencyKey | None = Field(
        default=None, description="idempotency key (or the Idempotency-Key header): a retry is answered again"
    )


@router.post(
    "/events",
    responses={
        409: {
            "description": "the idempotency key was used for a different batch",
            "content": {"application/problem+json": {}},
        },
    },
)
def post_events(
    batch: EventBatch,
    caller: CallerDep,
    session: SessionDep,
    settings: SettingsDep,
    response: Response,
    idempotency_key: IdempotencyKeyHeader,
) -> dict[str, Any]:
    """Ingest a batch: store it, run the detectors, raise alerts; bad items are listed by index.

    With an idempotency key (header or body) a retried batch gets the first answer again
    (`Idempotent-Replayed: true`) and nothing is stored or alerted twice; the same key with other events is
    a 409."""
    key = idempotency.resolve(idempotency_key, batch.key, field="key", required=False)
    good: list[Event] = []
    bad: list[dict[str, Any]] = []
    for index, raw in enumerate(batch.events):
        try:
            good.append(event_from_mapping(raw))
        except (ValueError, TypeError) as exc:
            bad.append({"index": index, "reason": str(exc)})
    # The token was read without the write turn; the batch takes it once its detectors have run
    # (`batches.ingest_batch`) and lets go of it at its commit, in this thread.
    answer, replayed = batches.ingest_batch(
        session,
        caller=caller,
        events=good,
        bad=bad,
        digest=batches.fingerprint(batch.events, flush=batch.flush),
        key=key,
        now=utcnow(),
        flush=batch.flush,
        config=configured(settings),
        keep=timedelta(hours=settings.cordon_batch_key_hours),
    )
    commit_now(session)
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return answer


@router.get("/sightings")
def sightings(
    caller: CallerDep, session: SessionDep, plate: Annotated[str, Query(min_length=1, max_length=32)]
) -> dict[str, Any]:
    """The stored sightings of one plate, newest first (host security)."""
    rows = service.sightings_of(session, caller=caller, plate=normalise_plate(plate))
    return {
        "plate": normalise_plate(plate),
        "items": [
            {
                "at": r.at.isoformat(),
                "source": r.source,
                "zone_id": r.zone_id,
                "lat": r.lat,
                "lon": r.lon,
                "evidence": r.evidence,
            }
            for r in rows
        ],
    }
