"""The field face for phones: my movements, one movement with its three actions, and the JSON endpoints the
phone's queue posts check-ins and SOS to (the same services as the API: `movements.checkins`, `.field`).

What the phone shows never tells that a silent duress was signalled: the services answer a duress-PIN
check-in as an ok one and list a movement made an incident by it alone as still under way.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form
from fastapi.responses import FileResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, model_validator

from outrider.errors import NotFound, OutriderError
from outrider.idempotency import IdempotencyKey
from outrider.inputs import Id
from outrider.movements import checkins, field, field_language, field_pins
from outrider.movements import field_schemas as fs
from outrider.movements import schemas as ms
from outrider.web import second_factor
from outrider.web.context import PublicDep, Web, WebDep, WebRoute
from outrider.web.field_json import FieldJsonRoute
from outrider.web.field_refusals import app_refusals
from outrider.web.pages_accounts import account_page
from outrider.web.pages_map import map_config
from outrider.web.templating import STATIC

router = APIRouter(route_class=WebRoute, include_in_schema=False)
actions = APIRouter(route_class=FieldJsonRoute, include_in_schema=False)
Token = Annotated[str | None, Field(default=None, max_length=200)]


def _mine(web: Web) -> list[fs.FieldMovement]:
    return field.my_movements(web.session, caller=web.caller, now=web.now)


def _one(web: Web, movement_id: int) -> fs.FieldMovement:
    """One of my movements (as the list shows it), else NotFound: the field shows no other movement."""
    for item in _mine(web):
        if item.id == movement_id:
            return item
    raise NotFound(f"movement {movement_id} is not one of your movements on the road")


def texts(web: Web) -> dict[str, str | dict[str, str]]:
    """The words the field's scripts show, in the page's language (a refused action's reason by its code)."""
    _ = web.gettext
    return {
        "waiting": _("%(n)s waiting to be sent"),
        "confirmed": _("last confirmed %(time)s"),
        "never": _("none confirmed yet"),
        "refused": _("refused: %(reason)s"),
        "sign_in": _("Your session has ended: sign in again to send what waits."),
        "offline": _("No network: actions are kept on this phone and sent when it returns."),
        "checkin_sent": _("Check-in recorded."),
        "checkin_queued": _("Check-in queued: it is sent when the network returns."),
        "delayed_sent": _("Delay recorded."),
        "delayed_queued": _("Delay queued: it is sent when the network returns."),
        "sos_sent": _("SOS sent."),
        "sos_queued": _("SOS queued: it is sent the moment the network returns."),
        "locating": _("Finding your position…"),
        "no_position": _("Your position is not available: enter it by hand."),
        "position": _("Position: %(lat)s, %(lon)s (±%(m)s m)"),
        "due_in": _("due in %(time)s"),
        "overdue_by": _("overdue by %(time)s"),
        "reason_needed": _("Say why you are delayed."),
        "refusals": app_refusals(web.gettext),
    }


@router.get("/field")
def my_movements(web: WebDep) -> Response:
    """My movements: those I lead or escort, approved, on the road or in an incident."""
    return web.render("field/list.html", movements=_mine(web), texts=texts(web))


@router.get("/field/movements/{movement_id}")
def movement(web: WebDep, movement_id: Id) -> Response:
    """One of my movements: status, the next check-in's countdown, a small map, Check in, Delayed, SOS."""
    item = _one(web, movement_id)
    cfg = map_config(web, field=item.model_dump(mode="json"))
    return web.render(
        "field/movement.html",
        m=item,
        has_pins=field_pins.has_pins(web.session, web.caller.user_id),
        texts=texts(web),
        map_config=cfg,
    )


# --- installable: the manifest and the service worker ---------------------------------------------


@router.get("/manifest.webmanifest")
def manifest(web: PublicDep) -> Response:
    """The web app manifest: the field app installs on a phone's home screen and opens on My movements."""
    icons = [
        {"src": f"/static/field/icon-{n}.png", "sizes": f"{n}x{n}", "type": "image/png", "purpose": "any"}
        for n in (192, 512)
    ]
    body = {
        "name": "Outrider field",
        "short_name": "Outrider",
        "description": web.gettext(
            "The movements you lead or escort: check in, report a delay, send an SOS."
        ),
        "lang": web.lang.code,
        "dir": web.lang.direction,
        "start_url": "/field",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f6f7f9",
        "theme_color": "#14202c",
        "icons": icons,
    }
    return JSONResponse(body, media_type="application/manifest+json")


@router.get("/sw.js")
def service_worker() -> Response:
    """The service worker, at the root so that its scope is the whole site (the field pages and the shell)."""
    return FileResponse(
        STATIC / "field" / "sw.js",
        media_type="text/javascript",
        headers={"Service-Worker-Allowed": "/", "Cache-Control": "no-cache"},
    )


# --- the queue's endpoints -------------------------------------------------------------------------


class FieldCheckIn(ms.CheckInPost):
    """A check-in from the field app: ok or delayed (with a reason), the key the phone made, its device
    order, the PIN when the user has PINs; the CSRF token here or in the `X-CSRF-Token` header."""

    idempotency_key: IdempotencyKey
    status: Literal[ms.CheckInStatus.ok, ms.CheckInStatus.delayed] = ms.CheckInStatus.ok
    csrf_token: Token

    @model_validator(mode="after")
    def _reason(self) -> FieldCheckIn:
        if self.status is ms.CheckInStatus.delayed and not self.note.strip():
            raise ValueError("a delay needs a reason (note)")
        return self


class FieldSos(fs.SosPost):
    """An SOS from the field app (its key, position and device order)."""

    idempotency_key: IdempotencyKey
    csrf_token: Token


class FieldAnswer(BaseModel):
    """What the phone is told: the record's id and times, the status shown, whether it is new."""

    model_config = ConfigDict(extra="forbid")

    id: int
    movement_id: int
    kind: Literal["checkin", "sos"]
    status: str
    at: str
    received_at: str
    new: bool


@actions.post("/field/movements/{movement_id}/checkins")
def post_checkin(web: WebDep, movement_id: Id, body: FieldCheckIn) -> FieldAnswer:
    """Record a check-in from the phone (a replay of its key answers the stored result)."""
    data = ms.CheckInCreate.model_validate(body.model_dump(exclude={"csrf_token"}))
    record, new = checkins.check_in(
        web.session, caller=web.caller, movement_id=movement_id, data=data, now=web.now
    )
    return FieldAnswer(
        id=record.id,
        movement_id=record.movement_id,
        kind="checkin",
        status=record.status,
        at=record.at.isoformat(),
        received_at=record.received_at.isoformat(),
        new=new,
    )


@actions.post("/field/movements/{movement_id}/sos")
def post_sos(web: WebDep, movement_id: Id, body: FieldSos) -> FieldAnswer:
    """Raise an SOS from the phone: a critical alert at once (a replay of its key answers the first)."""
    data = fs.SosCreate.model_validate(body.model_dump(exclude={"csrf_token"}))
    read, new = field.sos(web.session, caller=web.caller, movement_id=movement_id, data=data, now=web.now)
    return FieldAnswer(
        id=read.id,
        movement_id=read.movement_id,
        kind="sos",
        status=ms.SOS,
        at=read.at.isoformat(),
        received_at=read.received_at.isoformat(),
        new=new,
    )


# --- field PINs on the account page ----------------------------------------------------------------

Pin = Annotated[str, Form(max_length=16)]


@router.post("/account/field-pins")
def set_field_pins(web: WebDep, pin: Pin = "", duress_pin: Pin = "") -> Response:
    """Set your check-in PIN and duress PIN (4 to 8 digits each, different); the replies to your SMS
    check-ins speak this page's language from then on."""
    try:
        field_pins.set_pins(web.session, web.caller, pin, duress_pin, now=web.now)
        field_language.set_language(web.session, web.caller, web.lang.code, now=web.now)
    except OutriderError as failure:
        web.request.state.web_failed = True
        errors = {f"pins.{k}": v for k, v in second_factor.field_errors(web, failure).items()}
        return account_page(web, status_code=failure.status, errors=errors)
    return web.redirect("/account", done="field_pins_set")
