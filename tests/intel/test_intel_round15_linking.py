"""One event once across reports (issue 20, fifteenth round): a complex attack told by its parts."""

from datetime import date

from outrider.intel.cleaning import clean_text
from outrider.intel.extract import build_incidents
from outrider.intel.linking import link, same_event


def _rec(
    doc: str, attack_type: str, day: str, city: str = "Mir Ali", precision: str = "day"
) -> dict[str, object]:
    return {
        "doc_id": doc,
        "date": day,
        "date_precision": precision,
        "country": "PK",
        "admin1": "Khyber Pakhtunkhwa",
        "city": city,
        "lat": 32.99,
        "lon": 70.27,
        "attack_type": attack_type,
    }


def test_a_blast_and_an_assault_at_one_town_on_one_day_are_one_complex_attack() -> None:
    # one report tells the car bomb at the checkpoint, another the gunmen who stormed it after
    blast, assault = _rec("a", "bombing", "2025-03-14"), _rec("b", "armed_assault", "2025-03-14")
    assert same_event(blast, assault)
    assert link([blast, assault]) == [0, 0]
    # a train's seizure begun with a blast on the track
    assert same_event(_rec("a", "bombing", "2031-03-10"), _rec("b", "hijacking", "2031-03-10"))


def test_a_blast_and_an_assault_on_other_days_or_towns_or_told_by_month_stay_apart() -> None:
    blast = _rec("a", "bombing", "2025-03-14")
    assert not same_event(blast, _rec("b", "armed_assault", "2025-03-15"))  # the next day
    assert not same_event(blast, {**_rec("b", "armed_assault", "2025-03-14", city="Razmak"), "lat": 32.69})
    assert not same_event(blast, _rec("b", "armed_assault", "2025-03-14", precision="month"))
    assert not same_event(blast, _rec("b", "kidnapping", "2025-03-14"))  # no part of a complex attack


LOG = (
    "Live blog: Drone attack on Mandan police station\n"
    "Published 13 September 2026, 09:30\n\n"
    "Summary: A quadcopter dropped explosives on Mandan police station in Bannu city on Saturday night.\n\n"
    "23:52 (Sat) - Residents of Mandan report two loud bangs and the sound of a drone overhead.\n\n"
    "00:10 (Sun) - Police sources: a quadcopter dropped two bombs on Mandan police station.\n\n"
    "00:34 - DPO Bannu: two of our jawans sustained injuries.\n\n"
    "01:15 - Both injured constables reach DHQ Hospital {town}. Doctors say splinter injuries to legs.\n\n"
    "18:05 - Final update: one of the two constables discharged. We end this live blog here.\n"
)


def _log_records(town: str) -> list[tuple[object, ...]]:
    got = build_incidents(clean_text(LOG.format(town=town)).lines, date(2026, 9, 13))
    return [(r["city"], r["date"]) for r in got]


def test_a_log_entry_on_the_victims_of_an_attack_told_before_is_that_attack_not_another() -> None:
    # the hospital is in the district's town: the entry tells no attack of its own, only its wounded
    assert _log_records("Bannu") == [("Mandan", "2026-09-12")]
    # an entry telling an attack of its own there stays an event of its own
    fresh = "Gunmen opened fire on a police van in Bannu, injuring two constables."
    text = LOG.format(town="Bannu").replace("Both injured constables reach DHQ Hospital Bannu.", fresh)
    got = build_incidents(clean_text(text).lines, date(2026, 9, 13))
    assert [(r["city"], r["date"]) for r in got] == [("Mandan", "2026-09-12"), ("Bannu", "2026-09-13")]


TICKER = (
    "SINDH NEWS 24 - TICKER LOG\n"
    "Tuesday, 10 February 2032 - Day desk, Karachi\n\n"
    "11:02  CTD Sindh claims to have foiled terror plot in Karachi\n"
    "11:25  CTD: Suspects linked to network behind the Korangi blast last month\n"
    "11:31  CTD: {line}\n"
    "11:40  Suspects being shifted to CTD Civil Lines for interrogation\n\n"
    'Desk note: the 11:25 line originally read "Korangi blast last week" - corrected to "last month".\n'
)


def _ticker(line: str) -> list[tuple[object, ...]]:
    got = build_incidents(clean_text(TICKER.format(line=line)).lines, date(2032, 2, 10))
    return [(r["location_text"], r["date"], r["date_precision"]) for r in got]


def test_a_ticker_line_naming_an_attack_told_before_by_its_place_is_that_attack_of_its_own_day() -> None:
    # "Korangi blast had killed two": last month's blast, not one of the ticker's day; nor is the correction
    assert _ticker("Korangi blast had killed two policemen near a police van") == [
        ("Korangi", "2032-01-01", "month")
    ]
    # a line telling an attack elsewhere that day is its own
    fresh = "Grenade attack on a police post in Lyari, two policemen injured"
    assert ("in Lyari", "2032-02-10", "day") in _ticker(fresh)


def test_two_groups_named_for_one_towns_attack_of_one_day_do_not_split_it() -> None:
    bla = {**_rec("a", "bombing", "2025-05-06", city="Turbat"), "perpetrator": "Balochistan Liberation Army"}
    blf = {**_rec("b", "bombing", "2025-05-06", city="Turbat"), "perpetrator": "Balochistan Liberation Front"}
    assert same_event(bla, blf)  # one report credits a claim, another a rival's
    # two days apart, the groups still tell two attacks; told only by month, a passing mention's group may be
    # its report's main story's (round 16: the month's record at the town is that attack)
    assert same_event(bla, {**blf, "date": "2025-05-01", "date_precision": "month"})
    assert not same_event(bla, {**blf, "date": "2025-05-08"})
    assert not same_event(bla, {**blf, "date": "2025-05-01", "date_precision": "month", "city": "Kech"})


def test_a_village_and_its_districts_seat_on_one_day_are_one_place() -> None:
    paras = {**_rec("a", "armed_assault", "2026-02-27", city="Paras"), "lat": 34.64, "lon": 73.45}
    seat = {**_rec("b", "armed_assault", "2026-02-27", city="Mansehra"), "lat": 34.33, "lon": 73.2}
    assert same_event(paras, seat)  # a far report names the district by its seat, a near one the village
    assert not same_event(paras, {**seat, "date": "2026-02-28"})  # another day: another attack
    assert not same_event(paras, {**seat, "city": "Abbottabad", "lat": 34.15, "lon": 73.21})  # another seat


def test_a_town_and_its_district_told_by_name_on_one_day_are_one_place() -> None:
    town = {**_rec("a", "armed_assault", "2026-02-17", city="Qalaikhumb"), "country": "TJ", "admin1": None}
    district = {**town, "doc_id": "b", "city": "Darvoz"}  # the district, told as where it was
    assert same_event(town, district)
    assert not same_event(town, {**district, "date": "2026-02-18"})
