"""Cooperation extraction, stage by stage, on sentences written for these tests (a fictional 2031)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from outrider.intel.cli import app
from outrider.intel.cooperation import KINDS, STAGES, CoopRecord, extract_cooperation, link_commitments
from outrider.intel.cooperation.mentions import sentences
from outrider.intel.cooperation.money import find_money
from outrider.intel.cooperation.parties import find_parties
from outrider.intel.cooperation.records import SCHEMA_FIELDS
from outrider.intel.cooperation.when import act_date, deadline

PUB = date(2031, 3, 14)  # a Friday


def _all(text: str, published: date | None = PUB) -> list[CoopRecord]:
    return extract_cooperation(text, doc_id="t", published=published)


def _one(text: str, published: date | None = PUB) -> CoopRecord:
    got = _all(text, published)
    assert len(got) == 1, got
    return got[0]


# ---------------------------------------------------------------- sentences, states, money, dates


def test_sentences_keep_offsets_and_do_not_break_after_initials_or_titles() -> None:
    text = "Gen. Tariq met envoy John D. Smith in Lahore. Both sides agreed.\nA new line"
    got = list(sentences(text))
    assert [s.text for s in got] == [
        "Gen. Tariq met envoy John D. Smith in Lahore.",
        "Both sides agreed.",
        "A new line",
    ]
    assert all(text[s.start : s.start + len(s.text)] == s.text for s in got)


def test_states_by_name_capital_demonym_and_body_but_not_groups_places_or_borders() -> None:
    hits = find_parties(
        "Beijing told the Sindh Police and Kazakh officials in Washington about Chinese in Iran"
    )
    assert [(h.code, h.locative) for h in hits] == [
        ("CN", False),
        ("PK", False),
        ("KZ", False),
        ("CN", False),
        ("IR", True),  # "in Iran" is where; "in Washington", a capital, is only a venue
    ]
    assert find_parties("the Pakistani Taliban attacked a post on the border with Afghanistan") == []
    us = find_parties("US troops, but not us")
    assert [h.code for h in us] == ["US"]
    assert find_parties("Chinese engineers")[0].demonym


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("a grant of $2.4 million", 2_400_000, "USD"),
        ("Rs3 crore for the families", 30_000_000, "PKR"),
        ("40 million yuan", 40_000_000, "CNY"),
        ("12 lakh rupees", 1_200_000, "PKR"),
        ("RMB 6 billion", 6_000_000_000, "CNY"),
        ("three million dollars", 3_000_000, "USD"),
        ("950,000 somoni", 950_000, "TJS"),
    ],
)
def test_money_in_digits_words_and_scales(text: str, amount: float, currency: str) -> None:
    got = find_money(text)
    assert [(m.amount, m.currency) for m in got] == [(amount, currency)]


def test_a_number_without_currency_is_no_money() -> None:
    assert find_money("five teams of 20 officers, 3 m apart, in 2031") == []


def test_act_dates_weekday_span_end_day_before_and_last_year() -> None:
    assert act_date("the two sides agreed on Tuesday", PUB).value == date(2031, 3, 11)
    span = act_date("the drill ran from February 20 to March 2", PUB)
    assert (span.value, span.precision) == (date(2031, 3, 2), "day")
    assert act_date("held from May 3 to May 9 last year", PUB).value == date(2030, 5, 9)
    assert act_date("A day earlier, the envoy met the minister", PUB).value == date(2031, 3, 13)
    stated = act_date("the two sides have agreed, a newspaper reported on Sunday", PUB)
    assert stated.basis == "statement"


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("the base will be completed by June", "2031-06"),
        ("the drill runs until mid-December", "2031-12"),
        ("the force will be raised by the end of 2032", "2032"),
        ("a delegation will visit next month", "2031-04"),
        ("the scanners will arrive within three months", "2031-06"),
        ("the envoy will visit soon", None),
    ],
)
def test_deadlines(text: str, due: str | None) -> None:
    assert deadline(text, PUB) == due


def test_a_running_exercise_is_due_when_its_stated_length_ends() -> None:
    rec = _one("China and Pakistan began a three-week joint exercise in Kharian on March 20, 2031.")
    assert (rec.stage, rec.date, rec.deadline) == ("under_way", "2031-03-20", "2031-04")


# ---------------------------------------------------------------- kinds and stages


@pytest.mark.parametrize(
    ("text", "kind", "stage"),
    [
        ("China and Pakistan agreed on Tuesday to hold a joint police exercise.", "joint_exercise", "agreed"),
        (
            "The Chinese ambassador pledged to Pakistan that Beijing would fund a forensic laboratory "
            "worth $2 million.",
            "capacity_equipment",
            "pledged",
        ),
        (
            "Pakistan's cabinet on Monday approved the payment of $3 million in compensation to the "
            "families of Chinese nationals killed in the attack.",
            "funding",
            "funded",
        ),
        (
            "Troops of China and Pakistan began a joint counter-terrorism exercise near Quetta on Monday.",
            "joint_exercise",
            "under_way",
        ),
        (
            "The Chinese embassy handed over forty armoured vehicles to the Sindh Police on Wednesday.",
            "capacity_equipment",
            "done",
        ),
        (
            "Officials said Pakistan had failed to follow the security protocols for Chinese nationals "
            "that both sides had set.",
            "security_arrangement",
            "not_fulfilled",
        ),
        (
            "A Pakistani delegation will visit Beijing next month to discuss police cooperation.",
            "visit_or_meeting",
            "announced",
        ),
        (
            "Islamabad assured the Chinese envoy that it would share intelligence on the attackers with "
            "Beijing.",
            "intelligence_sharing",
            "pledged",
        ),
        (
            "China will train 300 Pakistani police officers at its police academy in Urumqi.",
            "training",
            "pledged",
        ),
        (
            "China pledged $5 million on Monday to help Pakistan set up a forensic laboratory in Quetta.",
            "capacity_equipment",
            "pledged",
        ),
        (
            "Pakistan's interior minister told the Chinese ambassador on Monday that Pakistan will set up a "
            "special police unit to protect Chinese citizens.",
            "security_arrangement",
            "pledged",
        ),
        (
            "China's defence minister received the visiting Pakistani army chief in Beijing on Tuesday to "
            "discuss counter-terrorism.",
            "visit_or_meeting",
            "done",
        ),
        (
            "A protection force for Chinese workers, announced by Pakistan in 2029, was notified on Friday.",
            "security_arrangement",
            "done",
        ),
    ],
)
def test_kind_and_stage_from_trigger_and_nearest_cue(text: str, kind: str, stage: str) -> None:
    rec = next(r for r in _all(text) if r.kind == kind)
    assert rec.stage == stage


@pytest.mark.parametrize(
    "text",
    [
        "Beijing asked Islamabad to set up a dedicated protection unit for Chinese engineers.",
        "China urged Pakistan to hold joint drills, but there was no agreement on a date.",
        "Both leaders vowed to strengthen cooperation and praised the all-weather friendship.",
        "Pakistan has extradited several militants to China in recent years.",
        "Police issued arrest warrants for two men after the attack.",
        "The minister chaired the meeting by video link and spoke of relations with China.",
        "Pakistan's prime minister met China's president to discuss trade, a railway and an expo.",
        "Pakistan's senate defence committee met on Tuesday to discuss tensions with the United States.",
    ],
)
def test_demands_praise_aggregates_domestic_acts_and_trade_visits_are_not_records(text: str) -> None:
    assert _all(text) == []


# ---------------------------------------------------------------- promisor and beneficiary


def test_exercises_and_agreements_are_joint() -> None:
    rec = _one("Pakistan and China concluded their joint naval exercise in Karachi on Thursday.")
    assert (rec.promisor, rec.beneficiary, rec.stage) == (None, None, "done")


def test_a_visit_runs_from_the_visitor_to_the_host_and_a_third_country_venue_is_nobodys() -> None:
    rec = _one(
        "The Pakistani interior minister called on the Chinese ambassador at the Chinese Embassy to discuss "
        "the security of Chinese workers."
    )
    assert (rec.kind, rec.promisor, rec.beneficiary) == ("visit_or_meeting", "PK", "CN")
    far = _one("Chinese and Pakistani foreign ministers met in Tashkent on Wednesday to discuss terrorism.")
    assert (far.promisor, far.beneficiary) == (None, None)


def test_protection_runs_to_the_state_whose_nationals_are_protected() -> None:
    rec = _one("Pakistan raised a special security division to protect Chinese nationals on Monday.")
    assert (rec.kind, rec.promisor, rec.beneficiary) == ("security_arrangement", "PK", "CN")
    joint = _one("Pakistan and China agreed on a joint strategy to protect Chinese workers.")
    assert (joint.promisor, joint.beneficiary) == (None, "CN")


def test_training_runs_from_the_academy_to_the_trainees() -> None:
    rec = _one("Both sides agreed that Gilgit-Baltistan police officers will train at a Chinese academy.")
    assert (rec.kind, rec.promisor, rec.beneficiary) == ("training", "CN", "PK")


def test_action_against_a_named_group_for_the_partner() -> None:
    rec = _one("Pakistan told China on Friday it would act against the ETIM on its soil.")
    assert rec.kind == "action_against_group"
    assert (rec.promisor, rec.beneficiary, rec.group) == ("PK", "CN", "East Turkestan Islamic Movement")


def test_a_domestic_vow_is_not_a_promise_to_the_partner_but_one_to_its_consul_is() -> None:
    assert _all("Pakistan vowed to hunt down the network behind the bombing of Chinese workers.") == []
    rec = _one(
        "Pakistan's interior minister assured the Chinese consul general that the perpetrators would be "
        "brought to justice."
    )
    assert (rec.kind, rec.promisor, rec.beneficiary) == ("action_against_group", "PK", "CN")


# ---------------------------------------------------------------- one record per commitment


def test_mentions_of_one_commitment_merge_at_its_most_advanced_stage_with_evidence_of_each() -> None:
    text = (
        "China and Pakistan to hold Sentinel-IV exercise\n"
        "The armies of China and Pakistan began the Sentinel-IV joint exercise near Jhelum on Monday. "
        "The exercise concluded on Thursday with a demonstration."
    )
    rec = _one(text)
    assert (rec.stage, rec.date, rec.date_precision) == ("done", "2031-03-13", "day")
    assert len(rec.spans) >= 2 and all(text[a:b] for a, b in rec.spans)


def test_earlier_instances_of_a_series_and_different_arrangements_stay_apart() -> None:
    text = (
        "Pakistan and China concluded the Sentinel-IV joint exercise on Thursday. "
        "The previous edition, Sentinel-III, was held in 2029.\n"
        "Pakistan and China agreed on Tuesday to set up a joint security mechanism for Chinese workers. "
        "Pakistan also issued new SOPs for the protection of Chinese nationals on Monday."
    )
    kinds = sorted((r.kind, r.date or "") for r in _all(text))
    assert kinds == [
        ("joint_exercise", "2029"),
        ("joint_exercise", "2031-03-13"),
        ("security_arrangement", "2031-03-10"),
        ("security_arrangement", "2031-03-11"),
    ]


def test_commitments_made_at_a_meeting_take_its_day() -> None:
    text = (
        "The joint working group of China and Pakistan met in Islamabad on March 3 to discuss security.\n"
        "Under its minutes, China will supply scanners and vehicles to the Pakistani police, a newspaper "
        "reported on Thursday."
    )
    recs = {r.kind: r for r in _all(text)}
    assert recs["visit_or_meeting"].date == "2031-03-03"
    assert recs["capacity_equipment"].date == "2031-03-03"


def test_a_record_prints_in_the_schemas_field_order_with_doc_and_commitment_ids() -> None:
    row = _one("Pakistan and China agreed on Tuesday to hold a joint police exercise.").to_json()
    assert list(row) == ["doc_id", *SCHEMA_FIELDS, "commitment_id", "evidence_spans"]
    assert row["parties"] == ["CN", "PK"] and row["amount"] is None


# ---------------------------------------------------------------- linking across reports


def test_records_of_one_commitment_in_two_reports_share_an_id() -> None:
    one = extract_cooperation(
        "China and Pakistan began their joint police exercise in Lahore on Monday.", doc_id="a", published=PUB
    )
    two = extract_cooperation(
        "The joint police exercise of China and Pakistan concluded in Lahore on Thursday.",
        doc_id="b",
        published=PUB,
    )
    linked = link_commitments(one + two)
    assert len(linked) == 2
    assert linked[0].commitment_id == linked[1].commitment_id is not None


def test_different_instances_amounts_or_lives_do_not_link() -> None:
    base = CoopRecord(
        "a",
        "joint_exercise",
        ("CN", "PK"),
        None,
        None,
        "done",
        "2031-03-13",
        "day",
        object="Sentinel-IV joint exercise",
    )
    other_name = CoopRecord(
        "b",
        "joint_exercise",
        ("CN", "PK"),
        None,
        None,
        "done",
        "2031-03-13",
        "day",
        object="Sentinel-V joint exercise",
    )
    a_year_later = CoopRecord(
        "c", "joint_exercise", ("CN", "PK"), None, None, "done", "2032-03-13", "day", object="joint exercise"
    )
    money = CoopRecord(
        "d",
        "funding",
        ("CN", "PK"),
        "CN",
        "PK",
        "pledged",
        "2031-03",
        "month",
        amount=2e6,
        currency="USD",
        object="grant for police",
    )
    more = CoopRecord(
        "e",
        "funding",
        ("CN", "PK"),
        "CN",
        "PK",
        "funded",
        "2031-05",
        "month",
        amount=3e6,
        currency="USD",
        object="grant for police",
    )
    ids = [r.commitment_id for r in link_commitments([base, other_name, a_year_later, money, more])]
    assert len(set(ids)) == 5


# ---------------------------------------------------------------- the command


def test_intel_extract_cooperation_jsonl_names_documents_as_their_annotation_does(tmp_path: Path) -> None:
    report = tmp_path / "017.txt"
    report.write_text(
        "Drill ends\n\nISLAMABAD, March 14, 2031 - Pakistan and China concluded their joint police exercise "
        "in Lahore on Thursday, officials said.\n",
        encoding="utf-8",
    )
    (tmp_path / "017.coop.json").write_text(json.dumps({"doc_id": "coop-x-017"}), encoding="utf-8")
    other = tmp_path / "plain.txt"
    other.write_text(
        "Weather\n\nIt rained in Lahore on Thursday, and the match was delayed.\n", encoding="utf-8"
    )
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = CliRunner().invoke(app, ["extract", "--cooperation", "--jsonl", str(tmp_path)])
    assert result.exit_code == 1  # the empty file
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [(r["doc_id"], r["kind"], r["stage"], r["date"]) for r in rows] == [
        ("coop-x-017", "joint_exercise", "done", "2031-03-13")
    ]
    assert rows[0]["commitment_id"]
    people = CliRunner().invoke(app, ["extract", "--cooperation", str(report)])
    assert people.exit_code == 0 and people.stdout.startswith("coop-x-017\t2031-03-13\tjoint_exercise\tdone")


def test_a_state_media_report_of_a_meeting_and_what_it_agreed() -> None:
    text = (
        "Two ministers sign security pact\n\n"
        "BEIJING, May 3 (Newswire) -- China's minister of public security held talks with Pakistan's "
        "interior minister here on Thursday. The two sides signed a memorandum of understanding on law "
        "enforcement cooperation and agreed to establish a joint working group on counter-terrorism. The "
        "Chinese minister said China is ready to provide training to Pakistani police officers."
    )
    got = {(r.kind, r.stage): r for r in extract_cooperation(text, doc_id="t", published=date(2031, 5, 3))}
    assert set(got) == {
        ("visit_or_meeting", "done"),
        ("agreement", "agreed"),
        ("visit_or_meeting", "agreed"),
        ("training", "pledged"),
    }
    meeting = got[("visit_or_meeting", "done")]
    assert (meeting.promisor, meeting.beneficiary, meeting.place) == ("PK", "CN", "Beijing")  # "here"
    assert {r.date for r in got.values()} == {"2031-05-01"}  # what was agreed there, the day of the talks
    assert (got[("training", "pledged")].promisor, got[("training", "pledged")].beneficiary) == ("CN", "PK")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Pakistan handed over three suspected ETIM militants to China last month.",
            ("action_against_group", "done", "PK", "CN", "2031-02"),
        ),
        (
            "Pakistani and Chinese navy ships conducted a joint patrol in the Arabian Sea on Sunday.",
            ("security_arrangement", "done", None, None, "2031-03-09"),
        ),
        (
            "A Chinese delegation arrived in Islamabad on Sunday for a three-day visit on police matters.",
            ("visit_or_meeting", "under_way", "CN", "PK", "2031-03-09"),
        ),
        (
            "Beijing agreed in principle on Monday to fund a $50 million counter-terrorism training centre "
            "for Pakistan.",
            ("capacity_equipment", "agreed", "CN", "PK", "2031-03-10"),
        ),
        (
            "Iran and Pakistan agreed on Tuesday to set up a joint border commission to curb smuggling.",
            ("visit_or_meeting", "agreed", None, None, "2031-03-11"),
        ),
        (
            "Pakistan deported four fugitives wanted in China to Beijing on Saturday, the agency said.",
            ("action_against_group", "done", "PK", "CN", "2031-03-08"),
        ),
        (
            "Pakistan and China finalised an agreement on intelligence sharing on Monday.",
            ("intelligence_sharing", "agreed", None, None, "2031-03-10"),
        ),
        (
            "Pakistan and China launched joint patrols on the Karakoram Highway on Monday.",
            ("security_arrangement", "under_way", None, None, "2031-03-10"),
        ),
        (
            "The scanners China promised on Monday have yet to be handed over to Pakistan.",
            ("capacity_equipment", "pledged", "CN", "PK", "2031-03-10"),
        ),
        (
            "Pakistan has raised a new 9,000-strong force to protect Chinese nationals, the ministry "
            "said on Monday.",
            ("security_arrangement", "done", "PK", "CN", "2031-03-10"),
        ),
        (
            "Some 120 Pakistani police officers completed a six-week course in China on Friday.",
            ("training", "done", "CN", "PK", "2031-03-14"),
        ),
        (
            "Islamabad approved a special security plan for Chinese-run projects on Monday.",
            ("security_arrangement", "announced", "PK", "CN", "2031-03-10"),
        ),
        (
            "Iran handed over 12 suspected members of a banned group to Pakistan on Thursday.",
            ("action_against_group", "done", "IR", "PK", "2031-03-13"),
        ),
        (
            "Taliban authorities promised Pakistan on Wednesday that they would not allow the TTP to use "
            "Afghan soil against Pakistan.",
            ("action_against_group", "pledged", "AF", "PK", "2031-03-12"),
        ),
    ],
)
def test_more_acts_with_their_roles_and_dates(text: str, expected: tuple[object, ...]) -> None:
    rec = _one(text)
    assert (rec.kind, rec.stage, rec.promisor, rec.beneficiary, rec.date) == expected


def test_an_intelligence_agency_named_is_no_intelligence_sharing() -> None:
    assert (
        _all(
            "Officials blamed militants working with hostile intelligence agencies for the attack, "
            "which was carried out on Pakistani and Chinese engineers."
        )
        == []
    )


@pytest.mark.parametrize(
    ("headline", "expected"),
    [
        (
            "China hands over 40 armoured vehicles to Pakistan police",
            ("capacity_equipment", "done", "CN", "PK"),
        ),
        (
            "Pakistan, China agree to hold joint police drills in Xinjiang",
            ("joint_exercise", "agreed", None, None),
        ),
        (
            "Pakistan and China begin Sentinel-V counter-terrorism exercise",
            ("joint_exercise", "under_way", None, None),
        ),
        (
            "Tajikistan signs deal on Chinese-funded border outposts",
            ("capacity_equipment", "agreed", "CN", "TJ"),
        ),
        (
            "China and Pakistan will begin a joint exercise next month",
            ("joint_exercise", "announced", None, None),
        ),
    ],
)
def test_headlines_in_the_present_tense(headline: str, expected: tuple[object, ...]) -> None:
    rec = _one(headline)
    assert (rec.kind, rec.stage, rec.promisor, rec.beneficiary) == expected


def test_a_second_act_of_a_kind_in_its_own_part_of_a_sentence_and_a_definite_object_pointing_back() -> None:
    text = (
        "China and Pakistan signed a security agreement on Monday. Under the agreement, China will supply "
        "scanners to the Pakistani police, and the forensic laboratory in Lahore will be upgraded.\n"
        "China will also pay for a police base in Quetta. The facility would be built next year."
    )
    got = [
        (r.kind, r.stage, r.object.split()[0]) for r in extract_cooperation(text, doc_id="t", published=PUB)
    ]
    # the agreement is told by what it makes China do: those are the records, the signing their stage
    assert got == [
        ("capacity_equipment", "agreed", "scanners"),
        ("capacity_equipment", "agreed", "forensic"),
        ("capacity_equipment", "pledged", "base"),
    ]


words_ = st.sampled_from(
    [
        "China",
        "Pakistan",
        "Beijing",
        "agreed",
        "pledged",
        "will",
        "hold",
        "joint",
        "exercise",
        "handed",
        "over",
        "$2",
        "million",
        "Rs3",
        "crore",
        "to",
        "the",
        "police",
        "on",
        "Monday",
        "in",
        "Islamabad",
        ",",
        ".",
        ";",
        "-",
        "asked",
        "not",
        "training",
        "base",
        "visit",
        "talks",
        "ETIM",
        "against",
        "2030",
        "last",
        "year",
        "Chinese",
        "nationals",
        "security",
        "unit",
        "\n",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(words_, max_size=60).map(" ".join), st.none() | st.dates())
def test_any_text_gives_records_whose_spans_lie_in_it(text: str, published: date | None) -> None:
    for rec in extract_cooperation(text, doc_id="p", published=published):
        assert rec.kind in KINDS and rec.stage in STAGES
        assert all(0 <= a < b <= len(text) for a, b in rec.spans)
        assert len(rec.parties) >= 2 and list(rec.parties) == sorted(rec.parties)
        assert rec.promisor in (None, *rec.parties) and rec.beneficiary in (None, *rec.parties)
