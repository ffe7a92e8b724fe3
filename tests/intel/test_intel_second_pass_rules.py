"""Phrasings news writers use anywhere (issue 20, second pass): tolls, places, dates; sentences of our own."""

from datetime import date

import pytest

from outrider.intel.casualties import casualties
from outrider.intel.cleaning import clean_text
from outrider.intel.dates import resolve_event_date
from outrider.intel.event_dates import relative_to
from outrider.intel.extract import build_incidents
from outrider.intel.gazetteer import find_places

PUB = date(2031, 6, 18)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "killed", "wounded"),
    [
        # an appositive between the subject and its verb breaks the subject down
        ("Six guards, a supervisor among them, were killed at the depot.", 6, None),
        ("Nine people, two of them nurses, were injured in the blast.", None, 9),
        ("Three wardens, including the chief warden, lost their lives in the raid.", 3, None),
        # a single victim's "lost his life"
        ("One watchman lost his life when the gate was rushed.", 1, None),
        # an official's count given as "put the number of ... killed at"
        ("The district office put the number of rangers killed in the valley at seven.", 7, None),
        ("Officials put the number of the dead at eleven on Monday.", 11, None),
        # a figure's breakdown after it does not come first ("at four, including an officer")
        ("The army put the number of troops killed at four, including a captain.", 4, None),
        # "three of them were killed": a part of a group told before, not a toll of its own
        ("Gunmen rushed the gate. Two of them were killed by the guards.", None, None),
    ],
)
def test_subjects_and_official_counts(text: str, killed: int | None, wounded: int | None) -> None:
    got = casualties(text)
    assert (got.killed, got.wounded) == (killed, wounded)


def test_an_appositive_with_nationalities_breaks_the_toll_down() -> None:
    got = casualties("Five technicians, three of them Chinese, were killed when the bus was hit.")
    assert got.killed == 5
    assert got.killed_by_nationality == {"CN": 3, "": 2}


@pytest.mark.parametrize(
    ("text", "killed", "wounded"),
    [
        # the attackers' own count is a claim, not the toll
        (
            "The group said its men had killed more than twenty guards; officials said one guard died.",
            1,
            None,
        ),
        ("The rebels, claiming to have killed nine troops, posted a video. Two troops were killed.", 2, None),
        # "along with": the victims who died beside the attackers
        ("Five raiders stormed the mill; all of them were killed, along with three watchmen.", 3, None),
        # the victim named before "N others" counts too
        ("The bomb killed the mayor and eleven others at the fair.", 12, None),
        (
            "A sniper fired on the car, wounding the governor in the arm and injuring nine others.",
            None,
            10,
        ),
        ("The blast killed four porters and six others.", 10, None),
        ("A gunman opened fire in the pharmacy, wounding the chemist and his wife.", None, 2),
        ("A gunman opened fire in the pharmacy, wounding two clerks and his wife.", None, 3),
        # a dash introduces the victims named one by one, not more victims
        (
            "The van hit the crowd, killing two hikers - a woman from the coast and a man from the hills.",
            2,
            None,
        ),
        # a subject naming victims and attackers: the victims
        ("It was a raid in which three rangers and five gunmen were killed.", 3, None),
    ],
)
def test_claims_companions_and_named_victims(text: str, killed: int | None, wounded: int | None) -> None:
    got = casualties(text)
    assert (got.killed, got.wounded) == (killed, wounded)


def test_the_town_of_a_statement_is_not_the_site_of_the_attack() -> None:
    text = (
        "Raiders hit a levy post near Turbat\n"
        "Raiders attacked a levy post near Turbat on Monday night, officials said.\n"
        "The provincial minister told a news conference in Quetta on Tuesday that three levies were killed"
        " and five others injured in the attack."
    )
    got = build_incidents(clean_text(text).lines, PUB)
    assert [(inc["city"], inc["killed"], inc["wounded"]) for inc in got] == [("Turbat", 3, 5)]


# --- attacks of the same time at two towns ------------------------------------------------------------


def test_an_undated_attack_at_a_town_told_with_the_main_one_is_an_attack_of_the_same_time() -> None:
    text = (
        "Raiders strike two levy posts\n"
        "Raiders stormed a levy post in Turbat late on Monday, officials said.\n"
        "Five levies were killed in the fighting at Turbat and at Gwadar, the officials added.\n"
        "At Gwadar, attackers tried to climb the wall of another post.\n"
        "Two levies lost their lives there.\n"
        "The Balochistan Liberation Army claimed both attacks; police also questioned members of the"
        " Tehrik-i-Taliban Pakistan."
    )
    got = build_incidents(clean_text(text).lines, PUB)
    rows = [(inc["city"], inc["date"], inc["perpetrator"], inc["claimed"]) for inc in got]
    assert rows == [
        ("Turbat", "2031-06-16", "Balochistan Liberation Army", True),
        ("Gwadar", "2031-06-16", "Balochistan Liberation Army", True),
    ]
    assert got[1]["killed"] == 2


def test_an_undated_attack_at_a_town_named_only_as_background_is_no_event() -> None:
    text = (
        "Raiders strike a levy post\n"
        "Raiders stormed a levy post in Turbat late on Monday, officials said, the worst attack since one"
        " in Gwadar.\n"
        "At Gwadar, attackers once tried to climb the wall of another post."
    )
    got = build_incidents(clean_text(text).lines, PUB)
    assert [inc["city"] for inc in got] == ["Turbat"]


def test_the_date_a_sentence_opens_with_dates_each_attack_it_lists() -> None:
    text = (
        "A front's long campaign\n"
        "In 2027 the front sent a bomber against a convoy near Turbat, and four gunmen against the customs"
        " house in Gwadar."
    )
    got = build_incidents(clean_text(text).lines, PUB)
    assert [(inc["city"], inc["date"], inc["date_precision"]) for inc in got] == [
        ("Turbat", "2027-01-01", "year"),
        ("Gwadar", "2027-01-01", "year"),
    ]


@pytest.mark.parametrize(
    ("sentence", "towns"),
    [
        ("Islamabad said the gunmen had been aiming at its envoy.", []),
        ("Kabul has denied that the attackers crossed from its side.", []),
        ("The embassy in Islamabad condemned the attack.", ["Islamabad"]),
        ("A bomb went off in Kabul on Monday.", ["Kabul"]),
    ],
)
def test_a_capital_that_speaks_is_its_government_not_a_site(sentence: str, towns: list[str]) -> None:
    assert [h.place.name for h in find_places(sentence) if not h.is_region] == towns


@pytest.mark.parametrize(
    ("segment", "want"),
    [
        # the attack named after "after" is the reference point: the segment tells nothing that followed
        ("One year after the bombing of the depot, the town's market is still shut.", None),
        ("Two months after that attack, the bridge has not reopened.", None),
        # another attack told after it is dated from the anchor
        ("Three months after the bombing, gunmen raided the bank in the bazaar.", (2031, 1)),
    ],
)
def test_an_attack_told_as_the_reference_of_after_is_not_dated_from_the_anchor(
    segment: str, want: tuple[int, int] | None
) -> None:
    got = relative_to(segment, date(2031, 4, 10))
    assert (None if got is None or got.value is None else (got.value.year, got.value.month)) == want


# --- years and anchors --------------------------------------------------------------------------------


def test_a_year_written_before_the_attack_dates_it() -> None:
    got = resolve_event_date(
        "Relatives marked the anniversary of the 2019 suicide bombing at the market.", PUB
    )
    assert (got.value, got.precision) == (date(2019, 1, 1), "year")


def test_a_generic_sentence_joined_to_an_attack_does_not_date_it() -> None:
    text = (
        "Faction named a terrorist entity\n"
        "A faction that claimed the 2027 suicide bombing at the Chaman crossing was named a terror group.\n"
        "The faction, founded in May 2027, had staged attacks on police in the region."
    )
    got = build_incidents(clean_text(text).lines, PUB)
    assert [(inc["city"], inc["date"], inc["date_precision"]) for inc in got] == [
        ("Chaman", "2027-01-01", "year")
    ]


def test_a_report_without_publication_counts_from_a_calendar_date_only_in_its_lead() -> None:
    # told in the lead, the attack is the news: "last year" is counted from its day; told deep in the
    # report, it may be a background attack years older than the report: nothing is counted from it
    attack = (
        "On March 3, 2027, a suicide bomber attacked a rally in Quetta, killing nine people.\n"
        "In August last year, gunmen stormed a bank in Turbat.\n"
    )
    lead = "Bomber strikes rally in Quetta\n" + attack
    got = build_incidents(clean_text(lead).lines, None)
    assert [(inc["city"], inc["date"]) for inc in got] == [("Quetta", "2027-03-03"), ("Turbat", "2026-08-01")]
    filler = "The provincial assembly met to debate the budget, the water supply and the roads of the north. "
    deep = "Assembly debates the budget\n" + filler * 5 + "\n" + attack
    got = build_incidents(clean_text(deep).lines, None)
    assert [(inc["city"], inc["date"]) for inc in got] == [("Quetta", "2027-03-03")]


# --- claims -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "denial",
    [
        "No organisation has so far claimed responsibility.",
        "No group has said it carried out the bombing.",
        "No group has said it was behind the attack.",
    ],
)
def test_no_claim_phrasings(denial: str) -> None:
    text = (
        "Bomb hits market in Quetta\n"
        "A bomb exploded in a market in Quetta on Monday, killing four people, police said.\n"
        f"Officials suspected the Tehrik-i-Taliban Pakistan. {denial}"
    )
    got = build_incidents(clean_text(text).lines, PUB)
    assert [(inc["perpetrator"], inc["claimed"]) for inc in got] == [("Tehrik-i-Taliban Pakistan", False)]


def test_no_claim_of_either_attack_holds_for_each() -> None:
    text = (
        "Two posts attacked\n"
        "Gunmen attacked a levy post in Turbat on Monday night, killing two levies.\n"
        "On Sunday, a bomb went off beside a bus in Gwadar, wounding five passengers.\n"
        "No group has claimed either attack."
    )
    got = build_incidents(clean_text(text).lines, PUB)
    assert [(inc["city"], inc["claimed"]) for inc in got] == [("Turbat", False), ("Gwadar", False)]


# --- the dead listed by nationality ---------------------------------------------------------------------


def test_the_victims_listed_by_nationality_break_the_toll_down() -> None:
    text = (
        "Gunmen shot dead nine trekkers and a driver at the lodge. "
        "The victims were four Norwegians, two Austrians, a Dutch Sherpa, in addition to the Pakistani."
    )
    got = casualties(text)
    assert got.killed == 10
    assert got.killed_by_nationality == {"NO": 4, "AT": 2, "NL": 1, "PK": 1}


def test_a_listing_elsewhere_in_the_report_breaks_the_main_toll_down() -> None:
    text = (
        "Trekkers killed at a lodge near Chilas\n"
        "Gunmen stormed a lodge near Chilas late on Monday and shot dead six trekkers, officials said.\n"
        "The lodge had been full for a week.\n"
        "Officials said the dead were three Austrians, two Norwegians and a Pakistani cook."
    )
    got = build_incidents(clean_text(text).lines, PUB)
    assert [(inc["killed"], inc["killed_by_nationality"]) for inc in got] == [
        (6, {"AT": 3, "NO": 2, "PK": 1})
    ]


# --- "all eight", names after a count ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        (
            "Six raiders hit the post. All six were killed, and two levies, Naik Aslam and Sepoy Gul, died.",
            2,
        ),
        ("Four raiders rushed the gate; all of them were killed along with a guard.", 1),
        ("Three guards, Karim Baig, Noor Khan and Ali Shah, were killed at the gate.", 3),
    ],
)
def test_all_of_a_group_told_before_and_names_after_a_count(text: str, killed: int) -> None:
    assert casualties(text).killed == killed


def test_an_attack_told_a_day_earlier_than_the_claim_is_dated_the_day_before() -> None:
    text = (
        "Front claims market bombing\n"
        "The front on Tuesday claimed the bombing that tore through a market in Turbat a day earlier,"
        " killing six people."
    )
    got = build_incidents(clean_text(text).lines, PUB)
    assert [(inc["city"], inc["date"]) for inc in got] == [("Turbat", "2031-06-16")]


def test_a_count_by_a_later_weekday_dates_the_count_not_the_attack() -> None:
    text = (
        "Bomb hits rally in Turbat\n"
        "A suicide bomber struck a rally in Turbat on Sunday, police said.\n"
        "By Wednesday the count from Turbat stood at 12 dead and 30 wounded."
    )
    got = build_incidents(clean_text(text).lines, PUB)
    assert [(inc["date"], inc["killed"], inc["wounded"]) for inc in got] == [("2031-06-15", 12, 30)]


@pytest.mark.parametrize(
    "series",
    [
        "It was the second bombing in Turbat this month.",
        "It is the third deadly attack in Turbat this year.",
    ],
)
def test_an_attack_told_after_a_series_is_announced_takes_the_series_town(series: str) -> None:
    text = (
        "Bomb wounds councillor\n"
        "A bomb went off at a rally in Turbat on Monday, killing three people, police said.\n"
        f"{series} On June 3, a blast wounded a councillor and six other people near the bus stand."
    )
    got = build_incidents(clean_text(text).lines, PUB)
    assert [(inc["city"], inc["date"], inc["wounded"]) for inc in got] == [
        ("Turbat", "2031-06-16", None),
        ("Turbat", "2031-06-03", 7),
    ]


@pytest.mark.parametrize(
    ("text", "wounded"),
    [
        ("A roadside bomb injured four labourers near the quarry.", 4),
        ("The blast injured him and nine others at the gate.", 10),
        ("The wounded were taken to the district hospital.", None),
        ("Four people were injured in the blast.", 4),
    ],
)
def test_the_simple_past_of_wounding_names_its_victims(text: str, wounded: int | None) -> None:
    assert casualties(text).wounded == wounded
