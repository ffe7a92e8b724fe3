"""Round 15 (issue 20): records that tell no incident, and the places of the ones told, on sentences of our
own making."""

from datetime import date

from outrider.intel.cleaning import clean_text
from outrider.intel.extract import build_incidents

PUB = date(2031, 6, 18)  # a Wednesday


def _incidents(text: str, published: date | None = PUB) -> list[dict[str, object]]:
    return build_incidents(clean_text(text).lines, published)


def _told(text: str) -> list[tuple[object, object]]:
    return [(i["city"], i["date"]) for i in _incidents(text)]


def test_the_first_attack_since_a_month_tells_no_attack_that_month() -> None:
    lead = "Guard killed in Turbat\n\nGunmen shot dead a guard at a bank in Turbat on Monday, police said. "
    assert _told(lead + "It was the first attack on security forces in the town since January.") == [
        ("Turbat", "2031-06-16")
    ]
    # "since" followed by an attack tells that attack
    assert _told(
        lead + "It was the first attack in the town since a grenade was thrown at a post in February."
    ) == [
        ("Turbat", "2031-06-16"),
        ("Turbat", "2031-02-01"),
    ]
