"""An organisation's webhook endpoints: registered and revoked by its administrators, listed without their
secrets (a secret is shown once, when the endpoint is created, and is never logged); each change audited."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.access import policy
from outrider.access.policy import Caller
from outrider.audit import service as audit_service
from outrider.errors import Conflict, Forbidden, NotFound
from outrider.notify.channels import addresses, webhooks
from outrider.notify.delivery_views import mask_address
from outrider.notify.directory_models import WebhookEndpoint
from outrider.notify.directory_schemas import EndpointCreate


def _audit(session: Session, caller: Caller, action: str, row: WebhookEndpoint, now: datetime) -> None:
    audit_service.record(
        session,
        actor=caller,
        action=action,
        object_type="webhook_endpoint",
        object_id=row.id,
        # the URL masked as a delivery's is: its path or query may carry the receiver's token, and the chain
        # is kept for years and read by auditors (the endpoint's row keeps it for its organisation)
        details={
            "organization_id": row.organization_id,
            "name": row.name,
            "url": mask_address("webhook", row.url),
        },
        now=now,
    )


def create(session: Session, *, caller: Caller, data: EndpointCreate, now: datetime) -> WebhookEndpoint:
    """Register an endpoint with a new secret (``whsec_`` and 32 random bytes, base64)."""
    org = data.organization_id or caller.organization_id
    if not policy.may_manage_call_policies(caller, organization_id=org):
        raise Forbidden("an organisation's administrators manage its webhook endpoints")
    url = addresses.webhook_url(data.url)
    row = WebhookEndpoint(
        organization_id=org,
        name=data.name.strip(),
        url=url,
        secret=webhooks.new_secret(),  # standard base64, as Standard Webhooks verifiers decode it
        active=True,
        created_by=caller.user_id,
        created_at=now,
    )
    session.add(row)
    session.flush()
    _audit(session, caller, "notify.endpoint.create", row, now)
    return row


def get(session: Session, *, caller: Caller, endpoint_id: int) -> WebhookEndpoint:
    """An endpoint the caller may read (another organisation's answers 404, as a missing one)."""
    row = session.get(WebhookEndpoint, endpoint_id)
    if row is None or not policy.may_read_call_directory(caller, organization_id=row.organization_id):
        raise NotFound(f"webhook endpoint {endpoint_id} not found")
    return row


def revoke(session: Session, *, caller: Caller, endpoint_id: int, now: datetime) -> WebhookEndpoint:
    """Stop posting to an endpoint (its pending deliveries are dropped by the dispatcher)."""
    row = get(session, caller=caller, endpoint_id=endpoint_id)
    if not policy.may_manage_call_policies(caller, organization_id=row.organization_id):
        raise Forbidden("an organisation's administrators manage its webhook endpoints")
    if not row.active:
        raise Conflict(f"webhook endpoint {row.id} is already revoked")
    row.active, row.revoked_at = False, now
    session.flush()
    _audit(session, caller, "notify.endpoint.revoke", row, now)
    return row


def list_for(session: Session, *, caller: Caller) -> list[WebhookEndpoint]:
    """The endpoints of the caller's organisation."""
    if not policy.may_read_call_directory(caller, organization_id=caller.organization_id):
        raise Forbidden(policy.needs_roles(policy.DIRECTORY_READERS))
    stmt = select(WebhookEndpoint).where(WebhookEndpoint.organization_id == caller.organization_id)
    return list(session.scalars(stmt.order_by(WebhookEndpoint.id)))


def active_ids(session: Session, organization_id: int | None) -> list[int]:
    """The active endpoints of an organisation (none without one)."""
    if organization_id is None:
        return []
    stmt = select(WebhookEndpoint.id).where(
        WebhookEndpoint.organization_id == organization_id, WebhookEndpoint.active.is_(True)
    )
    return list(session.scalars(stmt.order_by(WebhookEndpoint.id)))


def active_urls(session: Session, endpoint_ids: Sequence[int]) -> dict[int, str]:
    """The URLs of those of these endpoints still active."""
    if not endpoint_ids:
        return {}
    stmt = select(WebhookEndpoint.id, WebhookEndpoint.url).where(
        WebhookEndpoint.id.in_(sorted(set(endpoint_ids))), WebhookEndpoint.active.is_(True)
    )
    return {int(i): str(u) for i, u in session.execute(stmt)}


def secret_of(session: Session, endpoint_id: int) -> str | None:
    """The signing secret of an active endpoint (the dispatcher's, at send time), None when revoked."""
    row = session.get(WebhookEndpoint, endpoint_id)
    return row.secret if row is not None and row.active else None
