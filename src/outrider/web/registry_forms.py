"""The registry's web forms: their fields, what a submitted form stands for, and errors beside their fields.

A form keeps what was typed: the raw values go back into the page with every error found, each beside
its field, in the caller's language. ``field_errors`` turns a pydantic validation error into those
messages and serves any page with a form; ``problem_text`` translates the messages the registry's
validators and importers write (in English, for the API and the CLI) where the pages know them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData, UploadFile

from outrider.access.policy import RecordKind
from outrider.errors import OutriderError, TooLarge
from outrider.registry import geometry, schemas
from outrider.web.i18n import N_

# The kinds as the pages' paths name them (the API's names).
PATHS: dict[str, RecordKind] = {
    "persons": RecordKind.person,
    "sites": RecordKind.site,
    "vehicles": RecordKind.vehicle,
    "escort-units": RecordKind.unit,
}
PATH_OF = {kind: path for path, kind in PATHS.items()}
TITLES = {
    RecordKind.person: N_("Protected persons"),
    RecordKind.site: N_("Sites"),
    RecordKind.vehicle: N_("Vehicles"),
    RecordKind.unit: N_("Escort units"),
}
SINGULAR = {
    RecordKind.person: N_("protected person"),
    RecordKind.site: N_("site"),
    RecordKind.vehicle: N_("vehicle"),
    RecordKind.unit: N_("escort unit"),
}
SITE_KINDS = {
    "project": N_("project"),
    "camp": N_("camp"),
    "residence": N_("residence"),
    "office": N_("office"),
    "airport": N_("airport"),
    "port": N_("port"),
    "checkpoint": N_("checkpoint"),
}
VEHICLE_KINDS = {"armoured": N_("armoured"), "soft_skin": N_("soft skin")}


@dataclass(frozen=True)
class Field:
    """One input of a form: its name (the schema's), its label, and how it is entered."""

    name: str
    label: str
    input: str = "text"  # text, number, select, textarea, checks
    required: bool = False
    options: Mapping[str, str] = field(default_factory=dict)  # value -> label (N_); dynamic ones at render
    step: str = "any"
    maxlength: int | None = None
    hint: str = ""


FIELDS: dict[RecordKind, tuple[Field, ...]] = {
    RecordKind.person: (
        Field("name", N_("Name"), required=True, maxlength=200),
        Field(
            "nationality",
            N_("Nationality"),
            required=True,
            maxlength=2,
            hint=N_("Two letters, e.g. CN or PK"),
        ),
        Field("role", N_("Role (optional)"), maxlength=120),
        Field("notes", N_("Notes"), input="textarea", maxlength=4000),
    ),
    RecordKind.site: (
        Field("name", N_("Name"), required=True, maxlength=200),
        Field("kind", N_("Kind"), input="select", required=True, options=SITE_KINDS),
        Field("lat", N_("Latitude"), input="number", required=True),
        Field("lon", N_("Longitude"), input="number", required=True),
        Field("timezone", N_("Time zone"), required=True, maxlength=64, hint=N_("e.g. Asia/Karachi")),
        Field("inner_radius_m", N_("Inner cordon radius (m)"), input="number", step="1"),
        Field("outer_radius_m", N_("Outer cordon radius (m)"), input="number", step="1"),
        Field("notes", N_("Notes"), input="textarea", maxlength=4000),
    ),
    RecordKind.vehicle: (
        Field("plate", N_("Plate"), required=True, maxlength=32),
        Field("kind", N_("Kind"), input="select", required=True, options=VEHICLE_KINDS),
        Field("seats", N_("Seats"), input="number", required=True, step="1"),
        Field("description", N_("Description"), maxlength=200),
    ),
    RecordKind.unit: (
        Field("call_sign", N_("Call sign"), required=True, maxlength=64),
        Field("strength", N_("Strength"), input="number", required=True, step="1"),
        Field("base_site_id", N_("Base site"), input="select"),
        Field("vehicle_ids", N_("Vehicles"), input="checks"),
    ),
}
CREATE: dict[RecordKind, type[BaseModel]] = {
    RecordKind.person: schemas.PersonCreate,
    RecordKind.site: schemas.SiteCreate,
    RecordKind.vehicle: schemas.VehicleCreate,
    RecordKind.unit: schemas.UnitCreate,
}
UPDATE: dict[RecordKind, type[BaseModel]] = {
    RecordKind.person: schemas.PersonUpdate,
    RecordKind.site: schemas.SiteUpdate,
    RecordKind.vehicle: schemas.VehicleUpdate,
    RecordKind.unit: schemas.UnitUpdate,
}
UNIQUE = {RecordKind.site: "name", RecordKind.vehicle: "plate", RecordKind.unit: "call_sign"}
TAKEN = {
    RecordKind.site: N_("Another site has this name."),
    RecordKind.vehicle: N_("Another vehicle has this plate."),
    RecordKind.unit: N_("Another escort unit has this call sign."),
}


def label_of(kind: RecordKind, record: Any) -> str:
    """What names a record: a name, a plate or a call sign."""
    return str(getattr(record, UNIQUE.get(kind, "name")))


Values = dict[str, Any]  # what the form showed or received: strings, lists of strings for checks
Errors = dict[str, list[str]]  # field name -> its messages; "" for the form as a whole


def values_of_form(kind: RecordKind, form: Mapping[str, Any], getlist: Callable[[str], list[Any]]) -> Values:
    """The raw values of a submitted form (strings, stripped; lists for check boxes)."""
    out: Values = {}
    for f in FIELDS[kind]:
        if f.input == "checks":
            out[f.name] = [str(v) for v in getlist(f.name) if isinstance(v, str)]
        else:
            raw = form.get(f.name, "")
            out[f.name] = raw.strip() if isinstance(raw, str) else ""
    return out


def values_of_record(kind: RecordKind, record: Any) -> Values:
    """A stored record as the form shows it."""
    out: Values = {}
    for f in FIELDS[kind]:
        if f.name == "vehicle_ids":
            out[f.name] = [str(v.id) for v in record.vehicles]
            continue
        value = getattr(record, f.name)
        if isinstance(value, float) and value.is_integer() and f.name.endswith("radius_m"):
            value = int(value)
        out[f.name] = "" if value is None else str(value)
    return out


def data_of(kind: RecordKind, values: Values, *, extra: Values | None = None) -> Values:
    """The values to validate: empty fields left out (the schema's default, or its "required")."""
    data: Values = {}
    for f in FIELDS[kind]:
        value = values.get(f.name)
        if f.input == "checks":
            data[f.name] = value or []
        elif value not in (None, ""):
            data[f.name] = value
    return {**data, **(extra or {})}


def update_of(kind: RecordKind, created: BaseModel, *, clear: Iterable[str] = ()) -> BaseModel:
    """A complete record (validated as new) as the change that makes the stored one equal to it."""
    model = UPDATE[kind]
    values = created.model_dump(exclude={"organization_id"})
    nullable: frozenset[str] = getattr(model, "nullable", frozenset())
    kept = {k: v for k, v in values.items() if v is not None or k in nullable}
    kept.update(dict.fromkeys(clear))
    return model.model_validate(kept)


# --- errors beside their fields, in the caller's language ------------------------------------------

# The registry's own messages (validators, importers, services): English pattern -> message, and the field
# it belongs to when the validator could not say (a rule over several fields).
_KNOWN: tuple[tuple[str, str, str | None], ...] = (
    (r"Field required|String should have at least 1 character", N_("Required."), None),
    (r"String should have at most (?P<n>\d+) characters?", N_("At most %(n)s characters."), None),
    (r"Input should be greater than or equal to (?P<n>[-\d.]+)", N_("At least %(n)s."), None),
    (r"Input should be greater than (?P<n>[-\d.]+)", N_("More than %(n)s."), None),
    (r"Input should be less than or equal to (?P<n>[-\d.]+)", N_("At most %(n)s."), None),
    (r"Input should be a valid integer.*", N_("Give a whole number."), None),
    (r"Input should be a finite number|Input should be a valid number.*", N_("Give a number."), None),
    (r"Input should be '.*", N_("Choose one of the options."), None),
    (r"must be an ISO 3166-1 alpha-2 country code.*", N_("Give a two-letter country code, e.g. PK."), None),
    (r"a plate has 1 to 32 characters", N_("A plate has 1 to 32 characters."), None),
    (r"unknown time zone.*", N_("Unknown time zone: give a name such as Asia/Karachi."), None),
    (
        r"inner radius must be between .*",
        N_("A radius is more than 0 and at most 100000 metres."),
        "inner_radius_m",
    ),
    (
        r"outer radius must be between .*",
        N_("A radius is more than 0 and at most 100000 metres."),
        "outer_radius_m",
    ),
    (
        r"the outer cordon radius must be larger than the inner one",
        N_("The outer cordon must be larger than the inner one."),
        "outer_radius_m",
    ),
    (
        r"the inner cordon polygon must contain the site's point",
        N_("The inner cordon must contain the site."),
        None,
    ),
    (
        r"the outer cordon polygon must.*",
        N_("The outer cordon must contain the site and the inner cordon."),
        None,
    ),
    (r"duplicate of line (?P<n>\d+)", N_("The same as line %(n)s."), None),
    (r"(?P<v>'.*') already exists", N_("%(v)s already exists."), None),
    (r"unknown site (?P<v>'.*')", N_("Unknown site %(v)s."), None),
    (r"unknown vehicle (?P<v>'?.*'?)", N_("Unknown vehicle %(v)s."), None),
    (r"required column is missing from the header", N_("This column is missing from the header line."), None),
    (r"unknown column; expected some of (?P<v>.*)", N_("Unknown column: the columns are %(v)s."), None),
    (r"more fields than the header has columns", N_("More fields than the header line has columns."), None),
    (r".*: not valid UTF-8.*|.*: binary content.*", N_("The file is not UTF-8 text."), None),
    (r".*: no (rows|features) to import", N_("The file has nothing to import."), None),
    (r".*: unsupported file type.*", N_("Use a .csv file (or .geojson for sites)."), None),
    (r".*: GeoJSON imports are for sites.*", N_("GeoJSON is for sites: use CSV for this kind."), None),
    (r".*malformed JSON: (?P<v>.*)", N_("Malformed JSON: %(v)s"), None),
    (r"malformed CSV: (?P<v>.*)", N_("Malformed CSV: %(v)s"), None),
)
_COMPILED = [(re.compile(p, re.IGNORECASE), msg, fld) for p, msg, fld in _KNOWN]


def problem_text(gettext: Callable[..., str], message: str) -> tuple[str, str | None]:
    """A registry message in the caller's language (English when the pages do not know it), and the field
    it belongs to when it names none itself."""
    text = message.removeprefix("Value error, ").strip()
    for pattern, translated, target in _COMPILED:
        match = pattern.fullmatch(text)
        if match:
            return gettext(translated, **match.groupdict()), target
    return text, None


def field_errors(
    exc: ValidationError, gettext: Callable[..., str], fields: Iterable[str], *, into: Errors | None = None
) -> Errors:
    """Every error of a validation, beside its field (``""``: the form as a whole), in the caller's
    language; a page with any form can use it."""
    names = set(fields)
    errors: Errors = into if into is not None else {}
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ())]
        text, target = problem_text(gettext, str(err.get("msg", "")))
        name = loc[0] if loc and loc[0] in names else (target if target in names else "")
        if text not in errors.setdefault(name or "", []):
            errors[name or ""].append(text)
    return errors


def add_error(errors: Errors, name: str, text: str) -> None:
    """One more message beside a field (or for the form, with ``""``)."""
    if text not in errors.setdefault(name, []):
        errors[name].append(text)


# --- imports ---------------------------------------------------------------------------------------------


def uploaded_file(form: FormData, limit: int) -> tuple[bytes, str] | None:
    """The file chosen in an import form (its bytes and name), or None when none was."""
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None
    content = upload.file.read(limit + 1)
    if len(content) > limit:
        raise TooLarge(f"the file exceeds {limit} bytes")
    return (content, upload.filename) if content else None


def import_problems(
    gettext: Callable[..., str], exc: OutriderError
) -> tuple[list[dict[str, Any]], list[str]]:
    """An import's refusal as rows (line, column, message) and messages about the whole file."""
    rows: list[dict[str, Any]] = []
    for problem in exc.errors:
        loc = list(problem.get("loc", []))
        text, _ = problem_text(gettext, str(problem.get("msg", "")))
        if len(loc) >= 3:
            rows.append({"line": loc[1], "field": loc[2], "message": text})
    general = [gettext(N_("Nothing was imported."))]
    if not rows:
        general.append(problem_text(gettext, exc.detail)[0])
    return rows, general


def ring_errors(values: Values, extra: Values, gettext: Callable[..., str], errors: Errors) -> None:
    """The cordons' rule checked on its own when another field failed (the schema checks it only once
    every field is valid), so that a form shows all of its errors at once."""
    try:
        numbers = {k: float(values[k]) if values.get(k) else None for k in ("lat", "lon", *RADII)}
    except ValueError:
        return
    lat, lon = numbers.pop("lat"), numbers.pop("lon")
    if lat is None or lon is None or any(errors.get(k) for k in ("lat", "lon", *RADII)):
        return
    try:
        geometry.check_lat_lon(lat, lon)
        geometry.check_rings(
            lat=lat,
            lon=lon,
            inner_radius_m=numbers["inner_radius_m"],
            outer_radius_m=numbers["outer_radius_m"],
            inner_polygon=extra.get("inner_polygon"),
            outer_polygon=extra.get("outer_polygon"),
        )
    except ValueError as exc:
        text, target = problem_text(gettext, str(exc))
        add_error(errors, target or "", text)


RADII = ("inner_radius_m", "outer_radius_m")
