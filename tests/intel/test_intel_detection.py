"""Which sentences tell of an attack (issue 20, detection): the attack nouns and verbs of `data/lexicon.json`
with all their inflections, on sentences of our own making."""

from datetime import date

import pytest

from outrider.intel.classify import classify
from outrider.intel.cleaning import clean_text
from outrider.intel.extract import build_incidents
from outrider.intel.lexicon import _data, noun_forms, verb_forms
from outrider.intel.linking import link
from outrider.intel.mentions import mentions_of
from outrider.intel.pipeline import TextInput, extract_documents, link_events

PUB = date(2031, 6, 18)  # a Wednesday
LEXICON = _data()


def _incidents(text: str) -> list[dict[str, object]]:
    return build_incidents(clean_text(text).lines, PUB)


@pytest.mark.parametrize(
    ("noun", "forms"),
    [
        ("blast", ("blast", "blasts")),
        ("ambush", ("ambush", "ambushes")),
        ("gunman", ("gunman", "gunmen")),
        ("casualty", ("casualty", "casualties")),
        ("suicide bomber", ("suicide bomber", "suicide bombers")),
    ],
)
def test_a_noun_and_its_plural(noun: str, forms: tuple[str, str]) -> None:
    assert noun_forms(noun) == forms


@pytest.mark.parametrize(
    ("verb", "forms"),
    [
        ("detonate", ("detonate", "detonates", "detonated", "detonating")),
        ("stab", ("stab", "stabs", "stabbed", "stabbing")),
        ("ambush", ("ambush", "ambushes", "ambushed", "ambushing")),
        ("attack", ("attack", "attacks", "attacked", "attacking")),
        ("open fire", ("open fire", "opens fire", "opened fire", "opening fire")),
        ("bury", ("bury", "buries", "buried", "burying")),
    ],
)
def test_a_regular_verbs_forms(verb: str, forms: tuple[str, str, str, str]) -> None:
    assert verb_forms(verb) == forms


@pytest.mark.parametrize("form", [f for n in LEXICON["attack_nouns"] for f in noun_forms(n)])
def test_every_form_of_every_attack_noun_makes_a_mention(form: str) -> None:
    assert mentions_of(f"In May 2029 the {form} reported from Quetta.", 0, PUB, False)


@pytest.mark.parametrize("form", [f for v in LEXICON["attack_verbs"] for f in verb_forms(v)])
def test_every_form_of_every_attack_verb_makes_a_mention(form: str) -> None:
    assert mentions_of(f"In May 2029 they {form} near Quetta.", 0, PUB, False)


@pytest.mark.parametrize(
    ("report", "town"),
    [
        # a plural the list once lacked
        (
            "Blasts rock Turbat market\n\nTwo blasts tore through a vegetable market in Turbat on Tuesday.",
            "Turbat",
        ),
        # a device that "went off", with no other word of an attack
        (
            "Device goes off in Sibi\n\nAn explosive device went off beside a police van in Sibi on Tuesday.",
            "Sibi",
        ),
        # a lone gunman, and the Pakistani press's "martyred"
        (
            "Gunman fires on Levies post\n\nTwo Levies men were martyred in Kharan on Tuesday.",
            "Kharan",
        ),
    ],
)
def test_an_attack_told_only_by_an_inflected_form_is_an_incident(report: str, town: str) -> None:
    assert [(i["date"], i["city"]) for i in _incidents(report)] == [("2031-06-17", town)]


def test_the_martyred_at_their_funeral_is_no_attack_there() -> None:
    assert (
        mentions_of(
            "The funeral prayers of the martyred soldiers were offered at Quetta on May 8, 2029.",
            0,
            PUB,
            False,
        )
        == []
    )


def test_a_vest_that_never_went_off_is_no_weapon_of_the_assault() -> None:
    got = classify(
        "Three gunmen stormed the consulate and opened fire on the guards. "
        "One attacker wore an explosive vest that never went off."
    )
    assert (got["attack_type"], got["weapon"]) == ("armed_assault", "firearms")


# --- several attacks told together (`intel/several.py`) ----------------------------------------------


@pytest.mark.parametrize(
    "second",
    [
        "The raid on the Turbat camp was one of two that night; the other targeted a post in Kharan.",
        "Hours after the Turbat raid, a second attack hit a Levies post in Kharan.",
    ],
)
def test_the_other_of_several_attacks_is_an_event_of_that_time(second: str) -> None:
    incs = _incidents(f"Camp raided\n\nOn Tuesday night militants raided a camp in Turbat. {second}")
    assert [(i["date"], i["city"]) for i in incs] == [("2031-06-17", "Turbat"), ("2031-06-17", "Kharan")]


def test_an_undated_town_beside_an_attack_is_still_context() -> None:
    incs = _incidents(
        "Camp raided\n\nOn Tuesday night militants raided a camp in Turbat. "
        "The raid on the Turbat camp was condemned by officials in Kharan, who called it an attack on peace."
    )
    assert [(i["date"], i["city"]) for i in incs] == [("2031-06-17", "Turbat")]


# --- background attacks without a place of their own, state acts that answer an attack (`background.py`) --


def test_an_earlier_attack_told_without_a_place_is_where_the_reports_attack_is() -> None:
    incs = _incidents(
        "Camp attacked\n\nMilitants stormed a Levies camp in Kharan on Tuesday, killing two guards. "
        "In March last year, a bomber rammed a car into the same camp's gate."
    )
    assert [(i["date"], i["date_precision"], i["city"]) for i in incs] == [
        ("2031-06-17", "day", "Kharan"),
        ("2030-03-01", "month", "Kharan"),
    ]


def test_an_earlier_attack_at_a_name_no_gazetteer_holds_is_no_guess() -> None:
    incs = _incidents(
        "Camp attacked\n\nMilitants stormed a Levies camp in Kharan on Tuesday, killing two guards. "
        "In March last year, gunmen attacked a camp in the same Zarkhel Dhok area."
    )
    assert [(i["date"], i["city"]) for i in incs] == [("2031-06-17", "Kharan")]


def test_a_state_act_that_answers_an_attack_leaves_the_attack_an_incident() -> None:
    incs = _incidents(
        "Camp attacked\n\nOn Tuesday troops killed six militants who tried to storm a camp in Kharan."
    )
    assert [(i["date"], i["city"]) for i in incs] == [("2031-06-17", "Kharan")]


def test_militants_killed_by_the_state_are_no_incident() -> None:
    report = "Five militants killed in Kharan\n\nSecurity forces killed five militants in Kharan on Tuesday."
    assert _incidents(report) == []


def test_a_phrase_with_its_object_between_its_parts_tells_an_attack() -> None:
    report = "School burnt in Kharan\n\nMen set the girls' school's classrooms on fire in Kharan on Tuesday."
    assert [(i["date"], i["city"]) for i in _incidents(report)] == [("2031-06-17", "Kharan")]


# --- records whose date cannot be known (`pipeline.link_events`) ---------------------------------------


def test_an_attack_told_by_a_weekday_nothing_anchors_is_left_out() -> None:
    undated = TextInput("a", "Depot attacked\n\nGunmen stormed a fuel depot in Kharan late on Sunday.")
    assert [i["city"] for r in extract_documents([undated]) for i in r.incidents] == ["Kharan"]
    assert link_events(extract_documents([undated])) == []


def test_an_attack_a_linked_report_dates_is_kept() -> None:
    undated = TextInput("a", "Depot attacked\n\nGunmen stormed a fuel depot in Kharan late on Sunday.")
    dated = TextInput("b", "Depot attacked\n\nGunmen stormed a fuel depot in Kharan on June 15, 2031.")
    got = sorted((i["doc_id"], i["date"]) for i in link_events(extract_documents([undated, dated])))
    assert got == [("a", "2031-06-15"), ("b", "2031-06-15")]


def test_a_dated_reports_attack_told_with_no_time_is_kept() -> None:
    report = TextInput(
        "a", "Depot attacked\n\nPublished: June 18, 2031\n\nGunmen stormed a fuel depot in Kharan."
    )
    # its main story, told with no time at all, is the day's news (twelfth round)
    got = [(i["city"], i["date"]) for i in link_events(extract_documents([report]))]
    assert got == [("Kharan", "2031-06-18")]


def test_a_roundups_separate_attack_is_of_the_time_just_told() -> None:
    incs = _incidents(
        "Two attacks\n\nGunmen killed two policemen in Kharan on Tuesday. "
        "Separately, a roadside bomb wounded three soldiers in Turbat."
    )
    assert [(i["date"], i["city"]) for i in incs] == [("2031-06-17", "Kharan"), ("2031-06-17", "Turbat")]


def test_attacks_on_a_counted_target_are_no_generic_attacks() -> None:
    report = (
        "Posts attacked\n\nMilitants carried out attacks on two police stations in Kharan on Monday night."
    )
    assert [(i["date"], i["city"]) for i in _incidents(report)] == [("2031-06-16", "Kharan")]
    generic = "Posts attacked\n\nMilitants have long carried out attacks on police stations in Kharan."
    assert _incidents(generic) == []


def test_a_pylon_damaged_with_explosives_is_an_attack() -> None:
    report = "Pylon hit\n\nUnknown men damaged an electricity pylon with explosives near Kharan on Tuesday."
    assert [(i["date"], i["city"], i["attack_type"]) for i in _incidents(report)] == [
        ("2031-06-17", "Kharan", "facility_attack")
    ]


def test_two_attacks_joined_by_and_are_two_events() -> None:
    incs = _incidents(
        "Editorial\n\nThe bombing in Turbat last month and the attack on the police academy in Kharan "
        "in January show that the militants are regrouping."
    )
    assert [(i["date"], i["city"]) for i in incs] == [("2031-05-01", "Turbat"), ("2031-01-01", "Kharan")]


@pytest.mark.parametrize(
    "report",
    [
        "Encounter\n\nOfficials said three terrorists were killed in an encounter in Kharan on Tuesday.",
        "Trial\n\nThe trial of the men held for the Kharan depot attack began in Turbat on Tuesday.",
    ],
)
def test_an_encounter_and_a_trial_are_state_actions(report: str) -> None:
    assert _incidents(report) == []


def test_an_ambush_answered_by_an_exchange_of_fire_is_an_incident() -> None:
    incs = _incidents(
        "Convoy ambushed\n\nMilitants ambushed a convoy near Kharan on Tuesday; in the exchange of fire that "
        "followed, three soldiers were martyred."
    )
    assert [(i["date"], i["city"]) for i in incs] == [("2031-06-17", "Kharan")]
    raid = "Raid\n\nTroops attacked a hideout near Kharan on Tuesday, killing four in a military operation."
    assert _incidents(raid) == []


@pytest.mark.parametrize("phrase", LEXICON["crimes_and_accidents"])
def test_every_crime_or_accident_is_no_incident(phrase: str) -> None:
    assert _incidents("Report\n\nTwo men were killed in Kharan on Tuesday, officers said.")
    assert (
        _incidents(f"Report\n\nTwo men were killed in Kharan on Tuesday after a {phrase}, officers said.")
        == []
    )


def test_a_blast_first_taken_for_an_accident_is_an_attack() -> None:
    report = (
        "Blast\n\nA blast in a market in Kharan on Tuesday, initially described as a gas cylinder explosion, "
        "was caused by a planted bomb, police said."
    )
    assert [(i["date"], i["city"]) for i in _incidents(report)] == [("2031-06-17", "Kharan")]


def test_posts_attacked_at_two_towns_are_two_events() -> None:
    incs = _incidents(
        "Posts attacked\n\nGunmen attacked police stations in Kharan and Turbat on Tuesday night."
    )
    assert [(i["date"], i["city"]) for i in incs] == [("2031-06-17", "Kharan"), ("2031-06-17", "Turbat")]


def test_a_gang_killing_policemen_beside_the_states_response_is_an_incident() -> None:
    incs = _incidents(
        "Analysis\n\nIn March 2030, a gang killed three policemen at a post outside Kharan, and the state's "
        "response was yet another operation that ended with a few arrests."
    )
    assert [(i["date"], i["city"]) for i in incs] == [("2030-03-01", "Kharan")]


def test_a_record_placed_by_its_province_bridges_no_two_towns() -> None:
    def record(doc: str, city: str | None, day: str, precision: str = "day") -> dict[str, object]:
        return {"doc_id": doc, "country": "PK", "admin1": "Sindh", "city": city, "date": day,
                "date_precision": precision, "attack_type": "unknown"}  # fmt: skip

    clusters = link([record("a", "Kashmore", "2031-03-01", "month"), record("b", None, "2031-03-03"),
                     record("c", "Ghotki", "2031-03-03")])  # fmt: skip
    assert clusters[0] != clusters[2]


@pytest.mark.parametrize(
    "sentence",
    [
        "A journalist shot a video of the flooding in Quetta on May 8, 2029.",
        "The exploding population of Quetta was discussed at a seminar on May 8, 2029.",
        "The minister said in Quetta on May 8, 2029 that no one would be allowed to kill innocent people.",
    ],
)
def test_words_of_an_attack_used_otherwise_make_no_mention(sentence: str) -> None:
    assert mentions_of(sentence, 0, PUB, False) == []


@pytest.mark.parametrize("phrase", LEXICON["other_senses"])
def test_an_attack_word_in_another_sense_makes_no_mention(phrase: str) -> None:
    assert mentions_of(f"A report on May 8, 2029 gave the {phrase} figures for Sukkur.", 0, PUB, False) == []
    told = f"A report on May 8, 2029 gave the {phrase} figures for Sukkur after a blast there."
    assert mentions_of(told, 0, PUB, False)
