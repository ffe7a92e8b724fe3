"""When and where (issue 20, fourteenth round), on texts of our own."""

from datetime import date

from outrider.intel.cleaning import clean_text
from outrider.intel.event_dates import relative_to
from outrider.intel.extract import build_incidents
from outrider.intel.gazetteer import find_places
from outrider.intel.linking import same_event
from outrider.intel.sentence_split import sentences
from outrider.intel.tables import spell_tables

PUB = date(2031, 6, 19)  # a Thursday


def _records(text: str) -> list[tuple[object, ...]]:
    got = build_incidents(clean_text(text).lines, PUB)
    return [(r["city"], r["date"], r["date_precision"]) for r in got]


SITREP = (
    "OFFICE OF THE SUPERINTENDENT OF POLICE, DISTRICT {district}\n"
    "DAILY SITUATION REPORT\n"
    "DATED: 19-06-2031\n\n"
    "2. TERRORISM\n"
    "AT ABOUT 2140 HRS ON 18-06-2031 UNKNOWN ARMED MEN OPENED FIRE ON POLICE CHECK POST GHARI ON THE "
    "HIGHWAY, APPROX 12 KM EAST OF {town} CITY, POLICE STATION {town}.\n"
    "{label}: (TWO CONSTABLES MARTYRED, ONE HEAD CONSTABLE INJURED)\n"
)


def test_a_situation_reports_field_label_is_no_dateline_and_its_police_station_says_where() -> None:
    for town, district in (("CHILAS", "DIAMER"), ("BANNU", "BANNU")):
        for label in ("CASUALTIES", "REMARKS"):
            text = SITREP.format(town=town, district=district, label=label)
            assert _records(text) == [(town.title(), "2031-06-18", "day")]


REVIEW = """MONTHLY SECURITY REVIEW - MAY 2031

TABLE 1. MAJOR ATTACKS, MAY 2031
No. | Date | District (place) | Target | Type | Killed | Injured | Claim
1 | 04-05 | Kalat (Mangochar) | Levies post | Shooting | 2 | 1 | None
2 | 17-05 | Tank (Kot Azam) | Road project engineers | Abduction | 0 | 1 | TTP
Source: police reports.

Home | Pakistan | World | Sports
"""


def test_a_table_without_outer_bars_or_rule_is_read_row_by_row_with_its_days_and_districts() -> None:
    lines = spell_tables(REVIEW).splitlines()
    assert lines[3] == "4 May | Kalat (Mangochar) | Levies post | Shooting; 2 killed; 1 injured; no claim."
    # a district's name that is a word alone ("Tank") is told a district by its column
    assert lines[4].startswith("17 May | Tank district (Kot Azam) | Road project engineers | Abduction;")
    assert lines[-1] == "Home | Pakistan | World | Sports"  # a bar of links is no table: no count column
    got = build_incidents(clean_text(REVIEW).lines, date(2031, 6, 2))
    assert {(i["city"], i["date"]) for i in got} >= {("Mangochar", "2031-05-04"), ("Tank", "2031-05-17")}


def test_a_date_cell_in_figures_is_read_day_first_unless_only_month_first_is_a_date() -> None:
    header = "No | Date | District | Killed"
    lines = spell_tables(f"{header}\n1 | 02-03 | Quetta | 1\n2 | 12-25 | Quetta | 1\n").splitlines()
    assert [line.split(" | ")[0] for line in lines] == ["2 March", "25 December"]


REPLY = """Answer laid on the table: the incidents were as follows.

S.No | Date | Place | Nature of incident | Casualties | Status
1 | 10.05.2031 | Colony, District Jamshoro | Sticky bomb on a car; defused | Nil | Accused arrested
2 | 22.05.2031 | Near X Square, Sohrab Goth, Karachi | Firing on a van | 01 killed; 02 injured | Under trial
"""


def test_a_rows_status_cell_and_its_toll_clause_leave_the_row_an_attack_at_its_place() -> None:
    got = {
        (i["city"], i["date"]): (i["killed"], i["wounded"])
        for i in build_incidents(clean_text(REPLY).lines, PUB)
    }
    assert got[("Karachi", "2031-05-22")] == (1, 2)  # "...; 01 killed": the toll of the row's placed clause
    assert (
        "Jamshoro",
        "2031-05-10",
    ) in got  # "Accused arrested" in a cell of its own: still the attack's row


def test_a_roads_far_end_told_by_its_initials_does_not_end_the_sentence() -> None:
    line = "16.03.2031 | Tank | Tank-D.I. Khan road | Kidnapping of two engineers. Police said so."
    assert [s for _, s, _ in sentences((line,))] == [line.removesuffix(" Police said so."), "Police said so."]


def test_a_span_told_after_for_is_how_long_not_a_day_counted_from_the_reports_attack() -> None:
    anchor = date(2031, 6, 9)
    for span in ("for more than a day", "for nearly two days", "for about a week", "for a day"):
        segment = f"In March 2030, fighters hijacked the train and held them {span} before troops came"
        assert relative_to(segment, anchor) is None
    assert relative_to("Gunmen attacked the post two days before the raid", anchor) is not None


def test_project_towns_of_the_north_west_are_places_only_where_the_text_says_so() -> None:
    for text, town in (("rockets fired at the camp at Munda", "Munda"), ("a post near Paras", "Paras")):
        assert [(h.place.name, h.place.district) for h in find_places(text)] == [
            (town, "Mohmand" if town == "Munda" else "Mansehra")
        ]
    assert find_places("Munda and Paras said") == []  # also names: a place only after "at", "near"


def test_a_district_told_by_its_seat_and_a_town_of_it_in_the_next_clause_are_one_place() -> None:
    text = (
        "Security watch\n\n"
        "- Khuzdar district: on Friday 27 May, gunmen fired on a Levies post near Wadh in the hills. "
        "One guard was killed."
    )
    assert _records(text) == [("Wadh", "2031-05-27", "day")]


def _at(city: str, lat: float, lon: float, doc: str) -> dict[str, object]:
    return {
        "doc_id": doc,
        "date": "2031-03-10",
        "date_precision": "day",
        "country": "PK",
        "admin1": "Khyber Pakhtunkhwa",
        "city": city,
        "lat": lat,
        "lon": lon,
        "attack_type": "bombing",
    }


def test_records_at_neighbouring_villages_a_few_km_apart_are_one_event_and_farther_towns_are_not() -> None:
    komila, dasu = _at("Komila", 35.27, 73.26, "a"), _at("Dasu", 35.29, 73.29, "b")
    assert same_event(komila, dasu)
    assert not same_event(komila, _at("Pattan", 35.03, 73.19, "c"))  # some 40 km down the valley
    # a name the gazetteer lacks, standing at its district's town, is not thereby a neighbour
    assert not same_event(komila, {**dasu, "city": "Xyzabad"})


def test_kindred_attack_types_link_and_a_shooting_is_still_not_a_bombing() -> None:
    komila = _at("Komila", 35.27, 73.26, "a")
    for one, other in (("assassination", "armed_assault"), ("facility_attack", "bombing")):
        assert same_event({**komila, "attack_type": one}, {**komila, "doc_id": "b", "attack_type": other})
    # a shooting the next day is not the bombing (on the same day the two are a complex attack's parts)
    shooting = {**komila, "doc_id": "b", "attack_type": "armed_assault", "date": "2031-03-11"}
    assert not same_event(komila, shooting)


def test_a_district_centre_spelled_apart_is_the_town_of_its_district() -> None:
    text = "Near Qalai Khumb, Darvoz district, gunmen opened fire on road workers."
    assert [(h.place.name, h.place.district) for h in find_places(text)][:1] == [("Qalaikhumb", "Darvoz")]
