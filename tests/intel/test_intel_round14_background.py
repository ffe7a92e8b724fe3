"""Detection, fourteenth round, second pass: background attacks that were never found (our own sentences)."""

from datetime import date

import pytest

from outrider.intel.cleaning import clean_text
from outrider.intel.extract import build_incidents
from outrider.intel.gazetteer import find_places
from outrider.intel.published import find_published

PUB = date(2031, 6, 18)  # a Wednesday


def _incidents(text: str, published: date | None = PUB) -> list[dict[str, object]]:
    return build_incidents(clean_text(text).lines, published)


def _towns(text: str) -> list[str | None]:
    return [h.place.name for h in find_places(text)]


@pytest.mark.parametrize(
    "said",
    [
        "a roadside bomb near the Jamshoro power plant injured two technicians",
        "a sticky bomb was attached to a car at the Jamshoro power plant",
        "gunmen fired on a van outside the Jamshoro power station",
    ],
)
def test_a_plant_named_after_its_town_and_told_as_where_is_at_the_town(said: str) -> None:
    assert "Jamshoro" in _towns(said)


@pytest.mark.parametrize(
    "said",
    [
        "engineers of the Jamshoro power plant were attacked in Hyderabad",
        "a van carrying staff to the Jamshoro power plant was hit in Hyderabad",
    ],
)
def test_a_plant_named_after_its_town_is_not_where_its_staff_were_attacked(said: str) -> None:
    assert "Jamshoro" not in _towns(said)


def test_a_background_attack_near_a_plant_named_after_its_town_is_found() -> None:
    text = (
        "Grenade hurled at factory gate in Karachi\n\n"
        "KARACHI: Two workers were injured when a grenade was hurled at a factory gate in Karachi on "
        "Tuesday. "
        "In November last year, a roadside bomb near the Jamshoro power plant killed a police escort."
    )
    found = {(i["city"], i["date"]) for i in _incidents(text)}
    assert ("Jamshoro", "2030-11") in {(c, str(d)[:7]) for c, d in found}


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("2031-06-17 16:35:08  Source: Tianshan Wire  Editor: Ma Jing", date(2031, 6, 17)),
        ("2031-06-17 10:30   Source: Consular Section   [Large] [Medium] [Small]", date(2031, 6, 17)),
    ],
)
def test_a_portals_stamp_with_its_source_is_the_publication(line: str, day: date) -> None:
    lines = ["OUTLET NEWS | English", "Home | China | World", "", "Grenade attack in Karachi", "", line]
    assert find_published(lines, set()) == (day, True)


def test_a_claim_for_the_attack_just_told_named_by_its_town_is_no_new_attack() -> None:
    text = (
        "Four sentenced for Kashgar attack\n\n"
        "Courts sentenced four people on Tuesday for the attack in Kashgar on March 30, in which gunmen "
        "killed six people. Earlier this month a group claimed responsibility for the Kashgar violence in an "
        "online video."
    )
    found = [(i["city"], i["date"]) for i in _incidents(text)]
    assert found == [("Kashgar", "2031-03-30")]


@pytest.mark.parametrize(
    ("said", "town"),
    [
        ("In January 2030 eleven miners were murdered near Mach.", "Mach"),
        (
            "Then came the burning of machinery at a construction camp near Hoshab on 25 February 2030.",
            "Hoshab",
        ),
        ("The burning of vehicles at a depot near Hoshab on 25 February 2030 cost millions.", "Hoshab"),
    ],
)
def test_a_background_attack_told_by_murder_or_burning_of_property_is_found(said: str, town: str) -> None:
    text = "Security review\n\nQUETTA: Officials met on Tuesday to review security in the province. " + said
    assert town in {i["city"] for i in _incidents(text)}


@pytest.mark.parametrize(
    "said",
    [
        "Protesters blocked the road near Hoshab on 25 February 2030; the burning of tyres went on.",
        "The burning of an effigy near Hoshab on 25 February 2030 ended the rally.",
    ],
)
def test_a_protests_burning_is_no_attack(said: str) -> None:
    text = "Security review\n\nQUETTA: Officials met on Tuesday to review security in the province. " + said
    assert "Hoshab" not in {i["city"] for i in _incidents(text)}


def test_the_burning_of_machinery_is_an_attack_on_a_facility() -> None:
    text = (
        "Security review\n\nQUETTA: Officials met on Tuesday to review security in the province. "
        "Then came the burning of machinery at a construction camp near Hoshab on 25 February 2030, "
        "in which no life was lost."
    )
    found = [i for i in _incidents(text) if i["city"] == "Hoshab"]
    assert [i["attack_type"] for i in found] == ["facility_attack"]


def test_two_attacks_in_two_quarters_of_one_city_on_one_day_are_two_records() -> None:
    text = (
        "Chinese technician hurt as gunman opens fire on car in Korangi\n\n"
        "KARACHI: A Chinese technician was wounded on Tuesday evening when a gunman opened fire on his car "
        "in the Korangi Industrial Area, police said.\n\n"
        "IN BRIEF\n\n"
        "A hand grenade was hurled at the gate of a container yard in Keamari on Tuesday night."
    )
    found = sorted((str(i["location_text"]), i["date"]) for i in _incidents(text))
    assert len(found) == 2 and found[0][1] == found[1][1] == "2031-06-17"


def test_one_attack_told_at_a_quarter_and_at_its_city_stays_one_record() -> None:
    text = (
        "Chinese technician hurt as gunman opens fire on car in Korangi\n\n"
        "KARACHI: A Chinese technician was wounded on Tuesday evening when a gunman opened fire on his car "
        "in the Korangi Industrial Area, police said. The attack in Karachi was the third this year."
    )
    assert len(_incidents(text)) == 1
