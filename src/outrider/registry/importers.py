"""Parse registry imports (CSV, GeoJSON) into validated create models; pure, all errors at once."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from outrider.access.policy import RecordKind
from outrider.errors import InvalidInput
from outrider.registry import schemas

MAX_ROWS = 10_000
MAX_ERRORS = 50

CSV_COLUMNS: dict[RecordKind, tuple[str, ...]] = {
    RecordKind.person: ("name", "nationality", "role", "notes", "organization_id"),
    RecordKind.site: (
        "name",
        "kind",
        "lat",
        "lon",
        "timezone",
        "inner_radius_m",
        "outer_radius_m",
        "notes",
        "organization_id",
    ),
    RecordKind.vehicle: ("plate", "kind", "seats", "description", "organization_id"),
    RecordKind.unit: ("call_sign", "strength", "base_site", "vehicle_plates", "organization_id"),
}
REQUIRED: dict[RecordKind, tuple[str, ...]] = {
    RecordKind.person: ("name", "nationality"),
    RecordKind.site: ("name", "kind", "lat", "lon"),
    RecordKind.vehicle: ("plate", "kind", "seats"),
    RecordKind.unit: ("call_sign", "strength"),
}
CREATE: dict[RecordKind, type[BaseModel]] = {
    RecordKind.person: schemas.PersonCreate,
    RecordKind.site: schemas.SiteCreate,
    RecordKind.vehicle: schemas.VehicleCreate,
    RecordKind.unit: schemas.UnitCreate,
}


@dataclass(frozen=True)
class ParsedRow:
    """One validated row, with where it came from and references still to resolve."""

    line: int
    data: BaseModel
    base_site: str | None = None
    vehicle_plates: tuple[str, ...] = ()


class _Errors:
    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.items: list[dict[str, Any]] = []

    def add(self, line: int, field: str, msg: str) -> None:
        if len(self.items) < MAX_ERRORS:
            self.items.append({"loc": [self.filename, line, field], "msg": msg})

    def raise_if_any(self) -> None:
        if self.items:
            first = self.items[0]
            more = f" (and {len(self.items) - 1} more)" if len(self.items) > 1 else ""
            raise InvalidInput(
                f"{first['loc'][0]} line {first['loc'][1]} field {first['loc'][2]}: {first['msg']}{more};"
                " nothing was imported",
                errors=self.items,
            )


def _decode(content: bytes, filename: str) -> str:
    if b"\x00" in content[:4096]:
        raise InvalidInput(f"{filename}: binary content; expected a UTF-8 text file")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{filename}: not valid UTF-8 (byte {exc.start})") from exc


def _validate(
    kind: RecordKind,
    values: dict[str, Any],
    line: int,
    errors: _Errors,
    loc_names: dict[str, str] | None = None,
) -> BaseModel | None:
    try:
        return CREATE[kind].model_validate(values)
    except ValidationError as exc:
        for err in exc.errors():
            field = ".".join(str(p) for p in err["loc"]) or "row"
            if loc_names:
                field = loc_names.get(field, field)
            errors.add(line, field, err["msg"].removeprefix("Value error, "))
        return None


def parse_csv(kind: RecordKind, content: bytes, filename: str) -> list[ParsedRow]:
    """Rows of a CSV file with a header line; every bad field of every row is reported."""
    text = _decode(content, filename)
    errors = _Errors(filename)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    allowed = set(CSV_COLUMNS[kind])
    missing = [c for c in REQUIRED[kind] if c not in header]
    unknown = [c for c in header if c not in allowed]
    for col in missing:
        errors.add(1, col, "required column is missing from the header")
    for col in unknown:
        errors.add(1, col, f"unknown column; expected some of {', '.join(CSV_COLUMNS[kind])}")
    errors.raise_if_any()
    rows: list[ParsedRow] = []
    try:
        for record in reader:
            line = reader.line_num
            if len(rows) >= MAX_ROWS:
                errors.add(line, "row", f"more than {MAX_ROWS} rows; split the file")
                break
            if None in record:
                errors.add(line, "row", "more fields than the header has columns")
                continue
            values = {k: v.strip() for k, v in record.items() if v is not None and v.strip() != ""}
            refs: dict[str, Any] = {}
            if kind is RecordKind.unit:
                refs["base_site"] = values.pop("base_site", None)
                plates = values.pop("vehicle_plates", "")
                refs["vehicle_plates"] = tuple(p.strip() for p in plates.split(";") if p.strip())
            model = _validate(kind, values, line, errors)
            if model is not None:
                rows.append(ParsedRow(line=line, data=model, **refs))
    except csv.Error as exc:
        errors.add(reader.line_num, "row", f"malformed CSV: {exc}")
    errors.raise_if_any()
    if not rows:
        raise InvalidInput(f"{filename}: no rows to import")
    return rows


def parse_geojson_sites(content: bytes, filename: str) -> list[ParsedRow]:
    """Sites from a GeoJSON FeatureCollection of Points (rings in properties)."""
    text = _decode(content, filename)
    errors = _Errors(filename)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"{filename} line {exc.lineno}: malformed JSON: {exc.msg}",
            errors=[{"loc": [filename, exc.lineno, "json"], "msg": exc.msg}],
        ) from exc
    if (
        not isinstance(doc, dict)
        or doc.get("type") != "FeatureCollection"
        or not isinstance(doc.get("features"), list)
    ):
        raise InvalidInput(f"{filename}: expected a GeoJSON FeatureCollection with a features list")
    if len(doc["features"]) > MAX_ROWS:
        raise InvalidInput(f"{filename}: more than {MAX_ROWS} features; split the file")
    rows: list[ParsedRow] = []
    for index, feature in enumerate(doc["features"]):
        loc = index  # features are located by index: JSON has no stable line per feature
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            errors.add(loc, "feature", "not a GeoJSON Feature")
            continue
        geom = feature.get("geometry")
        props = feature.get("properties") or {}
        if not isinstance(props, dict):
            errors.add(loc, "properties", "properties must be an object")
            continue
        if not isinstance(geom, dict) or geom.get("type") != "Point":
            errors.add(loc, "geometry", "a site's geometry must be a GeoJSON Point")
            continue
        coords = geom.get("coordinates")
        if (
            not isinstance(coords, list)
            or len(coords) < 2
            or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in coords[:2])
        ):
            errors.add(loc, "geometry.coordinates", "a Point needs [longitude, latitude] numbers")
            continue
        values = {
            k: v for k, v in props.items() if k in CSV_COLUMNS[RecordKind.site] or k.endswith("_polygon")
        }
        unknown = [k for k in props if k not in values and k not in ("id",)]
        for key in unknown:
            errors.add(loc, f"properties.{key}", "unknown property")
        values["lon"], values["lat"] = coords[0], coords[1]
        model = _validate(
            RecordKind.site,
            values,
            loc,
            errors,
            {"lat": "geometry.coordinates", "lon": "geometry.coordinates"},
        )
        if model is not None:
            rows.append(ParsedRow(line=loc, data=model))
    errors.raise_if_any()
    if not rows:
        raise InvalidInput(f"{filename}: no features to import")
    return rows


def parse_import(kind: RecordKind, content: bytes, filename: str) -> list[ParsedRow]:
    """Dispatch on the file name: ``.csv`` for every kind, ``.geojson``/``.json`` for sites."""
    lower = filename.lower()
    if lower.endswith(".csv"):
        return parse_csv(kind, content, filename)
    if lower.endswith((".geojson", ".json")):
        if kind is not RecordKind.site:
            raise InvalidInput(f"{filename}: GeoJSON imports are for sites; use CSV for {kind.value} records")
        return parse_geojson_sites(content, filename)
    raise InvalidInput(f"{filename}: unsupported file type; use .csv (or .geojson for sites)")
