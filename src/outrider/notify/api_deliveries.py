"""HTTP routes of deliveries: the delivery log of an alert, an organisation's deliveries and dead letters,
a test message to oneself (the deliveries service decides who may see and do what)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from outrider.db import utcnow
from outrider.http import CallerDep, PageDep, SessionDep
from outrider.inputs import Id, When
from outrider.notify import deliveries
from outrider.notify.delivery_views import DeliveryPage, DeliveryView, TestSent

router = APIRouter(prefix="/api/v1/notify", tags=["notify"])

Status = Literal["pending", "sending", "sent", "dead", "digest", "digested"]


class TestRequest(BaseModel):
    """Send a test message to your own verified contact point of a channel, or (``webhook``, for an
    organisation's administrators) to one of its webhook endpoints."""

    model_config = ConfigDict(extra="forbid")

    channel: Literal["email", "sms", "webhook"]
    endpoint_id: Id | None = None


class RetryRequest(BaseModel):
    """Send dead letters of your organisation again: those named, or every one when none is."""

    model_config = ConfigDict(extra="forbid")

    ids: list[Id] = Field(default_factory=list, max_length=1000)


@router.get("/alerts/{alert_id}/deliveries", response_model=list[DeliveryView])
def alert_deliveries(alert_id: Id, caller: CallerDep, session: SessionDep) -> list[DeliveryView]:
    """Every delivery of an alert you may read, with its attempts (addresses masked but your own)."""
    return deliveries.log_for_alert(session, caller=caller, alert_id=alert_id)


@router.get("/deliveries", response_model=DeliveryPage)
def list_deliveries(
    caller: CallerDep,
    session: SessionDep,
    page: PageDep,
    status: Status | None = None,
    since: Annotated[When | None, Query(description="created at or after (ISO 8601 with its zone)")] = None,
) -> DeliveryPage:
    """The deliveries to your organisation's people and endpoints, newest first (its administrators)."""
    return deliveries.list_deliveries(
        session, caller=caller, status=status, since=since, limit=page.limit, offset=page.offset
    )


@router.get("/deliveries/{delivery_id}", response_model=DeliveryView)
def get_delivery(delivery_id: Id, caller: CallerDep, session: SessionDep) -> DeliveryView:
    """One delivery: for its recipient, its organisation's administrators and the readers of its alert."""
    return deliveries.get_delivery(session, caller=caller, delivery_id=delivery_id)


@router.post("/deliveries/retry-dead", response_model=list[DeliveryView])
def retry_dead(data: RetryRequest, caller: CallerDep, session: SessionDep) -> list[DeliveryView]:
    """Send dead letters again, with the same delivery id and their tries counted afresh (administrators,
    their organisation's); 409 naming those that are not its dead letters."""
    rows = deliveries.retry_dead(session, caller=caller, now=utcnow(), delivery_ids=data.ids)
    return deliveries.views_of(session, caller=caller, rows=rows)


@router.post("/test", response_model=TestSent, status_code=201)
def send_test(data: TestRequest, caller: CallerDep, session: SessionDep) -> TestSent:
    """Write a test message to your own verified contact point, or to a webhook endpoint of your
    organisation (administrators), five an hour at most; the dispatcher sends it within seconds and its
    delivery shows how it went."""
    sent = deliveries.send_test(
        session, caller=caller, channel=data.channel, endpoint_id=data.endpoint_id, now=utcnow()
    )
    return TestSent(delivery=sent)
