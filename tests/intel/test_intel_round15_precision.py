"""Round 15 (issue 20): records that tell no incident, and the places of the ones told, on sentences of our
own making."""

from datetime import date

from outrider.intel.background import no_attack
from outrider.intel.cleaning import clean_text
from outrider.intel.extract import build_incidents

PUB = date(2031, 6, 18)  # a Wednesday


def _incidents(text: str, published: date | None = PUB) -> list[dict[str, object]]:
    return build_incidents(clean_text(text).lines, published)


def _told(text: str) -> list[tuple[object, object]]:
    return [(i["city"], i["date"]) for i in _incidents(text)]


def test_separately_at_a_town_and_day_told_before_is_that_event_again() -> None:
    text = (
        "Flash update\n\n"
        "• On 14 June, a bomb exploded in a mosque in Quetta, killing five people.\n"
        "• On 12 June, an IED struck a car in Turbat, killing two people.\n\n"
        "At around noon on 14 June, a device exploded inside the mosque in Quetta during prayers. "
        "Separately, on 12 June, an IED struck a car on a road in Turbat. Two civilians were killed."
    )
    assert sorted(_told(text)) == [("Quetta", "2031-06-14"), ("Turbat", "2031-06-12")]
    # after the event it tells again, "Separately" still tells another event
    again = (
        "Report\n\nA bomb exploded in Turbat on 12 June. Separately, on 12 June, gunmen shot a man in Turbat."
    )
    assert _told(again) == [("Turbat", "2031-06-12"), ("Turbat", "2031-06-12")]


def test_a_road_named_after_a_town_is_not_that_town() -> None:
    text = (
        "Grenade attack in Rawalpindi\n\nRAWALPINDI: Two men hurled a grenade at a police van parked on "
        "Murree Road near Committee Chowk on Monday night, wounding two constables, police said."
    )
    assert [i["city"] for i in _incidents(text)] == ["Rawalpindi"]
    # the town written after the road is where it is
    listed = (
        "Reply\n\nOn 22nd May, 2030, a grenade was thrown at a van on Sakrand Road, Nawabshah, wounding four."
    )
    assert [i["city"] for i in _incidents(listed)] == ["Nawabshah"]


def test_an_area_of_a_town_no_district_is_named_after_is_the_towns() -> None:
    said = "Post attacked\n\nOn Monday militants attacked a post in the Zarkhel area of {}, killing two."
    assert [i["city"] for i in _incidents(said.format("Sadiqabad"))] == ["Saddiqabad"]
    # a town its district is named after names the district, whose areas lie far from it
    assert [i["city"] for i in _incidents(said.format("Chitral"))] == ["Zarkhel"]


def test_an_attack_another_is_told_against_by_whether_is_not_its_place() -> None:
    text = (
        "Blast at plant\n\nMULTAN: A bomb damaged the wall of a power plant in Multan on Tuesday night. "
        "Investigators are examining whether the Multan blast is linked to the sabotage of two transformers "
        "at a solar park in Bahawalpur on 2 May."
    )
    assert sorted(_told(text)) == [("Bahawalpur", "2031-05-02"), ("Multan", "2031-06-17")]


def test_a_toll_that_denies_any_hurt_or_a_robbery_tells_no_attack() -> None:
    assert no_attack("She was not hurt.")
    assert no_attack("Nothing suggests she was targeted; the same gang has robbed six people this month.")
    # with the attack told, the mention is the attack's
    assert not no_attack("A bomb exploded outside a bank in F-7 on Thursday night. No one was hurt.")


def test_a_convoy_told_by_its_route_is_where_the_sentence_says_it_was_hit() -> None:
    text = "Jirga\n\nThe jirga condemned the attack on the Parachinar–Thall convoy near Sadda on 9 June."
    assert _told(text) == [("Sadda", "2031-06-09")]


def test_a_town_set_beside_a_named_site_is_the_attacks_place() -> None:
    text = (
        "Advisory\n\nOn 14 June a man threw a hand grenade at the main gate of Shahid Beheshti port, "
        "Chabahar, Sistan and Baluchestan province."
    )
    assert [i["city"] for i in _incidents(text)] == ["Chabahar"]


def test_sabotage_is_an_attack_and_incidents_of_it_or_a_threat_alert_are_none() -> None:
    text = (
        "Towers down\n\nThe network had a hand in the sabotage of transmission towers near Jamshoro on "
        "12 May, which cut power to parts of Hyderabad."
    )
    assert _told(text) == [("Jamshoro", "2031-05-12")]
    week = "Weekly report\n\nIncidents of terrorism and sabotage were reported in Ghotki in May 2031."
    assert _incidents(week) == []
    alert = "Alert\n\nA threat alert was issued in May 2031 for the gas pipeline near Jamshoro."
    assert _incidents(alert) == []


def test_attacks_that_have_killed_so_many_since_a_day_are_a_tally() -> None:
    text = (
        "By the numbers\n\nBy our count, militant attacks in Khyber Pakhtunkhwa have killed 61 people since "
        "January 1, compared with 48 in the same period last year."
    )
    assert _incidents(text) == []


def test_where_a_bomber_went_before_the_attack_is_no_attack() -> None:
    assert no_attack(
        "Officials say the bomber crossed from Afghanistan in July and stayed in a room in Chaman."
    )
    # the doer's movement told with the attack is the attack's
    assert not no_attack("The bomber crossed the road and blew himself up at the gate of the post in Chaman.")
