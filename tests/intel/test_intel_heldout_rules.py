"""The rules written for reports of other events (issue 20), each on sentences of our own making."""

from datetime import date

import pytest

from outrider.intel.attribution import group_of
from outrider.intel.casualties import casualties
from outrider.intel.classify import classify
from outrider.intel.cleaning import clean_text
from outrider.intel.dates import EventDate, resolve_event_date
from outrider.intel.event_dates import later_than
from outrider.intel.extract import build_incidents
from outrider.intel.gazetteer import find_places
from outrider.intel.linking import reconcile
from outrider.intel.published import find_published

PUB = date(2031, 6, 18)  # a Wednesday


def _incidents(text: str, published: date | None = PUB) -> list[dict[str, object]]:
    return build_incidents(clean_text(text).lines, published)


# --- dates counted back from the publication ---------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "want", "precision"),
    [
        ("Eleven years ago, raiders torched a grain depot in the valley.", date(2020, 1, 1), "year"),
        ("Four months ago a guard was shot at the gate.", date(2031, 2, 1), "month"),
        ("Six years ago this October, a lorry bomb hit the toll plaza.", date(2025, 10, 1), "month"),
        ("Two years ago today, gunmen stormed the power station.", date(2029, 6, 18), "day"),
        ("Two years ago this month, a car bomb hit a convoy on the highway.", date(2029, 6, 1), "month"),
        ("Two years ago this week, gunmen stormed the power station.", date(2029, 6, 18), "day"),
        ("Last September a bomb went off under a footbridge.", date(2030, 9, 1), "month"),
        ("Last March a bomb went off under a footbridge.", date(2031, 3, 1), "month"),
        ("The depot was raided in October last year.", date(2030, 10, 1), "month"),
    ],
)
def test_dates_counted_back(sentence: str, want: date, precision: str) -> None:
    got = resolve_event_date(sentence, PUB)
    assert (got.value, got.precision) == (want, precision)


def test_a_weekday_beside_another_month_is_not_last_week() -> None:
    got = resolve_event_date("The fair was bombed on a Saturday in February, killing nine.", PUB)
    assert (got.value, got.precision) == (date(2031, 2, 1), "month")
    # the same weekday beside the publication's own month is last week's
    got = resolve_event_date("The fair was bombed on Saturday, the busiest day of June.", PUB)
    assert (got.value, got.precision) == (date(2031, 6, 14), "day")


def test_the_weekday_said_with_on_is_the_event() -> None:
    got = resolve_event_date(
        "Troops spent Tuesday searching the orchard the raiders had held late on Sunday.", PUB
    )
    assert got.value == date(2031, 6, 15)


@pytest.mark.parametrize(
    ("sentence", "previous", "want", "precision"),
    [
        (
            "Five months later, a second bomb hit the depot.",
            EventDate(date(2029, 10, 1), "month"),
            date(2030, 3, 1),
            "month",
        ),
        (
            "The following April the raiders returned.",
            EventDate(date(2029, 10, 1), "month"),
            date(2030, 4, 1),
            "month",
        ),
        (
            "The following November the raiders returned.",
            EventDate(date(2029, 10, 1), "month"),
            date(2029, 11, 1),
            "month",
        ),
        ("Two years later they struck again.", EventDate(date(2027, 1, 1), "year"), date(2029, 1, 1), "year"),
    ],
)
def test_dates_counted_on_from_the_event_before(
    sentence: str, previous: EventDate, want: date, precision: str
) -> None:
    got = later_than(sentence, previous)
    assert got is not None and (got.value, got.precision) == (want, precision)


def test_months_after_an_event_known_only_to_its_year_are_not_dated() -> None:
    assert later_than("Three months later, a second bomb.", EventDate(date(2027, 1, 1), "year")) is None


# --- publication dates in headers --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "want"),
    [
        (
            ["THE VALLEY POST", "Depot burnt", "By Amina Qureshi | March 9, 2032 | 4 min read"],
            date(2032, 3, 9),
        ),
        (["Depot burnt", "Lahore, Mar 9, 2032 | Updated 11:02 PKT | Wires"], date(2032, 3, 9)),
    ],
)
def test_bylines_and_place_date_headings(lines: list[str], want: date) -> None:
    assert find_published(lines, set()) == (want, True)


def test_a_weekday_heading_is_not_a_place() -> None:
    # "Friday, March 9, 2032 | City Edition" is a banner (judged as one), never a place-and-date heading
    got, _ = find_published(
        ["THE VALLEY POST", "Friday, March 9, 2032 | City Edition", "Depot burnt"], {2029}
    )
    assert got is None


def test_a_dateline_without_a_year_is_not_the_event_day() -> None:
    incs = _incidents(
        "Gunmen storm bus depot in Quetta\n\n"
        "QUETTA, June 18 -- Gunmen stormed a bus depot in Quetta on Monday night, killing two guards."
    )
    assert [(i["date"], i["city"]) for i in incs] == [("2031-06-16", "Quetta")]


# --- mentions: attack words, towns joined by "and", time counted on --------------------------------------


def test_attack_words_of_other_hands() -> None:
    incs = _incidents(
        "Opinion: a long decade\n\n"
        "Nine years ago, a man set off a van full of fertiliser beside the Quetta bus stand. "
        "In 2026 the same cell blew up a culvert near Turbat."
    )
    assert [(i["date"], i["date_precision"], i["city"]) for i in incs] == [
        ("2022-01-01", "year", "Quetta"),
        ("2026-01-01", "year", "Turbat"),
    ]


def test_several_attacks_at_towns_joined_by_and_are_one_event_each() -> None:
    incs = _incidents(
        "Analysis\n\nIn May 2029 gunmen attacked two police posts at Kalat and Turbat on one night."
    )
    assert sorted(str(i["city"]) for i in incs) == ["Kalat", "Turbat"]
    # one attack between two towns is one event
    incs = _incidents("Analysis\n\nIn May 2029 a bomb hit the bus between Kalat and Turbat.")
    assert len(incs) == 1


def test_time_counted_on_opens_the_next_clause_event() -> None:
    incs = _incidents(
        "Analysis\n\nIn March 2027, gunmen raided a bank in Quetta; eight months later, "
        "the same cell bombed a market in Turbat."
    )
    assert [(i["date"], i["city"]) for i in incs] == [("2027-03-01", "Quetta"), ("2027-11-01", "Turbat")]


# --- places ------------------------------------------------------------------------------------------


def test_places_of_tajikistan_and_the_border() -> None:
    names = [
        (h.place.country, h.place.admin1) for h in find_places("a camp in the Khatlon region was raided")
    ]
    assert names == [("TJ", "Khatlon")]
    hits = find_places("a mine in the border area between Tajikistan and Afghanistan was attacked")
    assert hits and hits[0].place.country == "TJ"
    # a country as an actor is not a place
    assert find_places("Tajikistan condemned the raid") == []
    assert [h.place.name for h in find_places("a grenade thrown at Wagah")] == ["Wagah"]


def test_the_town_a_site_is_said_to_be_in_wins() -> None:
    assert [h.place.name for h in find_places("a blast at Gulshan-e-Iqbal Park in Lahore")] == ["Lahore"]
    assert [h.place.name for h in find_places("a blast in Gulshan-e-Iqbal")] == ["Karachi"]


# --- targets: the people before the building ----------------------------------------------------------


TARGET_EXAMPLES = [
    ("A bomber struck a van carrying Korean language teachers outside the college.", "foreign_workers"),
    ("Gunmen fired on a procession of worshippers passing the police station.", "religious"),
    ("A bomb went off at a party convention, police said, killing nine.", "civilians"),
    ("Gunmen shot dead trekkers at their camp below the pass.", "civilians"),
    ("A bomber blew himself up inside the mosque of the police lines.", "police"),
    ("Raiders stormed the railway station and shot two passengers.", "transport"),
    ("Gunmen stormed the frontier corps camp beside the bazaar.", "military"),
    ("Gunmen stormed the port authority building, police said.", "government"),
    ("A gunman opened fire on the former chief minister at his rally.", "government"),
    ("The prime minister said gunmen had stormed a market.", "civilians"),
    ("Gunmen hijacked a bus carrying soldiers home on leave.", "transport"),
]


@pytest.mark.parametrize(("text", "target"), TARGET_EXAMPLES)
def test_target_precedence(text: str, target: str) -> None:
    assert classify(text)["target_type"] == target


# --- tolls -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "killed", "wounded"),
    [
        ("Scores dead in market bombing. Officials put the death toll at 31.", 31, None),
        ("Dozens were killed when the bomb went off.", 24, None),
        ("Bridge blast: toll rises to 12.", 12, None),
        ("Officials raised the number of dead to 27 on Friday.", 27, None),
        ("Thirty people died and 48 were being treated for their wounds.", 30, 48),
        ("Two guards were among the wounded. In all 23 people were wounded.", None, 23),
        ("A dozen of the most critically hurt were flown out; more than 90 people were hurt.", None, 90),
        ("The number of injured stands at 75, doctors said.", None, 75),
        ("One guard was killed in the blast.", 1, None),
        ("A Korean citizen was killed and four other people were wounded.", 1, 4),
    ],
)
def test_tolls(text: str, killed: int | None, wounded: int | None) -> None:
    got = casualties(text)
    assert (got.killed, got.wounded) == (killed, wounded)


# --- attribution -------------------------------------------------------------------------------------


def test_it_claimed_names_the_group_of_the_sentences_before() -> None:
    text = (
        "Opinion\n\n"
        "The Tehrik-i-Taliban Pakistan has a long record in the valley. "
        "Its leaders rarely speak to reporters. "
        "It also claimed the bombing of a school in Quetta in March 2028."
    )
    incs = _incidents(text)
    assert [(i["city"], i["perpetrator"], i["claimed"]) for i in incs] == [
        ("Quetta", "Tehrik-i-Taliban Pakistan", True)
    ]
    assert group_of  # the function the extractor uses for every event


# --- linking -----------------------------------------------------------------------------------------


def test_reconciliation_never_contradicts_a_records_own_month() -> None:
    a = {"doc_id": "a", "date": "2028-11-01", "date_precision": "month", "city": "Quetta"}
    b = {"doc_id": "b", "date": "2027-06-30", "date_precision": "day", "city": "Quetta"}
    c = {"doc_id": "c", "date": "2028-11-23", "date_precision": "day", "city": "Quetta"}
    out = reconcile([a, b], [0, 0])
    assert out[0]["date"] == "2028-11-01"  # a day of another year is no refinement
    out = reconcile([a, c], [0, 0])
    assert out[0]["date"] == "2028-11-23"


# --- every class of entry in the data files is read --------------------------------------------------

import json  # noqa: E402
from pathlib import Path  # noqa: E402

from outrider.intel.actors import find_actors  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "src" / "outrider" / "intel" / "data"


def _classes(name: str, key: str) -> dict[str, list[dict[str, object]]]:
    by: dict[str, list[dict[str, object]]] = {}
    for row in json.loads((DATA / name).read_text(encoding="utf-8")):
        by.setdefault(str(row.get(key) or "town"), []).append(row)
    return by


@pytest.mark.parametrize(("file", "key"), [("places.json", "kind"), ("regions.json", "level")])
def test_every_place_class_is_found_in_text(file: str, key: str) -> None:
    for cls, rows in _classes(file, key).items():
        found = [
            row
            for row in rows
            if any(
                h.place.country == row["country"]
                for h in find_places(f"a school in {row['name']} was attacked")
            )
        ]
        assert found, f"no {cls} entry of {file} is found in a sentence"


def test_every_actor_class_is_found_in_text() -> None:
    for cls, rows in _classes("actors.json", "kind").items():
        found = [
            row for row in rows if any(a.kind == cls for a in find_actors(f"{row['name']} said on Monday"))
        ]
        assert found, f"no {cls} entry of actors.json is found in a sentence"


# --- a clause that only says where ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "In May 2029 a bomber walked into a hall, in Quetta's old city, and blew himself up, killing nine.",
        "In May 2029, gunmen attacked the depot, the fuel terminal at Quetta, from two sides.",
    ],
)
def test_a_clause_that_says_where_places_the_attack(sentence: str) -> None:
    incs = _incidents("Analysis\n\n" + sentence)
    assert [(i["date"], i["city"]) for i in incs] == [("2029-05-01", "Quetta")]


def test_speaking_somewhere_does_not_place_the_attack() -> None:
    incs = _incidents(
        "Analysis\n\nSpeaking in Quetta, the minister said the bombing in May 2029 was planned abroad."
    )
    assert incs == []


def test_a_march_is_not_march() -> None:
    got = resolve_event_date("A bomb went off as a protest march passed the square on Monday.", PUB)
    assert (got.value, got.precision) == (date(2031, 6, 16), "day")


def test_a_place_pointed_back_at_is_the_town_named_before() -> None:
    incs = _incidents(
        "Analysis\n\nThe cell has long operated around Turbat. "
        "In April 2028, its gunmen raided a bank in the town, killing a guard."
    )
    assert [(i["date"], i["city"]) for i in incs] == [("2028-04-01", "Turbat")]
    # nothing named before: no place, no event
    assert _incidents("Analysis\n\nIn April 2028, gunmen raided a bank in the town, killing a guard.") == []


# --- the lexicon (data/lexicon.json): every entry of every class acts --------------------------------

from outrider.intel.lexicon import _data  # noqa: E402
from outrider.intel.mentions import mentions_of  # noqa: E402

LEXICON = _data()


@pytest.mark.parametrize("word", LEXICON["attack_words"])
def test_every_attack_word_makes_a_mention(word: str) -> None:
    said = word.replace(" ... ", " the fuel depot ")  # " ... ": the phrase's object goes between its parts
    assert mentions_of(f"In May 2029 the {said} reported from Quetta.", 0, PUB, False)


@pytest.mark.parametrize("phrase", LEXICON["state_actions"])
def test_every_state_action_is_no_incident(phrase: str) -> None:
    assert _incidents("Report\n\nIn May 2029 officials in Quetta reported the attack.")
    assert _incidents(f"Report\n\nIn May 2029 officials in Quetta reported {phrase} after the attack.") == []


def test_every_target_class_has_an_example_above() -> None:
    examples = {target for _, target in TARGET_EXAMPLES} | {
        classify(text)["target_type"]
        for text in (
            "Gunmen stormed the consulate.",
            "Gunmen stormed the hotel lobby.",
            "A bomb exploded at the school gate.",
            "Raiders torched the bank's branch, wounding a cashier.",
        )
    }
    assert {row["target"] for row in LEXICON["targets"]} <= examples


@pytest.mark.parametrize(
    ("code", "word"), [(code, word) for code, words in LEXICON["nationalities"].items() for word in words]
)
def test_every_demonym_names_its_nationality(code: str, word: str) -> None:
    got = casualties(f"The bomb killed two {word} engineers and a driver.")
    assert got.killed == 3 and got.killed_by_nationality.get(code) == 2


@pytest.mark.parametrize("phrase", LEXICON["plans_and_threats"])
def test_every_plan_or_threat_is_no_incident(phrase: str) -> None:
    assert _incidents("Report\n\nIn May 2029 militants in Quetta attacked the depot, officers said.")
    said = phrase.replace(" ... ", " a possible ")  # " ... ": the phrase's object goes between its parts
    assert _incidents(f"Report\n\nIn May 2029 militants in Quetta were {said}, officers said.") == []


def test_a_compound_name_is_not_the_place_it_contains() -> None:
    assert [h.place.name for h in find_places("a grenade hit a shop in Shahr-e-Kabul market in Kabul")] == [
        "Kabul"
    ]
    assert [h.place.admin1 for h in find_places("a grenade hit a shop in Kart-e-Parwan")] == []
    assert [h.place.admin1 for h in find_places("a grenade hit a shop in Parwan")] == ["Parwan"]


def test_a_toll_right_after_an_event_is_that_events() -> None:
    incs = _incidents(
        "Two bombings\n\nIn May 2029 a bomber struck a market in Quetta, wounding nine. "
        "In June 2029 gunmen stormed a bank in Turbat. Four guards were killed."
    )
    assert [(i["city"], i["killed"], i["wounded"]) for i in incs] == [
        ("Quetta", None, 9),
        ("Turbat", 4, None),
    ]


def test_what_follows_a_state_action_does_not_make_it_an_incident() -> None:
    incs = _incidents(
        "Raid\n\nOn Tuesday police raided a hideout in Turbat. Two of the dead were identified as wanted men."
    )
    assert incs == []


def test_the_only_group_a_report_names_is_behind_its_other_attacks_too() -> None:
    incs = _incidents(
        "Opinion\n\nThe Balochistan Liberation Army has changed. "
        "In May 2029 it claimed a bombing in Turbat. In June 2029 gunmen stormed a bank in Quetta."
    )
    assert [(i["city"], i["perpetrator"], i["claimed"]) for i in incs] == [
        ("Turbat", "Balochistan Liberation Army", True),
        ("Quetta", "Balochistan Liberation Army", None),
    ]
    two = _incidents(
        "Opinion\n\nThe Balochistan Liberation Army and the Tehrik-i-Taliban Pakistan differ. "
        "In May 2029 gunmen stormed a bank in Quetta."
    )
    assert [i["perpetrator"] for i in two] == [None]


@pytest.mark.parametrize(
    ("text", "attack", "weapon"),
    [
        ("Gunmen stormed the depot and fired rockets at the watchtower.", "armed_assault", "firearms"),
        ("Fighters seized the Quetta Express in the pass and held it for a day.", "hijacking", "unknown"),
        (
            "Gunmen stormed the office, planning to take hostages, and were shot dead.",
            "armed_assault",
            "firearms",
        ),
        ("Gunmen stormed the office and took twenty staff hostage.", "hostage_taking", "firearms"),
        (
            "Gunmen stormed the office and held forty employees as hostages for a day.",
            "hostage_taking",
            "firearms",
        ),
    ],
)
def test_attack_and_weapon_of_assaults(text: str, attack: str, weapon: str) -> None:
    got = classify(text)
    assert (got["attack_type"], got["weapon"]) == (attack, weapon)


@pytest.mark.parametrize(
    ("text", "suicide"),
    [
        ("A man with a knife attacked shoppers before police shot him.", False),
        ("A gunman fired at the convoy and was overpowered by guards.", False),
        ("A gunman opened fire inside the clinic before escaping on a motorcycle.", False),
        ("A bomber blew himself up at the gate.", True),
        ("Gunmen stormed the office and traded fire with police.", None),
    ],
)
def test_suicide_or_not(text: str, suicide: bool | None) -> None:
    assert classify(text)["suicide"] is suicide


def test_a_weekday_event_keeps_an_earlier_month_apart() -> None:
    incs = _incidents(
        "Bomb at the depot\n\nA bomb went off at the depot in Quetta on Tuesday evening, killing six. "
        "In July 2029, a bomber had rammed the same depot in Quetta.",
        published=None,
    )
    assert [(i["date"], i["date_precision"]) for i in incs] == [(None, "unknown"), ("2029-07-01", "month")]


def test_the_origin_of_attackers_is_not_the_site() -> None:
    hits = find_places("The gunmen, all from Balochistan's Kech district, stormed the bank.")
    assert [(h.place.admin1, h.place.district) for h in hits] == []


def test_a_toll_after_lost_their_lives_counts_only_the_wounded() -> None:
    got = casualties("A sub-inspector and two guards lost their lives and five other people were injured.")
    assert (got.killed, got.wounded) == (3, 5)


def test_a_date_under_the_byline_is_the_publication() -> None:
    lines = [
        "THE PORT TIMES",
        "Tuesday, 3 March 2031 | Quetta 21°C",
        "Depot raided",
        "By our Reporter",
        "July 1, 2029",
    ]
    assert find_published(lines, {2029}) == (date(2029, 7, 1), True)


def test_the_same_night_is_the_day_of_the_event_just_told() -> None:
    incs = _incidents(
        "Two camps\n\nGunmen stormed a police post in Kalat on 4 May 2029. "
        "In Turbat, fighters attacked another post the same night."
    )
    assert [(i["city"], i["date"]) for i in incs] == [("Kalat", "2029-05-04"), ("Turbat", "2029-05-04")]


def test_a_claim_naming_the_town_is_the_claim_of_its_attack() -> None:
    incs = _incidents(
        "Raids\n\nGunmen stormed a camp in Kalat on 4 May 2029. "
        "Gunmen stormed a post in Turbat on 6 May 2029. "
        "The Balochistan Liberation Army claimed the raid on the post in Turbat."
    )
    assert [(i["city"], i["claimed"]) for i in incs][1] == ("Turbat", True)


def test_the_date_of_the_clause_that_tells_the_attack() -> None:
    incs = _incidents(
        "Visit\n\nOn 9 May 2029 the general met the guards, who were wounded when "
        "militants raided their post in Turbat on 4 May 2029."
    )
    assert [(i["city"], i["date"]) for i in incs] == [("Turbat", "2029-05-04")]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("18.11.2030 19:35 | Quetta", date(2030, 11, 18)),
        ("11/18/2030", date(2030, 11, 18)),
        ("4/5/2030", date(2030, 5, 4)),
        ("Wed, 18-11-2030 | 09:35", date(2030, 11, 18)),
        ("Dated: 4-5-2030", date(2030, 5, 4)),
    ],
)
def test_numeric_dates(text: str, want: date) -> None:
    from outrider.intel.dates import parse_date_text

    assert parse_date_text(text) == want


def test_a_stamp_with_its_time_is_the_publication_even_after_every_year_named() -> None:
    lines = ["THE VALLEY POST", "18.11.2031 19:35 | Quetta", "Depot raided"]
    assert find_published(lines, {1993}) == (date(2031, 11, 18), True)
    assert find_published(["THE VALLEY POST", "18.11.2031 | Quetta", "Depot raided"], {1993}) == (None, False)
