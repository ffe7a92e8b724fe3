"""Places and dates of reports of kinds the extractor had not met (issue 20, tenth round), on texts of our
own: hard-wrapped logs and circulars, addresses that name a small town beside a site, report stamps."""

from datetime import date

from outrider.intel.cleaning import clean_text
from outrider.intel.extract import build_incidents
from outrider.intel.gazetteer import lookup
from outrider.intel.published import find_published

PUB = date(2031, 6, 19)  # a Thursday


def _records(text: str) -> list[dict[str, object]]:
    return build_incidents(clean_text(text).lines, PUB)


def _places(text: str) -> list[tuple[object, object]]:
    return [(r["date"], r["city"]) for r in _records(text)]


def test_the_area_of_a_small_town_names_the_town() -> None:
    text = (
        "Post attacked\n\nDacoits fired rockets at a police post in the riverine area of Keshupur on Tuesday."
    )
    assert _places(text) == [("2031-06-17", "Keshupur")]


def test_a_small_town_after_a_sites_name_is_where_the_site_lies() -> None:
    text = "Post attacked\n\nDacoits attacked Police Post Dhok Lal, Keshupur, with rockets on Tuesday night."
    assert _places(text) == [("2031-06-17", "Keshupur")]


def test_an_address_goes_on_past_its_area_to_the_tehsil() -> None:
    text = (
        "Daily emergency report\n\n"
        "Call received from the police on Tuesday: terrorist attack at Police Post Dhok Lal, riverine area, "
        "Tehsil Keshupur, at about four in the morning."
    )
    assert _places(text) == [("2031-06-17", "Keshupur")]


def test_a_hospital_named_before_its_town_is_no_site() -> None:
    text = (
        "Post attacked\n\n"
        "Dacoits attacked a police post in Kharan on Tuesday night, killing a constable.\n"
        "Two constables were injured and referred to Civil Hospital, Bhakkar, on Wednesday."
    )
    assert _places(text) == [("2031-06-17", "Kharan")]


def test_a_reports_generated_or_compiled_stamp_is_its_publication() -> None:
    lines = [
        "DISTRICT EMERGENCY OFFICE",
        "DAILY REPORT",
        "Report No. DER/067/2031          Generated: 19-06-2031 08:12",
    ]
    assert find_published(lines, set()) == (date(2031, 6, 19), True)
    assert find_published(["SECURITY LOG", "Report compiled: 20/06/2031"], set()) == (date(2031, 6, 20), True)
    # the page's render stamp and who compiled a report are no publication
    assert find_published(["Page generated 14/08/2031 09:12"], set())[0] is None
    assert find_published(["SECURITY LOG", "Compiled by: Security Manager"], set())[0] is None


def test_a_headlines_town_before_the_site_attacked_is_the_attacks_town() -> None:
    text = (
        "Soldier dies after Zarkand post attack\n\n"
        "BANNU: A soldier injured in the attack on a security post near Zarkand on Tuesday died in hospital "
        "on Wednesday, officials said."
    )
    assert [(r["date"], r["city"], r["admin1"]) for r in _records(text)] == [
        ("2031-06-17", "Zarkand", "Khyber Pakhtunkhwa")
    ]


def test_a_town_near_which_a_road_was_hit_is_the_site_not_the_roads_ends() -> None:
    text = (
        "Order\n\n"
        "WHEREAS a police van was hit by a roadside bomb near Zarkand on the Bannu-Kohat road on 3 April "
        "2031, killing two constables, and traders in Karak went on strike;"
    )
    assert [(r["date"], r["city"], r["admin1"]) for r in _records(text)] == [
        ("2031-04-03", "Zarkand", "Khyber Pakhtunkhwa")
    ]


def test_a_town_set_beside_the_site_before_the_toll_is_the_attacks_town() -> None:
    text = (
        "Levies attacked\n\n"
        "On Tuesday a remote-controlled device struck a Levies vehicle on the road to the border gate, "
        "Kharan, martyring two Levies personnel and injuring three."
    )
    assert _places(text) == [("2031-06-17", "Kharan")]


def test_kyrgyzstans_cities_and_regions_and_border_towns_are_places() -> None:
    osh, region = lookup("Osh"), lookup("Batken Region")
    assert osh is not None and (osh.name, osh.admin1, osh.country) == ("Osh", "Osh", "KG")
    assert region is not None and (region.name, region.admin1, region.kind) == (None, "Batken", "admin1")
    airport = lookup("Osh International Airport")
    assert airport is not None and (airport.name, airport.site) == ("Osh", "Osh International Airport")
    for town, province in (
        ("Jandola", "Khyber Pakhtunkhwa"),
        ("Arandu", "Khyber Pakhtunkhwa"),
        ("Hairatan", "Balkh"),
    ):
        place = lookup(town)
        assert place is not None and (place.name, place.admin1) == (town, province)
    text = "Blast\n\nA bomb went off in the car park of Osh airport on Tuesday night, wounding two porters."
    assert [(r["date"], r["city"], r["country"]) for r in _records(text)] == [("2031-06-17", "Osh", "KG")]


def test_the_far_end_of_a_road_told_from_its_first_town_is_no_site() -> None:
    text = (
        "Bomber blows himself up at check post near Tank school\n\n"
        "A suicide bomber blew himself up on Tuesday morning at a police check post outside a school on the "
        "Tank-Pezu road, injuring two policemen."
    )
    assert _places(text) == [("2031-06-17", "Tank")]


def test_the_dateline_town_places_an_attack_of_the_days_before_not_one_months_before() -> None:
    from outrider.intel.mentions import mentions_of

    lead = "QUETTA: A court on Wednesday remanded three men arrested over the {} bombing of a van."
    recent = mentions_of(lead.format("Monday"), 0, PUB, False)
    older = mentions_of(lead.format("February 24"), 0, PUB, False)
    assert [m.place and m.place.name for m in recent] == ["Quetta"]
    assert [(m.when.value, m.place) for m in older] == [(date(2031, 2, 24), None)]
