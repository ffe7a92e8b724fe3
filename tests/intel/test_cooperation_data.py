"""The cooperation language file: its vocabularies are the schema's; every class of entry is exercised."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from importlib import resources

import pytest

from outrider.intel.cooperation import FAMILY, KINDS, STAGES, extract_cooperation
from outrider.intel.cooperation.lexicon import LEXICON
from outrider.intel.cooperation.mentions import find_mentions
from outrider.intel.cooperation.money import find_money
from outrider.intel.cooperation.parties import find_parties
from outrider.intel.cooperation.roles import protected_party
from outrider.intel.cooperation.stages import clause
from shared_material import shared_dir

PUB = date(2031, 3, 14)
DATA = json.loads(
    resources.files("outrider.intel.cooperation").joinpath("data/cooperation.json").read_text("utf-8")
)


def _kinds(text: str) -> list[tuple[str, str]]:
    return [(r.kind, r.stage) for r in extract_cooperation(text, doc_id="t", published=PUB)]


def _schema_table(section: str) -> list[list[str]]:
    text = (shared_dir() / "corpus" / "COOPERATION-SCHEMA.md").read_text(encoding="utf-8")
    body = text.split(f"## {section}", 1)[1].split("\n## ", 1)[0]
    return [
        [c.strip() for c in line.strip("|").split("|")]
        for line in body.splitlines()
        if line.startswith("| `")
    ]


def test_kinds_and_families_are_the_schemas() -> None:
    rows = _schema_table("Kinds")
    assert [r[0].strip("`") for r in rows] == list(KINDS)
    assert {r[0].strip("`"): ("*" if r[2] == "any" else r[2]) for r in rows} == FAMILY


def test_stages_are_the_schemas_in_its_order() -> None:
    assert [r[0].strip("`") for r in _schema_table("Stages")] == list(STAGES)


# ---------------------------------------------------------------- one check per class of entry


def _kinds_class() -> None:
    assert _kinds("China and Pakistan concluded a joint naval exercise near Karachi on Monday.") == [
        ("joint_exercise", "done")
    ]


def _stages_class() -> None:
    assert LEXICON.stages[0] == "announced" and LEXICON.stages[-1] == "not_fulfilled"


def _stage_cues_class() -> None:
    assert _kinds("China pledged to give Pakistan police equipment for its Special Protection Unit.")[0][
        1
    ] == ("pledged")


def _not_commitment_class() -> None:
    assert _kinds("China requested that Pakistan hold a joint exercise next month.") == []


def _generic_class() -> None:
    assert _kinds("China vowed to deepen cooperation with Pakistan against terrorism.") == []


def _joint_words_class() -> None:
    text = "Pakistan and China met in May.\nThe two sides agreed to hold a joint police drill."
    assert ("joint_exercise", "agreed") in _kinds(text)


def _parties_class() -> None:
    assert {h.code for h in find_parties("Dushanbe, the Tajik army and Beijing")} == {"TJ", "CN"}


def _not_party_class() -> None:
    assert find_parties("the Pakistani Taliban and Chinese companies") == []


def _protected_nouns_class() -> None:
    text = "Chinese nationals and Chinese engineers in Pakistan"
    assert protected_party(text, find_parties(text)) == "CN"


def _money_class() -> None:
    assert [(m.amount, m.currency) for m in find_money("Rs4.5 crore and 2 billion yuan")] == [
        (45_000_000, "PKR"),
        (2_000_000_000, "CNY"),
    ]


def _titles_class() -> None:
    rec = extract_cooperation(
        "Interior Minister Ali Raza met Ambassador Wen Hao to discuss the security of Chinese workers in "
        "Pakistan.",
        doc_id="t",
        published=PUB,
    )
    assert rec[0].officials == ("Ali Raza", "Wen Hao")


def _trainees_class() -> None:
    assert _kinds("China will train Pakistani teachers in Mandarin.") == []
    assert _kinds("China will train Pakistani police officers in Urumqi.") == [("training", "pledged")]


def _time_reference_class() -> None:
    assert _kinds(
        "Pakistan raised a special protection unit for Chinese workers during the premier's visit."
    ) == [("security_arrangement", "done")]


def _clause_breaks_class() -> None:
    text = "Pakistan signed the deal; the United States objected"
    assert clause(text, text.index("United")) == (text.index(";") + 1, len(text))


def _aggregate_class() -> None:
    assert _kinds("Pakistan has handed over militants to China repeatedly.") == []


def _transfer_verbs_class() -> None:
    assert _kinds("Beijing extended $4 million to Pakistan's police on Tuesday.") == [("funding", "funded")]
    assert _kinds("Beijing extended $4 million to Pakistan's central bank on Tuesday.") == []  # not security


def _equip_verbs_class() -> None:
    assert _kinds("China and Pakistan discussed scanners on Tuesday.") == []
    assert _kinds("China donated scanners to Pakistan on Tuesday.") == [("capacity_equipment", "done")]
    # a promise of so many things gives them, as "provide" does
    assert _kinds("China promised 12 scanners to Pakistan on Tuesday.") == [("capacity_equipment", "pledged")]


def _security_words_class() -> None:
    assert _kinds("Pakistan's president visited China on Monday to discuss trade.") == []
    assert _kinds("Pakistan's president visited China on Monday to discuss terrorism.") == [
        ("visit_or_meeting", "done")
    ]


def _meeting_nouns_class() -> None:
    assert list(find_mentions("Pakistan's finance minister chaired the meeting by video link.", PUB)) == []
    assert list(find_mentions("Pakistan's finance minister held a meeting with Chinese officials.", PUB))


def _group_labels_class() -> None:
    rec = extract_cooperation(
        "Pakistan assured China on Monday that it would take action against Fitna al-Hindustan.",
        doc_id="t",
        published=PUB,
    )
    assert [(r.kind, r.group) for r in rec] == [("action_against_group", "Balochistan Liberation Army")]


def _group_verbs_class() -> None:
    rec = extract_cooperation(
        "Both sides agreed on Monday that Pakistan and China will jointly combat the ETIM.",
        doc_id="t",
        published=PUB,
    )
    assert [(r.kind, r.stage, r.group) for r in rec] == [
        ("action_against_group", "agreed", "East Turkestan Islamic Movement")
    ]


def _value_words_class() -> None:
    text = (
        "China and Pakistan signed an agreement on Monday under which China will build a police training "
        "base in Gwadar. The base is budgeted at 30 million yuan."
    )
    rec = extract_cooperation(text, doc_id="t", published=PUB)
    assert [(r.kind, r.amount, r.currency) for r in rec] == [("capacity_equipment", 30_000_000, "CNY")]


def _purchase_words_class() -> None:
    assert _kinds("Russia delivered two helicopters to Pakistan under a 2029 contract on Monday.") == []
    assert _kinds("Russia delivered two helicopters to Pakistan as a gift on Monday.") == [
        ("capacity_equipment", "done")
    ]


def _agreed_frames_class() -> None:
    assert _kinds("Under the agreement, China will supply scanners to the Pakistani police.") == [
        ("capacity_equipment", "agreed")
    ]


def _accord_verbs_class() -> None:
    assert _kinds("A memorandum on police training was initialled by Pakistan and China on Monday.") == [
        ("training", "agreed")
    ]


def _own_preparation_class() -> None:
    text = (
        "The Pakistani contingent will take part in a joint exercise with Chinese police next month. "
        "Officials said the Pakistani contingent will undergo training at the police academy"
    )
    assert _kinds(f"{text}.") == [("joint_exercise", "announced"), ("training", "announced")]
    assert _kinds(f"{text} before departure.") == [("joint_exercise", "announced")]


def _arrest_verbs_class() -> None:
    text = "A suspect was {} by Pakistani police in Gilgit on Monday with the support of Chinese agencies."
    assert _kinds(text.format("apprehended")) == [("intelligence_sharing", "done")]
    assert _kinds(text.format("fined")) == []


def _both_sides_class() -> None:
    said = (
        "Additional troops will be deployed for the protection of Chinese engineers in Dasu, Pakistan's "
        "interior minister said on Monday in remarks to {}."
    )
    assert _kinds(said.format("both governments")) == [("security_arrangement", "pledged")]
    assert _kinds(said.format("provincial officials")) == [("security_arrangement", "announced")]


def _adverbs_class() -> None:
    text = "The first batch of scanners was {}handed over to the Sindh police by China on Monday."
    assert _kinds(text.format("")) == [("capacity_equipment", "done")]
    assert _kinds(text.format("formally ")) == [("capacity_equipment", "done")]


CLASSES: dict[str, Callable[[], None]] = {
    "accord_verbs": _accord_verbs_class,
    "adverbs": _adverbs_class,
    "arrest_verbs": _arrest_verbs_class,
    "both_sides": _both_sides_class,
    "own_preparation": _own_preparation_class,
    "agreed_frames": _agreed_frames_class,
    "purchase_words": _purchase_words_class,
    "value_words": _value_words_class,
    "group_verbs": _group_verbs_class,
    "kinds": _kinds_class,
    "stages": _stages_class,
    "stage_cues": _stage_cues_class,
    "not_commitment": _not_commitment_class,
    "generic": _generic_class,
    "joint_words": _joint_words_class,
    "parties": _parties_class,
    "not_party": _not_party_class,
    "protected_nouns": _protected_nouns_class,
    "money": _money_class,
    "titles": _titles_class,
    "trainees": _trainees_class,
    "time_reference": _time_reference_class,
    "clause_breaks": _clause_breaks_class,
    "aggregate": _aggregate_class,
    "transfer_verbs": _transfer_verbs_class,
    "equip_verbs": _equip_verbs_class,
    "security_words": _security_words_class,
    "meeting_nouns": _meeting_nouns_class,
    "group_labels": _group_labels_class,
}


def test_every_class_of_entry_has_its_check() -> None:
    assert set(DATA) - {"_about"} == set(CLASSES)


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_entry_class(name: str) -> None:
    CLASSES[name]()


def test_every_pattern_compiles_and_no_entry_is_empty() -> None:
    def walk(value: object) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, list):
            return [s for v in value for s in walk(v)]
        if isinstance(value, dict):  # families are names, not patterns
            return [
                s for k, v in value.items() if k != "family" for s in walk(v) + ([k] if k not in DATA else [])
            ]
        return []

    for entry in walk({k: v for k, v in DATA.items() if k not in ("_about", "stages")}):
        assert entry.strip(), "empty entry"
        re.compile(entry)
