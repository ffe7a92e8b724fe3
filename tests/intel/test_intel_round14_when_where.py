"""When and where (issue 20, fourteenth round), on texts of our own."""

from datetime import date

from outrider.intel.cleaning import clean_text
from outrider.intel.extract import build_incidents

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
