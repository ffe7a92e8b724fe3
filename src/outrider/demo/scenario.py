"""The demo corridor as plain data: real places, invented organisations' people and vehicles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Organisations: (key, name, kind, country)
ORGANIZATIONS: tuple[tuple[str, str, str, str], ...] = (
    ("spu", "Special Protection Unit (Sindh-KP Corridor)", "host_security", "PK"),
    ("embassy", "Partner Embassy, Islamabad", "partner_government", "CN"),
    ("hydro", "Indus Gorge Hydro Construction Co.", "company", "CN"),
    ("power", "Qasim Coastal Power Ltd.", "company", "PK"),
)

# Sites: owner, name, kind, lat, lon, inner radius m, outer radius m, notes. Coordinates are the real places.
SITES: tuple[tuple[str, str, str, float, float, float, float, str], ...] = (
    (
        "spu",
        "Jinnah International Airport",
        "airport",
        24.9065,
        67.1608,
        400,
        1500,
        "Karachi; arrivals of rotating staff",
    ),
    (
        "spu",
        "Airport Road Checkpoint",
        "checkpoint",
        24.8993,
        67.1515,
        50,
        300,
        "entry checkpoint of the airport cordon",
    ),
    (
        "power",
        "Port Qasim Coal Power Plant",
        "project",
        24.7800,
        67.3500,
        600,
        2500,
        "coal-fired plant, Bin Qasim",
    ),
    (
        "hydro",
        "Dasu Hydropower Project",
        "project",
        35.2900,
        73.2900,
        800,
        3000,
        "dam site on the Indus, Upper Kohistan",
    ),
    (
        "hydro",
        "Bisham Staff Camp",
        "camp",
        34.8000,
        72.9300,
        200,
        1000,
        "camp on the Karakoram Highway near Bisham",
    ),
    ("spu", "Gwadar Port", "port", 25.1200, 62.3300, 500, 2000, "deep-sea port, Balochistan"),
    ("hydro", "Islamabad Liaison Office", "office", 33.7200, 73.0600, 100, 500, "company office, Islamabad"),
)

_GIVEN = (
    "Wenbo",
    "Jiahui",
    "Haoran",
    "Xinyi",
    "Zhiqiang",
    "Meilin",
    "Junjie",
    "Yuting",
    "Guoliang",
    "Shufen",
    "Dongmei",
    "Kaiwen",
    "Ruolan",
    "Tianyu",
    "Lihua",
)
_FAMILY = ("Zhao", "Qian", "Sun", "Lin", "Guo", "He", "Luo", "Tang", "Feng", "Cao")
_ROLES = (
    "civil engineer",
    "geotechnical engineer",
    "electrical engineer",
    "site manager",
    "surveyor",
    "turbine specialist",
    "safety officer",
    "interpreter",
    "mechanical engineer",
    "project director",
)


@dataclass(frozen=True)
class DemoPerson:
    """One invented protected person."""

    owner: str
    name: str
    nationality: str
    role: str
    notes: str


def persons() -> list[DemoPerson]:
    """About thirty invented protected persons, spread over the two companies."""
    people: list[DemoPerson] = []
    for i in range(30):
        owner = "hydro" if i % 3 else "power"
        family = _FAMILY[(i * 7) % len(_FAMILY)]
        given = _GIVEN[(i * 4 + i // len(_GIVEN)) % len(_GIVEN)]
        nationality = "CN" if i % 10 not in (4, 9) else ("PK" if i % 10 == 4 else "DE")
        base = "Dasu / Bisham" if owner == "hydro" else "Port Qasim"
        people.append(DemoPerson(owner, f"{family} {given}", nationality, _ROLES[i % len(_ROLES)], base))
    return people


# Vehicles: owner, plate, kind, seats, description
VEHICLES: tuple[tuple[str, str, str, int, str], ...] = (
    ("hydro", "LEB-2231", "armoured", 5, "armoured Land Cruiser"),
    ("hydro", "LEB-2232", "armoured", 5, "armoured Land Cruiser"),
    ("hydro", "KP-4410", "armoured", 14, "armoured coaster bus"),
    ("hydro", "KP-4411", "soft_skin", 30, "staff bus"),
    ("power", "BKE-918", "armoured", 5, "armoured Prado"),
    ("power", "BKE-919", "soft_skin", 12, "staff van"),
    ("spu", "SPU-101", "soft_skin", 8, "escort pick-up"),
    ("spu", "SPU-102", "soft_skin", 8, "escort pick-up"),
    ("spu", "SPU-201", "armoured", 6, "armoured escort vehicle"),
    ("spu", "SPU-202", "armoured", 6, "armoured escort vehicle"),
    ("spu", "SPU-301", "soft_skin", 8, "escort pick-up"),
    ("spu", "SPU-302", "soft_skin", 8, "escort pick-up"),
)

# Escort units: call sign, strength, base site name, vehicle plates
UNITS: tuple[tuple[str, int, str, tuple[str, ...]], ...] = (
    ("FALCON-1", 12, "Jinnah International Airport", ("SPU-101", "SPU-201")),
    ("FALCON-2", 10, "Port Qasim Coal Power Plant", ("SPU-102",)),
    ("KESTREL-1", 16, "Dasu Hydropower Project", ("SPU-202", "SPU-301")),
    ("KESTREL-2", 12, "Bisham Staff Camp", ("SPU-302",)),
    ("OSPREY-1", 14, "Gwadar Port", ()),
)

# Escort units whose members the demo's users are (need-to-know is drawn by person and unit): "duty" serves
# in every unit, so the walk-through's duty officer reads the itineraries of the escorted movements;
# "duty2", a duty officer of the same force on no unit, sees their summaries only.
UNIT_MEMBERS: tuple[tuple[str, str], ...] = tuple((call_sign, "duty") for call_sign, *_ in UNITS)

# Users: username, full name, organisation key, role
USERS: tuple[tuple[str, str, str, str], ...] = (
    ("admin", "System Administrator", "spu", "admin"),
    ("coordinator", "Security Coordinator, Indus Gorge Hydro", "hydro", "coordinator"),
    ("duty", "Duty Officer, Special Protection Unit", "spu", "duty_officer"),
    ("duty2", "Duty Officer, Special Protection Unit (on no escort unit)", "spu", "duty_officer"),
    ("liaison", "Liaison Officer, Partner Embassy", "embassy", "liaison"),
    ("envoy", "Counsellor, Partner Embassy (signs protocols)", "embassy", "admin"),
    ("analyst", "Intelligence Analyst", "spu", "analyst"),
    ("auditor", "Investigator", "spu", "auditor"),
)


def site_values(row: tuple[str, str, str, float, float, float, float, str]) -> dict[str, Any]:
    """The registry fields of a site row."""
    _owner, name, kind, lat, lon, inner, outer, notes = row
    return {
        "name": name,
        "kind": kind,
        "lat": lat,
        "lon": lon,
        "timezone": "Asia/Karachi",
        "inner_radius_m": inner,
        "outer_radius_m": outer,
        "notes": notes,
    }
