"""Issue 20: an event a state's act opens (an arrest, a hearing) and dates is no incident; the attack it
points back at keeps its own date. Sentences of our own making."""

from datetime import date

from outrider.intel.cleaning import clean_text
from outrider.intel.extract import build_incidents

PUB = date(2031, 6, 20)  # a Friday


def _told(text: str) -> list[tuple[object, object]]:
    return [(i["city"], i["date"]) for i in build_incidents(clean_text(text).lines, PUB)]


def test_an_arrest_dated_by_its_own_day_is_no_incident() -> None:
    text = (
        "Two arrested over Turbat convoy attack\n\n"
        "TURBAT: Police in Kech have arrested two men suspected of firing on a truck convoy near Turbat last "
        "week. The district police officer told reporters that the suspects were arrested on Thursday in a "
        "raid on a house near Turbat. He said the attack was linked to a dispute among transporters at "
        "Turbat.\n\n"
        "In the attack on the evening of June 11, gunmen fired on a convoy of ten trucks near Turbat. Two "
        "drivers were wounded."
    )
    assert _told(text) == [("Turbat", "2031-06-11")]


def test_a_hearing_dated_by_its_sitting_is_no_incident() -> None:
    text = (
        "Trial of three suspects in Panjgur post case opens\n\n"
        "The first hearing in the case of three men accused of involvement in the attack on the Kalagan "
        "border post of Panjgur was held on Monday in Branch 1 of the anti-terrorism court of Quetta, "
        "the court's registrar said.\n\n"
        "The three defendants are charged with providing logistical support to the team that attacked "
        "the post in May. According to the charge sheet, the defendants provided a vehicle and a safe "
        "house near Panjgur to the attackers.\n\n"
        "In the attack, four guards were martyred and two were wounded."
    )
    assert _told(text) == [("Kalagan", "2031-05-01")]


def test_an_arrest_that_tells_the_attack_at_its_date_stays_an_incident() -> None:
    for said in (
        "Police arrested three men who helped the bomber who attacked a checkpost near Turbat on Tuesday, "
        "killing two soldiers.",
        "Police said on Friday they had arrested two men over Tuesday's rocket attack on a camp near Turbat, "
        "in which two guards were killed.",
    ):
        assert _told("Three held over Turbat attack\n\n" + said) == [("Turbat", "2031-06-17")], said


def test_a_kidnapping_is_dated_by_its_abduction_not_its_release() -> None:
    text = (
        "Abducted engineers return home\n\n"
        "TURBAT: Four engineers who were kidnapped from a dam site near Turbat last month were released on "
        "June 18 after a jirga, officials said."
    )
    assert _told(text) == [("Turbat", "2031-05-01")]
    # the abduction's own day stays where the words give it
    own_day = text.replace("last month", "on June 2")
    assert _told(own_day) == [("Turbat", "2031-06-02")]
