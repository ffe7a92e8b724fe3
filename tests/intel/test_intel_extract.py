from datetime import date

from outrider.intel.casualties import casualties
from outrider.intel.cleaning import clean_text
from outrider.intel.extract import build_incidents
from outrider.intel.linking import link, reconcile
from outrider.intel.victim_groups import home_country


def _one(text: str, published: date | None = date(2030, 4, 10)) -> list[dict[str, object]]:
    return build_incidents(clean_text(text).lines, published)


def test_casualty_forms() -> None:
    assert casualties("The blast killed at least 17 people and wounded two dozen.").killed == 17
    assert casualties("The blast killed at least 17 people and wounded two dozen.").wounded == 24
    got = casualties("Gunmen shot dead four Chinese technicians and their local driver.")
    # the local driver is of the incident's country ("" until the record folds it in)
    assert got.killed == 5 and home_country(got.killed_by_nationality, "PK") == {"CN": 4, "PK": 1}
    assert casualties("Troops killed six militants after the siege.").killed is None
    assert casualties("Nobody was killed in the explosion.").killed == 0


def test_a_breakdown_after_including_is_not_added_to_the_total() -> None:
    got = casualties("Gunmen fired on the convoy, killing four people, including two guards, police said.")
    assert got.killed == 4
    got = casualties("The car bomb killed 11 people, among them three Chinese engineers, and wounded 20.")
    # the eight the breakdown leaves out are locals ("" = the incident's country)
    assert (got.killed, got.killed_by_nationality, got.wounded) == (11, {"CN": 3, "": 8}, 20)
    got = casualties("The car bomb killed 11 people, among them three Chinese engineers and two policemen.")
    # locals already broken down: left partial
    assert home_country(got.killed_by_nationality, "PK") == {"CN": 3, "PK": 2}
    assert casualties("The blast killed two policemen and three passers-by.").killed == 5  # parts still add


def test_incident_fields_from_new_phrasing() -> None:
    incs = _one(
        "Car bomb hits convoy of Chinese engineers in Gwadar\n\n"
        "A suicide bomber rammed an explosives-laden car into a convoy carrying Chinese engineers in Gwadar "
        "on Tuesday, killing three Chinese engineers and a soldier. "
        "The Baloch Liberation Army claimed the attack."
    )
    assert len(incs) == 1
    inc = incs[0]
    assert inc["city"] == "Gwadar" and inc["admin1"] == "Balochistan" and inc["country"] == "PK"
    assert inc["date"] == "2030-04-09" and inc["date_precision"] == "day"
    assert (inc["attack_type"], inc["weapon"], inc["suicide"]) == ("bombing", "vbied", True)
    assert inc["target_type"] == "foreign_workers"
    assert (
        inc["killed"] == 4 and inc["perpetrator"] == "Balochistan Liberation Army" and inc["claimed"] is True
    )


def test_two_events_in_one_document() -> None:
    incs = _one(
        "Gunmen storm police post in Bannu\n\nGunmen stormed a police post in Bannu on Monday, killing two "
        "constables. The raid came two months after a roadside bomb hit a bus in Quetta."
    )
    cities = sorted(str(i["city"]) for i in incs)
    assert cities == ["Bannu", "Quetta"]


def test_state_action_document_has_no_main_story() -> None:
    incs = _one(
        "Court sentences two men over Lahore bombing\n\nA court sentenced two men on Monday for the "
        "bombing of a market in Lahore in March 2027 that killed nine people."
    )
    assert all(i["main_story"] is False for i in incs)


def test_linking_and_reconciliation() -> None:
    a = {
        "doc_id": "a",
        "country": "PK",
        "city": "Quetta",
        "admin1": "Balochistan",
        "lat": 30.18,
        "lon": 66.99,
        "date": "2030-01-05",
        "date_precision": "day",
        "attack_type": "bombing",
    }
    b = {
        "doc_id": "b",
        "country": "PK",
        "city": None,
        "admin1": "Balochistan",
        "lat": None,
        "lon": None,
        "date": "2030-01-01",
        "date_precision": "month",
        "attack_type": "bombing",
    }
    c = {
        "doc_id": "c",
        "country": "PK",
        "city": "Quetta",
        "admin1": "Balochistan",
        "lat": 30.18,
        "lon": 66.99,
        "date": "2031-06-01",
        "date_precision": "day",
        "attack_type": "bombing",
    }
    clusters = link([a, b, c])
    assert clusters[0] == clusters[1] != clusters[2]
    merged = reconcile([a, b, c], clusters)
    assert merged[1]["city"] == "Quetta" and merged[1]["date"] == "2030-01-05"
