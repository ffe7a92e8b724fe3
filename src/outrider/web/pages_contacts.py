"""Your contact points on the account page: add an e-mail address or phone number (a code is sent to it),
verify it with the code, ask for a new code, disable it (`notify.contacts`). A refusal is shown beside
its field in the page's language; a code past a bound (3 an hour to a point, 10 a day for you, 5 a day to
one address whoever asks) is answered 429 with the time to ask again."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response

from outrider.errors import OutriderError
from outrider.inputs import Id
from outrider.notify import contacts
from outrider.web import second_factor
from outrider.web.context import Web, WebDep, WebRoute
from outrider.web.i18n import N_
from outrider.web.pages_accounts import account_page

router = APIRouter(route_class=WebRoute, include_in_schema=False)
Address = Annotated[str, Form(max_length=320)]
Code = Annotated[str, Form(max_length=16)]
THROTTLED = N_(
    "Too many verification codes: at most 3 an hour to one contact point, 10 a day for you and 5 a day "
    "to one address, whoever asks. Ask again after %(time)s."
)
FIELDS = {"channel", "address", "code"}


def _refused(web: Web, failure: OutriderError, form: str) -> Response:
    """The account page again, the refusal beside the field of ``form`` (the change rolled back)."""
    web.request.state.web_failed = True
    web.request.state.after_rollback = failure.after_rollback  # a throttled code's refusal is audited
    if failure.code == contacts.THROTTLED and failure.retry_after is not None:
        when = (web.now + timedelta(seconds=failure.retry_after)).astimezone(UTC)
        errors = {f"{form}.address": web.gettext(THROTTLED, time=when.strftime("%Y-%m-%d %H:%M UTC"))}
    else:
        found = second_factor.field_errors(web, failure)
        errors = {f"{form}.{k if k in FIELDS else 'form'}": v for k, v in found.items()}
    return account_page(web, status_code=failure.status, errors=errors)


@router.post("/account/contacts")
def add_contact(
    web: WebDep, channel: Annotated[str, Form(max_length=16)] = "", address: Address = ""
) -> Response:
    """Add a contact point of yours; a code is sent to it."""
    try:
        contacts.add(web.session, caller=web.caller, channel=channel, address=address, now=web.now)
    except OutriderError as failure:
        return _refused(web, failure, "contacts")
    return web.redirect("/account", done="contact_added")


@router.post("/account/contacts/{contact_id}/verify")
def verify_contact(web: WebDep, contact_id: Id, code: Code = "") -> Response:
    """Verify a contact point of yours with the code sent to it."""
    try:
        contacts.verify(web.session, caller=web.caller, contact_id=contact_id, code=code, now=web.now)
    except OutriderError as failure:
        return _refused(web, failure, f"contact-{contact_id}")
    return web.redirect("/account", done="contact_verified")


@router.post("/account/contacts/{contact_id}/resend")
def resend_code(web: WebDep, contact_id: Id) -> Response:
    """A new code for an unverified contact point of yours."""
    try:
        contacts.resend(web.session, caller=web.caller, contact_id=contact_id, now=web.now)
    except OutriderError as failure:
        return _refused(web, failure, f"contact-{contact_id}")
    return web.redirect("/account", done="code_sent")


@router.post("/account/contacts/{contact_id}/disable")
def disable_contact(web: WebDep, contact_id: Id) -> Response:
    """Stop calling you at a contact point of yours."""
    try:
        contacts.disable(web.session, caller=web.caller, contact_id=contact_id, now=web.now)
    except OutriderError as failure:
        return _refused(web, failure, f"contact-{contact_id}")
    return web.redirect("/account", done="contact_disabled")
