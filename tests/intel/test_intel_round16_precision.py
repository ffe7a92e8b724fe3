"""Round 16 (issue 20): records that tell no incident (a habit of attacks, a clash between two states'
forces, a kidnapping for ransom settled), on sentences of our own making."""

from datetime import date

from outrider.intel.background import GENERIC, died_later, no_attack
from outrider.intel.cleaning import clean_text
from outrider.intel.extract import build_incidents
from outrider.intel.linking import link

PUB = date(2031, 6, 18)  # a Wednesday


def _told(text: str, published: date | None = PUB) -> list[tuple[object, object]]:
    return [(i["city"], i["date"]) for i in build_incidents(clean_text(text).lines, published)]


def test_a_habit_of_attacks_is_no_attack() -> None:
    for said in (
        "Grid stations have repeatedly been attacked in Turbat and Kech, officials said.",
        "Police posts on the highway have been attacked several times this year, officials said.",
        "Militants have repeatedly targeted the railway line in the district.",
        "The bazaar had been hit before, residents said.",
    ):
        assert GENERIC.search(said), said
    # the habit that goes on to tell one attack tells it
    for said in (
        "The airport has been hit by attacks before, including the suicide bombing at its gate in 2029.",
        "The port has been attacked before, when a grenade wounded two guards in 2029.",
        "Three policemen have been attacked in Turbat on Monday night.",
    ):
        assert not GENERIC.search(said), said
    text = (
        "Mobile towers torched in Turbat\n\nTURBAT: Gunmen set fire to two mobile towers in Turbat on Monday "
        "night, officials said. Telecom installations have repeatedly been attacked in Turbat and Kech "
        "since November last year, and mobile internet has been suspended."
    )
    assert _told(text) == [("Turbat", "2031-06-16")]


def test_a_clash_between_two_states_forces_is_no_incident() -> None:
    text = (
        "Pakistani and Afghan border forces exchange fire at Torkham; crossing shut\n\n"
        "TORKHAM - Pakistani and Afghan border forces exchanged fire at Torkham on Monday afternoon. Two "
        "Pakistani soldiers were injured, an official said, and mortar shells damaged two houses."
    )
    assert _told(text) == []
    # a group's attack the same report tells is an incident still
    attacked = text + " Separately, gunmen attacked a police post in Torkham on Tuesday night, killing one."
    assert _told(attacked) == [("Torkham", "2031-06-17")]
    # one state's forces in the headline: their soldiers hurt are told as before
    one = text.replace("Pakistani and Afghan border forces", "Pakistani border forces")
    assert _told(one) == [("Torkham", "2031-06-16")]


def test_where_an_attacks_means_came_from_is_no_attack() -> None:
    assert no_attack("Police said the car used in the attack had been stolen in Turbat in January.")
    assert no_attack("The motorcycle used in Monday's bombing was bought in Hub; the bomber waited nearby.")
    # the same words with an attack of their own tell it
    assert not no_attack("The car used in the attack exploded near a checkpoint in Turbat, killing two.")
    text = (
        "Car bomb kills two at Kalat checkpost\n\nKALAT: A car bomb exploded at a Levies checkpost in Kalat "
        "on Monday, killing two guards, officials said. The Balochistan Liberation Army claimed the bombing "
        "on Monday afternoon. Police said the car used in the attack had been stolen in Nushki in January "
        "and that the bomber had waited on the roadside for about forty minutes."
    )
    assert _told(text) == [("Kalat", "2031-06-16")]


def test_a_record_dated_by_its_year_links_no_two_attacks_months_apart() -> None:
    def rec(doc: str, day: str, precision: str = "day") -> dict[str, object]:
        return {"doc_id": doc, "country": "AF", "city": "Kabul", "admin1": "Kabul", "date": day,
                "date_precision": precision, "attack_type": "bombing"}  # fmt: skip

    march, november, year = rec("a", "2030-03-18"), rec("b", "2030-11-24"), rec("c", "2030-01-01", "year")
    clusters = link([march, year, november])
    assert clusters[0] != clusters[2]
    # a day told a few days off joins its event by a coarser record still
    slip = rec("d", "2030-03-14")
    clusters = link([march, rec("e", "2030-03-01", "month"), slip])
    assert len(set(clusters)) == 1


def test_a_passing_mention_told_by_its_month_links_whatever_group_it_names() -> None:
    def rec(doc: str, day: str, precision: str, group: str) -> dict[str, object]:
        return {"doc_id": doc, "country": "AF", "city": "Kabul", "admin1": "Kabul", "date": day,
                "date_precision": precision, "attack_type": "bombing", "perpetrator": group}  # fmt: skip

    told = rec("a", "2030-02-11", "day", "Islamic State Khorasan Province")
    passing = rec("b", "2030-02-01", "month", "Tehrik-i-Taliban Pakistan")
    assert len(set(link([told, passing]))) == 1
    # two reports that tell the day each and name two groups still tell two attacks
    other = rec("c", "2030-02-12", "day", "Tehrik-i-Taliban Pakistan")
    other["city"] = "Jalalabad"
    assert len(set(link([told, other]))) == 2


def test_a_wounded_victim_who_died_in_hospital_tells_no_other_attack() -> None:
    assert died_later(
        "In the Badakhshan incident, the engineer reported wounded died in hospital in Kabul on 14 May."
    )
    assert died_later(
        "A wounded constable later died at the Combined Military Hospital on Monday, officials said."
    )
    # a death in hospital told with the attack itself is the attack
    assert not died_later("A guard shot by gunmen at the gate died in hospital in Kabul on 14 May.")
