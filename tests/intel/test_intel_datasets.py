"""Public data sets (GTD, ACLED) read into gold-schema records: pure, on invented rows in the real layouts."""

from __future__ import annotations

import ast
import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outrider.intel import datasets
from outrider.intel.actors import ActorRegistry, packaged_entries
from outrider.intel.dataset_rows import DatasetRecord, RowDropped, RowError, country_code
from outrider.intel.datasets import DatasetFile, DatasetFormatError
from outrider.intel.gtd import GTD_ATTACK, GTD_TARGET
from outrider.intel.schemas import AttackType, TargetType, Weapon

REGISTRY = ActorRegistry(packaged_entries())

# The columns of a GTD export that matter here, in the export's order (a real file has about 135).
GTD_COLUMNS = [
    "eventid",
    "iyear",
    "imonth",
    "iday",
    "approxdate",
    "extended",
    "country",
    "country_txt",
    "region",
    "region_txt",
    "provstate",
    "city",
    "latitude",
    "longitude",
    "specificity",
    "vicinity",
    "location",
    "summary",
    "crit1",
    "crit2",
    "crit3",
    "doubtterr",
    "success",
    "suicide",
    "attacktype1",
    "attacktype1_txt",
    "targtype1",
    "targtype1_txt",
    "natlty1_txt",
    "gname",
    "claimed",
    "weaptype1",
    "weaptype1_txt",
    "weapsubtype1",
    "weapsubtype1_txt",
    "nkill",
    "nkillter",
    "nwound",
    "nwoundte",
]
GTD_BASE: dict[str, Any] = {
    "eventid": "203001150001",
    "iyear": 2030,
    "imonth": 1,
    "iday": 15,
    "country": 153,
    "country_txt": "Pakistan",
    "region": 6,
    "region_txt": "South Asia",
    "provstate": "Khyber Pakhtunkhwa",
    "city": "Kotli Bala",
    "latitude": "34.512",
    "longitude": "71.903",
    "specificity": 1,
    "vicinity": 0,
    "location": "Near the bus stand.",
    "summary": "01/15/2030: Invented test event: a bomb hidden in a cart exploded near a market.",
    "crit1": 1,
    "crit2": 1,
    "crit3": 1,
    "doubtterr": 0,
    "success": 1,
    "suicide": 0,
    "attacktype1": 3,
    "attacktype1_txt": "Bombing/Explosion",
    "targtype1": 14,
    "targtype1_txt": "Private Citizens & Property",
    "natlty1_txt": "Pakistan",
    "gname": "Tehrik-i-Taliban Pakistan (TTP)",
    "claimed": 1,
    "weaptype1": 6,
    "weaptype1_txt": "Explosives",
    "weapsubtype1": 9,
    "weapsubtype1_txt": "Remote Trigger",
    "nkill": 7,
    "nkillter": 1,
    "nwound": 12,
    "nwoundte": 2,
}

ACLED_COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]
ACLED_BASE: dict[str, Any] = {
    "event_id_cnty": "PAK990001",
    "event_date": "15 March 2031",
    "year": 2031,
    "time_precision": 1,
    "disorder_type": "Political violence",
    "event_type": "Explosions/Remote violence",
    "sub_event_type": "Remote explosive/landmine/IED",
    "actor1": "BLA: Balochistan Liberation Army",
    "inter1": "Rebel group",
    "actor2": "Police Forces of Pakistan (2018-)",
    "inter2": "State forces",
    "interaction": "Rebel group-State forces",
    "iso": 586,
    "region": "South Asia",
    "country": "Pakistan",
    "admin1": "Balochistan",
    "admin2": "Kech",
    "admin3": "Turbat",
    "location": "Turbat",
    "latitude": "26.0031",
    "longitude": "63.0544",
    "geo_precision": 1,
    "source": "Invented Daily",
    "source_scale": "National",
    "notes": "On 15 March 2031, an invented roadside bomb hit a police van near Turbat. 2 police killed.",
    "fatalities": 2,
    "tags": "",
    "timestamp": 1900000000,
}


def csv_bytes(columns: list[str], rows: list[dict[str, Any]], encoding: str = "utf-8") -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return buf.getvalue().encode(encoding)


def gtd(**changes: Any) -> dict[str, Any]:
    return {**GTD_BASE, **changes}


def acled(**changes: Any) -> dict[str, Any]:
    return {**ACLED_BASE, **changes}


def parse(data: bytes, fmt: str | None = None, countries: tuple[str, ...] = ()) -> list[Any]:
    return list(DatasetFile(data.splitlines(keepends=True), fmt).rows(actors=REGISTRY, countries=countries))


def one_gtd(**changes: Any) -> DatasetRecord:
    (row,) = parse(csv_bytes(GTD_COLUMNS, [gtd(**changes)]))
    assert isinstance(row, DatasetRecord), row
    return row


def one_acled(**changes: Any) -> DatasetRecord | RowDropped | RowError:
    (row,) = parse(csv_bytes(ACLED_COLUMNS, [acled(**changes)]))
    return row  # type: ignore[no-any-return]


# ---------------------------------------------------------------- GTD


def test_a_gtd_row_in_gold_schema_names() -> None:
    r = one_gtd()
    assert (r.dataset, r.source_id, r.line, r.doc_id) == ("gtd", "203001150001", 2, "gtd:203001150001")
    assert (r.date, r.date_precision) == (date(2030, 1, 15), "day")
    assert (r.country, r.admin1, r.city, r.location_text) == (
        "PK",
        "Khyber Pakhtunkhwa",
        "Kotli Bala",
        "Near the bus stand.",
    )
    assert (r.lat, r.lon) == (34.512, 71.903)
    assert (r.attack_type, r.weapon, r.suicide, r.target_type) == ("bombing", "ied", False, "civilians")
    assert (r.killed, r.wounded) == (6, 10)  # attackers excluded: 7 - 1 killed, 12 - 2 wounded
    assert (r.perpetrator, r.claimed) == ("Tehrik-i-Taliban Pakistan", True)  # through the actor registry
    assert r.text.startswith("01/15/2030: Invented") and not r.doubtful
    assert len(r.content_hash) == 64 and r.content_hash == one_gtd().content_hash


def test_every_gtd_attack_and_target_text_has_a_gold_value() -> None:
    attack_texts = [
        "Assassination",
        "Armed Assault",
        "Bombing/Explosion",
        "Hijacking",
        "Hostage Taking (Barricade Incident)",
        "Hostage Taking (Kidnapping)",
        "Facility/Infrastructure Attack",
        "Unarmed Assault",
        "Unknown",
    ]
    target_texts = [
        "Business",
        "Government (General)",
        "Police",
        "Military",
        "Abortion Related",
        "Airports & Aircraft",
        "Government (Diplomatic)",
        "Educational Institution",
        "Food or Water Supply",
        "Journalists & Media",
        "Maritime",
        "NGO",
        "Other",
        "Private Citizens & Property",
        "Religious Figures/Institutions",
        "Telecommunication",
        "Terrorists/Non-State Militia",
        "Tourists",
        "Transportation",
        "Unknown",
        "Utilities",
        "Violent Political Party",
    ]
    assert sorted(GTD_ATTACK) == sorted(t.lower() for t in attack_texts)
    assert sorted(GTD_TARGET) == sorted(t.lower() for t in target_texts)
    assert {one_gtd(attacktype1_txt=t).attack_type for t in attack_texts} == set(AttackType)


@pytest.mark.parametrize(
    ("text", "gold"),
    [
        ("Assassination", "assassination"),
        ("Armed Assault", "armed_assault"),
        ("Hostage Taking (Kidnapping)", "hostage_taking"),
        ("Hostage Taking (Barricade Incident)", "hostage_taking"),
        ("Facility/Infrastructure Attack", "facility_attack"),
        ("Hijacking", "hijacking"),
        ("Unarmed Assault", "unarmed_assault"),
        ("Something New", "unknown"),
    ],
)
def test_gtd_attack_types(text: str, gold: str) -> None:
    assert one_gtd(attacktype1_txt=text).attack_type == gold


@pytest.mark.parametrize(
    ("kind", "sub", "attack", "gold"),
    [
        ("Explosives", "Vehicle", "Bombing/Explosion", "vbied"),
        ("Explosives/Bombs/Dynamite", "Vehicle", "Bombing/Explosion", "vbied"),  # older files
        ("Explosives", "Suicide (carried bodily by human being)", "Bombing/Explosion", "suicide_vest"),
        ("Explosives", "Projectile (rockets, mortars, RPGs, etc.)", "Bombing/Explosion", "rocket"),
        ("Explosives", "Landmine", "Bombing/Explosion", "ied"),
        ("Explosives", "Unknown Explosive Type", "Bombing/Explosion", "unknown"),
        ("Explosives", "", "Bombing/Explosion", "unknown"),
        ("Explosives", "Grenade", "Armed Assault", "firearms"),  # thrown by gunmen
        ("Explosives", "Grenade", "Bombing/Explosion", "other"),
        ("Firearms", "Automatic or Semi-Automatic Rifle", "Armed Assault", "firearms"),
        ("Melee", "Knife or Other Sharp Object", "Armed Assault", "knife"),
        ("Melee", "Blunt Object", "Unarmed Assault", "other"),
        (
            "Vehicle (not to include vehicle-borne explosives, i.e., car or truck bombs)",
            "",
            "Armed Assault",
            "other",
        ),
        ("Incendiary", "Arson/Fire", "Facility/Infrastructure Attack", "other"),
        ("Chemical", "Poisoning", "Unknown", "other"),
        ("Unknown", "", "Unknown", "unknown"),
    ],
)
def test_gtd_weapons(kind: str, sub: str, attack: str, gold: str) -> None:
    r = one_gtd(weaptype1_txt=kind, weapsubtype1_txt=sub, attacktype1_txt=attack)
    assert r.weapon == gold and Weapon(r.weapon) is r.weapon


@pytest.mark.parametrize(
    ("target", "nationality", "gold"),
    [
        ("Business", "Pakistan", "business"),
        ("Business", "China", "foreign_workers"),  # foreign victims at a workplace
        ("Private Citizens & Property", "China", "foreign_workers"),
        ("Utilities", "China", "foreign_workers"),
        ("Utilities", "Pakistan", "unknown"),
        ("Police", "China", "police"),  # the target class wins over the victims' nationality
        ("Government (Diplomatic)", "China", "diplomatic"),
        ("Airports & Aircraft", "Pakistan", "transport"),
        ("Educational Institution", "Pakistan", "education"),
        ("Religious Figures/Institutions", "Pakistan", "religious"),
        ("Military", "", "military"),
        ("Violent Political Party", "Pakistan", "government"),
        ("Tourists", "Germany", "civilians"),
        ("Terrorists/Non-State Militia", "Pakistan", "unknown"),
    ],
)
def test_gtd_targets(target: str, nationality: str, gold: str) -> None:
    r = one_gtd(targtype1_txt=target, natlty1_txt=nationality)
    assert r.target_type == gold and TargetType(r.target_type) is r.target_type


@pytest.mark.parametrize(
    ("month", "day", "when", "precision"),
    [
        (3, 9, date(2030, 3, 9), "day"),
        (3, 0, date(2030, 3, 1), "month"),  # day unknown
        (0, 0, date(2030, 1, 1), "year"),  # month unknown
        (0, 9, date(2030, 1, 1), "year"),
    ],
)
def test_gtd_unknown_day_or_month_lowers_the_precision(
    month: int, day: int, when: date, precision: str
) -> None:
    r = one_gtd(imonth=month, iday=day)
    assert (r.date, r.date_precision) == (when, precision)


def test_gtd_casualties_unknowns_and_doubt() -> None:
    assert (one_gtd(nkill=3, nkillter=3).killed, one_gtd(nkill="", nkillter="").killed) == (0, None)
    assert one_gtd(nkill="4.0", nkillter="").killed == 4
    assert one_gtd(nwound=5, nwoundte="").wounded == 5
    r = one_gtd(claimed=-9, suicide=1, gname="Unknown", city="Unknown", provstate="", doubtterr=1)
    assert (r.claimed, r.suicide, r.perpetrator, r.city, r.admin1, r.doubtful) == (
        None,
        True,
        None,
        None,
        None,
        True,
    )
    assert one_gtd(doubtterr=-9).doubtful is False
    assert one_gtd(gname="Baloch Liberation Army (BLA)").perpetrator == "Balochistan Liberation Army"
    assert one_gtd(gname="Invented Valley Front").perpetrator == "Invented Valley Front"  # raw name kept


def test_gtd_place_only_at_a_province_centre_gets_no_coordinates() -> None:
    assert (one_gtd(specificity=4).lat, one_gtd(specificity=5).lon) == (None, None)
    assert one_gtd(specificity=2).lat == 34.512
    assert (one_gtd(latitude="", longitude="").lat, one_gtd(latitude="").lon) == (None, None)


def test_gtd_in_windows_1252_and_utf8_with_bom() -> None:
    rows = [gtd(summary="Caf\u00e9 owner\u2019s shop", city="Kotli Bala")]
    legacy = parse(csv_bytes(GTD_COLUMNS, rows, encoding="cp1252"))
    bom = parse(b"\xef\xbb\xbf" + csv_bytes(GTD_COLUMNS, rows))
    assert legacy[0].text == bom[0].text == "Caf\u00e9 owner\u2019s shop"
    assert parse(csv_bytes(GTD_COLUMNS, [gtd(summary="x\x81y")], encoding="latin-1"))[0].text == "x\x81y"


def test_bad_rows_are_reported_with_their_line_and_the_others_go_through() -> None:
    rows = [
        gtd(eventid="1", summary="a summary\nover two lines"),  # lines 2-3
        gtd(eventid="2", imonth=2, iday=30),  # line 4
        gtd(eventid="3", latitude="95.0"),
        gtd(eventid="4", nkill="many"),
        gtd(eventid=""),
        gtd(eventid="6", iyear="twenty"),
        gtd(eventid="7", nkill="2.5"),
        gtd(eventid="8", longitude="east"),
        gtd(eventid="9", imonth=13),
        gtd(eventid="10", nkill=-4),
        gtd(eventid="11", nkill="1e9"),
        gtd(eventid="12"),
    ]
    data = csv_bytes(GTD_COLUMNS, rows) + b"13,2030,1,1," + b",".join([b"x"] * 60) + b"\n\n"
    out = parse(data)
    errors = [(r.line, r.reason) for r in out if isinstance(r, RowError)]
    assert [r.source_id for r in out if isinstance(r, DatasetRecord)] == ["1", "12"]
    assert errors == [
        (4, "bad date: 2030-2-30"),
        (5, "coordinates out of range: 95.0, 71.903"),
        (6, "nkill: not a number: 'many'"),
        (7, "eventid missing"),
        (8, "iyear: not a number: 'twenty'"),
        (9, "nkill: not a whole number: '2.5'"),
        (10, "coordinates not numbers: '34.512', 'east'"),
        (11, "bad date: 2030-13-15"),
        (12, "nkill: negative: -4"),
        (13, "nkill: implausible: '1e9'"),
        (15, f"64 fields where the header has {len(GTD_COLUMNS)}"),
    ]


def test_headers_that_are_neither_format_are_refused() -> None:
    with pytest.raises(DatasetFormatError, match="not a GTD or ACLED export"):
        DatasetFile([b"id,date,place\n", b"1,2024-01-01,Quetta\n"])
    with pytest.raises(DatasetFormatError, match="empty file"):
        DatasetFile([])
    with pytest.raises(DatasetFormatError, match="not a GTD export: the header lacks attacktype1_txt"):
        DatasetFile([b"eventid,iyear,imonth,iday,country_txt,latitude,longitude\n"])
    acled_header = csv_bytes(ACLED_COLUMNS, [])
    with pytest.raises(DatasetFormatError, match="not a GTD export"):
        DatasetFile([acled_header], "gtd")
    with pytest.raises(DatasetFormatError, match="unknown format"):
        DatasetFile([acled_header], "ucdp")
    assert DatasetFile([acled_header.upper()]).format == "acled"  # older exports: upper-case names


def test_country_filter_and_country_codes() -> None:
    rows = [
        gtd(eventid="1"),
        gtd(eventid="2", country_txt="Afghanistan"),
        gtd(eventid="3", country_txt="Atlantis"),
    ]
    out = parse(csv_bytes(GTD_COLUMNS, rows), countries=("pk",))
    assert [type(r).__name__ for r in out] == ["DatasetRecord", "RowDropped", "RowDropped"]
    assert out[1].reason == "another country"
    assert parse(csv_bytes(GTD_COLUMNS, rows))[2].country is None  # unknown name: kept without a country
    assert [country_code(n) for n in ("West Bank and Gaza Strip", "Bosnia-Herzegovina", "Côte d'Ivoire")] == [
        "PS",
        "BA",
        "CI",  # accents folded
    ]
    assert (country_code("Cote d'Ivoire"), country_code(None, "586"), country_code("Pakistan", "x")) == (
        "CI",
        "PK",
        "PK",
    )


# ---------------------------------------------------------------- ACLED


def test_an_acled_row_in_gold_schema_names() -> None:
    r = one_acled()
    assert isinstance(r, DatasetRecord)
    assert (r.dataset, r.doc_id, r.date, r.date_precision) == (
        "acled",
        "acled:PAK990001",
        date(2031, 3, 15),
        "day",
    )
    assert (r.country, r.admin1, r.city, r.location_text) == ("PK", "Balochistan", "Turbat", "Turbat, Kech")
    assert (r.attack_type, r.weapon, r.suicide, r.target_type) == ("bombing", "ied", False, "police")
    assert (r.killed, r.wounded, r.claimed) == (2, None, None)  # ACLED has no wounded, no claims
    assert r.perpetrator == "Balochistan Liberation Army"  # "BLA: ..." resolved by the registry
    assert r.text.startswith("On 15 March 2031")


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"sub_event_type": "Suicide bomb"}, ("bombing", "suicide_vest", True)),
        (
            {
                "sub_event_type": "Suicide bomb",
                "notes": "A bomber rammed an explosives-laden car into a gate.",
            },
            ("bombing", "vbied", True),
        ),
        ({"sub_event_type": "Grenade"}, ("bombing", "other", None)),
        ({"sub_event_type": "Shelling/artillery/missile attack"}, ("bombing", "rocket", None)),
        ({"sub_event_type": "Air/drone strike"}, ("bombing", "other", None)),  # a non-state drone
        ({"sub_event_type": "Chemical weapon"}, ("unknown", "other", None)),
        (
            {"event_type": "Battles", "sub_event_type": "Armed clash", "notes": "Gunmen clashed."},
            ("armed_assault", "firearms", None),
        ),
        (
            {"event_type": "Battles", "sub_event_type": "Non-state actor overtakes territory"},
            ("armed_assault", "firearms", None),
        ),
        (
            {
                "event_type": "Violence against civilians",
                "sub_event_type": "Attack",
                "notes": "He was stabbed.",
            },
            ("armed_assault", "knife", None),
        ),
        (
            {"event_type": "Violence against civilians", "sub_event_type": "Attack", "notes": "Killed."},
            ("armed_assault", "unknown", None),
        ),
        (
            {"event_type": "Violence against civilians", "sub_event_type": "Sexual violence"},
            ("unarmed_assault", "unknown", None),
        ),
        (
            {"event_type": "Violence against civilians", "sub_event_type": "Abduction/forced disappearance"},
            ("hostage_taking", "unknown", None),
        ),
        ({"sub_event_type": "Something new"}, ("unknown", "unknown", None)),
    ],
)
def test_acled_sub_event_types(changes: dict[str, Any], expected: tuple[str, str, bool | None]) -> None:
    r = one_acled(**changes)
    assert isinstance(r, DatasetRecord)
    assert (r.attack_type, r.weapon, r.suicide) == expected


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"event_type": "Protests", "sub_event_type": "Peaceful protest"}, "not an attack: Protests"),
        ({"event_type": "Riots", "sub_event_type": "Mob violence"}, "not an attack: Riots"),
        (
            {"event_type": "Strategic developments", "sub_event_type": "Agreement"},
            "not an attack: Strategic developments",
        ),
        (
            {
                "actor1": "Military Forces of Pakistan (2018-)",
                "inter1": "State forces",
                "sub_event_type": "Air/drone strike",
            },
            "state action",
        ),
        (
            {
                "actor1": "Police Forces of Pakistan (2018-)",
                "inter1": "1",
                "event_type": "Violence against civilians",
            },
            "state action",
        ),
        ({"event_type": "Battles", "sub_event_type": "Government regains territory"}, "state action"),
    ],
)
def test_acled_keeps_only_attacks(changes: dict[str, Any], reason: str) -> None:
    r = one_acled(**changes)
    assert isinstance(r, RowDropped) and r.reason == reason


def test_acled_actors_targets_dates_and_places() -> None:
    battle = one_acled(
        event_type="Battles",
        sub_event_type="Armed clash",
        actor1="Military Forces of Pakistan (2018-)",
        inter1="1",  # older files: numeric actor types
        actor2="TTP: Tehreek-e-Taliban Pakistan",
        inter2="2",
    )
    assert isinstance(battle, DatasetRecord)
    assert (battle.perpetrator, battle.target_type) == ("Tehrik-i-Taliban Pakistan", "military")
    clash = one_acled(
        event_type="Battles", sub_event_type="Armed clash", actor1="Unidentified Armed Group (Pakistan)"
    )
    assert isinstance(clash, DatasetRecord) and clash.perpetrator is None
    foreign = one_acled(
        event_type="Violence against civilians",
        sub_event_type="Attack",
        actor2="Civilians (China)",
        inter2="Civilians",
    )
    assert isinstance(foreign, DatasetRecord) and foreign.target_type == "foreign_workers"
    local = one_acled(
        event_type="Violence against civilians",
        sub_event_type="Attack",
        actor2="Civilians (Pakistan)",
        inter2="7",
    )
    assert isinstance(local, DatasetRecord) and local.target_type == "civilians"
    rebels = one_acled(actor2="Invented Front", inter2="Rebel group")
    assert isinstance(rebels, DatasetRecord) and rebels.target_type == "unknown"
    for text, when in (
        ("2031-03-15", date(2031, 3, 15)),
        ("15-Mar-2031", date(2031, 3, 15)),
        ("1 Sept 2031", date(2031, 9, 1)),
    ):
        r = one_acled(event_date=text)
        assert isinstance(r, DatasetRecord) and r.date == when
    weekly = one_acled(time_precision=2)
    assert isinstance(weekly, DatasetRecord) and weekly.date_precision == "month"
    province = one_acled(geo_precision=3)
    assert isinstance(province, DatasetRecord) and (province.lat, province.city) == (None, None)
    by_name = one_acled(iso="", country="Afghanistan")
    assert isinstance(by_name, DatasetRecord) and by_name.country == "AF"
    for bad, reason in (
        ({"event_date": "March 2031"}, "bad date: 'March 2031'"),
        ({"event_date": "31 June 2031"}, "bad date: 2031-6-31"),
        ({"fatalities": "some"}, "fatalities: not a number: 'some'"),
        ({"latitude": "26.0", "longitude": "200"}, "coordinates out of range: 26.0, 200"),
    ):
        row = one_acled(**bad)
        assert isinstance(row, RowError) and (row.line, row.reason) == (2, reason)


def test_country_filter_on_acled() -> None:
    rows = [acled(), acled(event_id_cnty="AFG1", iso=4, country="Afghanistan")]
    out = parse(csv_bytes(ACLED_COLUMNS, rows), countries=("AF",))
    assert isinstance(out[0], RowDropped) and isinstance(out[1], DatasetRecord) and out[1].country == "AF"


# ---------------------------------------------------------------- never crashes, stays pure

CSVISH = st.text(alphabet=st.sampled_from([*'abc019,."\n\r -\x00\u00e9;', "\u2019"]), max_size=300)


@settings(max_examples=150, deadline=None)
@given(body=CSVISH, fmt=st.sampled_from(["gtd", "acled"]))
def test_the_parser_never_raises_on_csvish_rows(body: str, fmt: str) -> None:
    columns = GTD_COLUMNS if fmt == "gtd" else ACLED_COLUMNS
    head = ",".join(columns) + "\n"
    for data in (
        head + body,
        head.encode() + body.encode("utf-8"),
        head.encode() + body.encode("cp1252", "replace"),
    ):
        lines: Any = data.splitlines(keepends=True)
        rows = list(DatasetFile(lines).rows(actors=REGISTRY))
        assert all(isinstance(r, DatasetRecord | RowError | RowDropped) for r in rows)


@settings(max_examples=100, deadline=None)
@given(text=CSVISH)
def test_any_text_is_read_or_refused_with_one_message(text: str) -> None:
    try:
        list(DatasetFile(text.encode().splitlines(keepends=True)).rows())
    except DatasetFormatError as exc:
        message = str(exc)
        assert message.startswith(("empty file", "not a GTD", "unreadable header")), message


def test_the_module_is_a_pure_core() -> None:
    source = Path(datasets.__file__).read_text(encoding="utf-8")
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
        elif isinstance(node, ast.Attribute):
            assert node.attr not in ("now", "today", "utcnow"), node.attr
    forbidden = ("sqlalchemy", "fastapi", "starlette", "outrider.db", "outrider.http")
    assert not [m for m in imported if m.startswith(forbidden)]
