"""Phrasings of reports the shared corpus does not contain: dates, casualties, classes, non-incidents."""

from datetime import date

import pytest

from outrider.intel.dates import resolve_event_date

# --- dates -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "ref", "want", "precision"),
    [
        (
            "Masked men seized a trader from his shop three days ago.",
            date(2031, 5, 10),
            date(2031, 5, 7),
            "day",
        ),
        ("A watchman was stabbed the day before yesterday.", date(2031, 5, 10), date(2031, 5, 8), "day"),
        ("A bomb went off near a bakery a week ago.", date(2031, 5, 10), date(2031, 5, 3), "day"),
        ("A shop was set alight earlier this week.", date(2031, 5, 16), date(2031, 5, 14), "month"),
        ("Raiders torched a depot last week.", date(2031, 5, 16), date(2031, 5, 9), "month"),
    ],
)
def test_relative_day_and_week_phrases(sentence: str, ref: date, want: date, precision: str) -> None:
    got = resolve_event_date(sentence, ref)
    assert (got.value, got.precision) == (want, precision)


@pytest.mark.parametrize(
    "sentence",
    [
        "Officers on Monday said they had traced the men who shot a guard last Thursday.",
        "The mission on Monday strongly condemned the shooting of a guard last Thursday.",
        "A tribunal on Monday sentenced a man for shooting a guard last Thursday.",
    ],
)
def test_weekday_of_a_statement_or_state_act_is_not_the_event(sentence: str) -> None:
    got = resolve_event_date(sentence, date(2031, 5, 12))  # a Monday
    assert (got.value, got.precision) == (date(2031, 5, 8), "day")


# --- casualties --------------------------------------------------------------------------------------

from outrider.intel.casualties import casualties  # noqa: E402


@pytest.mark.parametrize(
    ("text", "killed", "wounded"),
    [
        ("Nobody was killed. No one else was killed, though the shots hit a wall.", 0, None),
        ("A mortar round hit the depot wall; no one was hurt.", 0, 0),
        ("No casualties were reported after the raiders burnt the lorries.", 0, 0),
        ("The death toll from Friday's blast at the grain market climbed to 14 on Sunday.", 14, None),
        ("Eight guards were wounded. Three critically injured guards later died in hospital.", None, 8),
        ("Eleven wounded pilgrims were flown to the capital.", None, 11),
        ("The bomb exploded beside a ferry, killing the bomber and six deckhands.", 6, None),
        ("Raiders shot at the lorry, killing him and a guard and wounding his cousin.", 2, 1),
        ("The blast killed a constable and injured 9 others, a district officer said.", 1, 9),
        ("Two guards were martyred and a vaccinator was injured in the firing.", 2, 1),
        ("Gunmen kill six farmhands in orchard raid", 6, None),
    ],
)
def test_casualty_phrasings(text: str, killed: int | None, wounded: int | None) -> None:
    got = casualties(text)
    assert (got.killed, got.wounded) == (killed, wounded)


def test_headline_figure_yields_to_the_body() -> None:
    got = casualties("Bomber kills dozens at depot. The bombing killed at least 31 porters, officials said.")
    assert got.killed == 31


def test_breakdown_leaves_the_rest_to_the_home_country() -> None:
    got = casualties("Five people, including three Korean nationals, were killed and a dozen injured.")
    assert (got.killed, got.wounded) == (5, 12)
    assert got.killed_by_nationality == {"KR": 3, "": 2}


def test_was_shot_dead_is_passive() -> None:
    got = casualties(
        "A magistrate was shot dead along with one of his clerks. "
        "Gunmen opened fire, killing him and a guard."
    )
    assert got.killed == 2


# --- classification, groups and claims ---------------------------------------------------------------

from outrider.intel.classify import classify, perpetrator  # noqa: E402


@pytest.mark.parametrize(
    ("text", "attack", "weapon", "suicide", "target"),
    [
        (
            "Raiders set ablaze three bulldozers of a road company overnight.",
            "facility_attack",
            "other",
            None,
            "business",
        ),
        # kidnappers take their hostages away alive: no suicide attack (false, as such reports' gold has it)
        (
            "Armed men abducted two surveyors of a cement firm at gunpoint.",
            "hostage_taking",
            "firearms",
            False,
            "business",
        ),
        # rockets fired from afar: an explosive attack (as the data-set imports map shelling) in which no
        # attacker dies (GOLD-SCHEMA: suicide false when the text indicates so)
        ("Insurgents fired four rockets at an airbase; police said.", "bombing", "rocket", False, "military"),
        (
            "A former provincial minister was gunned down outside a mosque; the attackers fled.",
            "assassination",
            "firearms",
            False,
            "government",
        ),
        (
            "A bomb planted in a drain went off beside a lorry at a fruit market.",
            "bombing",
            "ied",
            False,
            "civilians",
        ),
        (
            # a hand grenade is named: a weapon thrown by hand (GOLD-SCHEMA: firearms, "grenades thrown by
            # gunmen"), not an unknown weapon; its throwers ride away (suicide false, as the text indicates)
            "Two men on a scooter hurled a grenade into a crowded bazaar.",
            "bombing",
            "firearms",
            False,
            "civilians",
        ),
        (
            "Gunmen opened fire on two Korean technicians, police said, and sped away.",
            "armed_assault",
            "firearms",
            False,
            "foreign_workers",
        ),
    ],
)
def test_classify_new_phrasings(
    text: str, attack: str, weapon: str, suicide: bool | None, target: str
) -> None:
    got = classify(text)
    assert (got["attack_type"], got["weapon"], got["suicide"], got["target_type"]) == (
        attack,
        weapon,
        suicide,
        target,
    )


def test_a_group_name_is_not_a_target() -> None:
    got = classify("Gunmen of the Sindhudesh Revolutionary Army shot at a trader's car.")
    assert got["target_type"] != "military"


@pytest.mark.parametrize(
    ("text", "group", "claimed"),
    [
        ("The SRA, a banned outfit, claimed the shooting.", "Sindhudesh Revolutionary Army", True),
        (
            "The Balochistan Liberation Front said in a statement that its fighters burnt the cranes.",
            "Balochistan Liberation Front",
            True,
        ),
        (
            "The Baloch Liberation Army said in a statement that it carried out the blast.",
            "Balochistan Liberation Army",
            True,
        ),
        ("Daesh had claimed the bombing of the seminary.", "Islamic State Khorasan Province", True),
    ],
)
def test_more_groups_and_claims(text: str, group: str, claimed: bool) -> None:
    name, got, _ = perpetrator(text)
    assert (name, got) == (group, claimed)


# --- state actions are not incidents -----------------------------------------------------------------

from outrider.intel.pipeline import TextInput, extract_documents  # noqa: E402


def test_an_intelligence_based_operation_is_not_an_incident() -> None:
    text = (
        "Nine insurgents killed in Tank IBO\n\n"
        "TANK, Pakistan, Oct 2, 2031 (Desk) - Troops killed nine insurgents in an intelligence-based "
        "operation in Tank district on Wednesday, the army said. "
        "One soldier was martyred in the exchange of fire."
    )
    (res,) = extract_documents([TextInput("ibo", text)])
    assert res.incidents == []
