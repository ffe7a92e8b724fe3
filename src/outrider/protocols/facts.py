"""The typed fact model of a movement: what protocol expressions may read, and each fact's declared type.

Core facts are top-level CEL variables (``escort_units``). Other domains contribute facts under a
namespace of their own (``access.itinerary_released_hours_before_departure``) by extending the schema
with `FactSchema.with_namespace`; the loader then type-checks expressions against the extended schema.
A fact whose value is ``None`` is not known yet (actual facts before arrival); a rule that reads an
unknown fact is not applicable rather than failed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class FactType(StrEnum):
    """The CEL type of a fact."""

    INT = "int"
    DOUBLE = "double"
    BOOL = "bool"
    STRING = "string"
    CLEARANCES = "list<clearance>"
    ALERTS = "list<alert>"


# Sample values per type; the loader evaluates expressions on them to surface type errors.
SAMPLES: dict[FactType, tuple[Any, ...]] = {
    FactType.INT: (0, 3),
    FactType.DOUBLE: (0.0, 2.5),
    FactType.BOOL: (False, True),
    FactType.STRING: ("", "airport"),
    FactType.CLEARANCES: ([], [{"unit": "u", "segment": "origin-cordon", "hours_before_departure": 1.0}]),
    FactType.ALERTS: (
        [],
        [
            {
                "id": 1,
                "kind": "cordon_dwell",
                "severity": "critical",
                "place": "origin",
                "age_min": 20.0,
                "acknowledged": False,
            }
        ],
    ),
}


@dataclass(frozen=True, slots=True)
class FactSpec:
    """One fact: its name (dotted for a namespace), type, meaning and whether it may be unknown."""

    name: str
    type: FactType
    description: str
    nullable: bool = False


@dataclass(frozen=True, slots=True)
class FactSchema:
    """The facts an expression may read: top-level facts plus contributed namespaces."""

    facts: Mapping[str, FactSpec]
    namespaces: Mapping[str, Mapping[str, FactSpec]] = field(default_factory=dict)

    def with_namespace(self, namespace: str, specs: tuple[FactSpec, ...]) -> FactSchema:
        """Return a schema extended by a domain's facts under `namespace`."""
        if not namespace.isidentifier() or namespace in self.facts or namespace in self.namespaces:
            raise ValueError(f"namespace {namespace!r} is invalid or taken")
        members = {s.name.removeprefix(namespace + "."): s for s in specs}
        return FactSchema(self.facts, {**self.namespaces, namespace: members})

    def lookup(self, path: str) -> FactSpec | None:
        """Return the spec of a fact path (``escort_units`` or ``access.x``), None when unknown."""
        head, _, rest = path.partition(".")
        if head in self.facts:
            return self.facts[head] if not rest else None
        members = self.namespaces.get(head)
        if members is None or not rest:
            return None
        return members.get(rest)

    def is_root(self, name: str) -> bool:
        """Tell whether `name` is a top-level fact or a namespace."""
        return name in self.facts or name in self.namespaces

    def all_specs(self) -> list[FactSpec]:
        """Every fact, core first, then namespaces in name order."""
        out = list(self.facts.values())
        for ns in sorted(self.namespaces):
            out.extend(self.namespaces[ns].values())
        return out


def _spec(name: str, type_: FactType, description: str, nullable: bool = False) -> FactSpec:
    return FactSpec(name, type_, description, nullable)


_I, _D, _B, _S = FactType.INT, FactType.DOUBLE, FactType.BOOL, FactType.STRING
# Where an open alert bears on a movement: its origin site, its destination site, or its route corridor.
ALERT_PLACES = ("origin", "destination", "route")
CORE_FACTS: tuple[FactSpec, ...] = (
    _spec("protected_persons", _I, "number of protected persons on the movement"),
    _spec("vehicles", _I, "number of vehicles carrying protected persons"),
    _spec("armoured_vehicles", _I, "how many of those vehicles are armoured"),
    _spec("escort_units", _I, "number of escort units assigned"),
    _spec("escort_vehicles", _I, "number of escort vehicles assigned"),
    _spec("departure_local_hour", _I, "planned departure hour (0..23) in the origin site's time zone"),
    _spec("departure_local_minute", _I, "planned departure minute of day (0..1439), origin time zone"),
    _spec("arrival_local_hour", _I, "planned arrival hour (0..23) in the destination site's time zone"),
    _spec("departure_in_night_window", _B, "planned departure falls in the origin site's night window"),
    _spec("arrival_in_night_window", _B, "planned arrival falls in the destination site's night window"),
    _spec("route_length_km", _D, "planned route length in kilometres"),
    _spec("risk_level", _I, "route risk level 1..5 (likelihood x impact) from the risk domain"),
    _spec("risk_score", _D, "route risk score behind the level"),
    _spec("same_route_uses_7d", _I, "movements on the same origin-destination route in the 7 days before"),
    _spec(
        "same_hour_uses_7d",
        _I,
        "earlier movements on that route in 7 days departing within 60 min of this time of day",
    ),
    _spec(
        "route_clearances",
        FactType.CLEARANCES,
        "route clearances and sweeps: list of {unit: string, segment: string, hours_before_departure:"
        ' double}; the sweep of the origin\'s cordon has segment "origin-cordon"',
    ),
    _spec("origin_site_kind", _S, "kind of the origin site (airport, dam, plant, port, office, ...)"),
    _spec("destination_site_kind", _S, "kind of the destination site"),
    _spec("pickup_cordon_zone", _S, "cordon zone of the pickup point: inner, outer or outside"),
    _spec("checkin_interval_min", _I, "planned interval between check-ins, minutes"),
    _spec("departure_delay_min", _D, "actual departure minus planned departure, minutes", True),
    _spec("max_checkin_gap_min", _D, "largest gap between consecutive check-ins, minutes", True),
    _spec("max_route_deviation_m", _D, "largest distance of a position from the planned route, m", True),
    _spec("escort_present_at_departure", _B, "the escort was present when the movement departed", True),
    _spec("longest_unplanned_stop_min", _D, "longest stop not in the plan, minutes", True),
    _spec("persons_counted_at_arrival", _I, "protected persons counted at arrival", True),
    _spec(
        "open_alerts",
        FactType.ALERTS,
        "alerts open now on the origin, destination or route: list of {id: int, kind: string, severity:"
        " string, place: origin|destination|route, age_min: double, acknowledged: bool}",
    ),
    _spec(
        "open_critical_cordon_alerts_origin_or_route",
        _I,
        "open critical cordon alerts (dwell, loiter, reconnaissance) on the origin or the route",
    ),
    _spec("open_cordon_alerts", _I, "open cordon alerts of any severity on the origin, destination or route"),
    _spec("open_critical_alerts", _I, "open critical alerts of any kind on the origin, destination or route"),
    _spec(
        "open_unacknowledged_alerts", _I, "open alerts on the origin, destination or route nobody has taken"
    ),
    _spec(
        "origin_cordon_swept_hours_before_departure",
        _D,
        "hours between the last sweep of the origin's cordon and the planned departure",
        True,
    ),
    _spec(
        "itinerary_released_hours_before_departure",
        _D,
        "hours between the itinerary's first read outside its planners and the planned departure",
        True,
    ),
    _spec("itinerary_release_hours_allowed", _D, "the arrangement's itinerary release lead time, hours"),
    _spec(
        "itinerary_readers_before_departure",
        _I,
        "people outside its planners who read the itinerary before departure (or until now)",
    ),
)

DEFAULT_SCHEMA = FactSchema({s.name: s for s in CORE_FACTS})


class Clearance(BaseModel):
    """A clearance of the route (or a segment) by a named unit, relative to departure."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    unit: str
    segment: str = ""
    hours_before_departure: float


class OpenAlert(BaseModel):
    """An alert open on the movement's origin, destination or route, as the rules read it."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    id: int
    kind: str
    severity: str
    place: str
    age_min: float
    acknowledged: bool


class MovementFacts(BaseModel):
    """The facts of one movement; actual facts stay None until they are known."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    protected_persons: int = Field(ge=0)
    vehicles: int = Field(ge=0)
    armoured_vehicles: int = Field(ge=0)
    escort_units: int = Field(ge=0)
    escort_vehicles: int = Field(ge=0)
    departure_local_hour: int = Field(ge=0, le=23)
    departure_local_minute: int = Field(ge=0, le=1439)
    arrival_local_hour: int = Field(ge=0, le=23)
    departure_in_night_window: bool
    arrival_in_night_window: bool
    route_length_km: float = Field(ge=0)
    risk_level: int = Field(ge=1, le=5)
    risk_score: float
    same_route_uses_7d: int = Field(ge=0)
    same_hour_uses_7d: int = Field(ge=0)
    route_clearances: tuple[Clearance, ...] = ()
    origin_site_kind: str
    destination_site_kind: str
    pickup_cordon_zone: str
    checkin_interval_min: int = Field(ge=0)
    departure_delay_min: float | None = None
    max_checkin_gap_min: float | None = None
    max_route_deviation_m: float | None = None
    escort_present_at_departure: bool | None = None
    longest_unplanned_stop_min: float | None = None
    persons_counted_at_arrival: int | None = None
    open_alerts: tuple[OpenAlert, ...] = ()
    open_critical_cordon_alerts_origin_or_route: int = Field(default=0, ge=0)
    open_cordon_alerts: int = Field(default=0, ge=0)
    open_critical_alerts: int = Field(default=0, ge=0)
    open_unacknowledged_alerts: int = Field(default=0, ge=0)
    origin_cordon_swept_hours_before_departure: float | None = None
    itinerary_released_hours_before_departure: float | None = None
    itinerary_release_hours_allowed: float = Field(default=24.0, ge=0)
    itinerary_readers_before_departure: int = Field(default=0, ge=0)
    # Facts contributed by other domains: namespace -> fact name -> value.
    contributed: Mapping[str, Mapping[str, Any]] = Field(default_factory=dict)

    def to_variables(self) -> dict[str, Any]:
        """Return the CEL variables: core facts at top level, contributed facts per namespace."""
        out: dict[str, Any] = {name: getattr(self, name) for name in DEFAULT_SCHEMA.facts}
        out["route_clearances"] = [c.model_dump() for c in self.route_clearances]
        out["open_alerts"] = [a.model_dump() for a in self.open_alerts]
        for ns, values in self.contributed.items():
            out[ns] = dict(values)
        return out
