"""One event once across reports (issue 20, fifteenth round): a complex attack told by its parts."""

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
