"""Cooperation extraction on classes of phrasing any news writer uses, found by reading how the scorer
matches records and by probing the rules with sentences of my own (docs/cooperation-extraction.md, second
round): one test per class, in sentences written for these tests (a fictional 2031), never copied from a
report."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from outrider.intel.cooperation import CoopRecord, extract_cooperation, link_commitments

PUB = date(2031, 3, 14)  # a Friday


def _all(text: str, published: date | None = PUB) -> list[CoopRecord]:
    return extract_cooperation(text, doc_id="t", published=published)


UNDATED_VISIT = (
    "Chinese Public Security Minister Li Wen concluded two days of talks with Pakistani leaders on Tuesday. "
    "Pakistani Interior Minister Ahmed Raza told reporters after meeting his Chinese counterpart that "
    "Pakistan will not allow the East Turkestan Islamic Movement to use its soil for attacks on China."
)


def test_a_report_nobody_can_date_proposes_no_act_it_dates_by_the_day_of_writing() -> None:
    assert _all(UNDATED_VISIT, published=None) == []
    dated = {r.kind: r for r in _all(UNDATED_VISIT)}
    assert dated["visit_or_meeting"].date == "2031-03-11"
    assert dated["action_against_group"].date == "2031-03-11"  # made at the meeting


def test_an_act_told_without_a_time_keeps_its_record_undated() -> None:
    got = _all(
        "According to reports in the Chinese media, Pakistan acted on intelligence provided by China's "
        "Ministry of State Security.",
        published=None,
    )
    assert [(r.kind, r.promisor, r.beneficiary, r.date) for r in got] == [
        ("intelligence_sharing", "CN", "PK", None)
    ]


def test_intelligence_provided_by_a_state_is_shared() -> None:
    got = _all("Pakistani police arrested the suspect acting on information supplied by the Chinese side.")
    assert ("intelligence_sharing", "CN", "PK", "done") in {
        (r.kind, r.promisor, r.beneficiary, r.stage) for r in got
    }
    # money or goods "provided by" a side are not intelligence, and not made a record by these words alone
    assert _all("Construction costs 5 million yuan, all of it provided by the Chinese side.") == []


def test_what_is_recommended_urged_or_supposed_is_no_act() -> None:
    for wish in (
        "The Senate committee recommended that Pakistan sign a security agreement with China.",
        "The report urged that Islamabad set up a dedicated force for Chinese workers.",
        "Officials suggested that China and Pakistan hold a joint exercise in May.",
        "If China and Pakistan were to sign an extradition treaty, suspects could be handed over faster.",
        "It is time for Beijing and Islamabad to sign an extradition treaty.",
    ):
        assert _all(wish) == [], wish
    # "that" after a commissive verb still reports the commitment, and "the first time that" an act
    assert _all("It was the first time that China and Pakistan signed an extradition treaty, officials said.")
    agreed = _all("China and Pakistan agreed that a joint exercise would be held in May.")
    assert [(r.kind, r.stage) for r in agreed] == [("joint_exercise", "agreed")]
    assured = _all("Pakistan assured China that a dedicated force would be raised for Chinese workers.")
    assert [(r.kind, r.stage, r.promisor) for r in assured] == [("security_arrangement", "pledged", "PK")]


def test_currencies_named_with_their_country() -> None:
    from outrider.intel.cooperation.money import find_money

    got = [
        (m.amount, m.currency)
        for m in find_money(
            "20 million Chinese yuan, 7.5 million Pakistani rupees, Rs 2.5 crore, Rs 50 lakh, RMB 30 million "
            "then PKR 1.5bn and 3 million Tajik somoni"
        )
    ]
    assert got == [
        (20_000_000, "CNY"),
        (7_500_000, "PKR"),
        (25_000_000, "PKR"),
        (5_000_000, "PKR"),
        (30_000_000, "CNY"),
        (1_500_000_000, "PKR"),
        (3_000_000, "TJS"),
    ]


def _rows(text: str) -> list[tuple[object, ...]]:
    return [(r.kind, r.stage, r.promisor, r.beneficiary, r.amount, r.currency) for r in _all(text)]


def test_cash_handed_to_a_state_body_for_a_purpose_is_funding_from_the_giver() -> None:
    assert _rows(
        "China will provide Rs 2.5 crore to the Sindh police for the protection of Chinese nationals, "
        "the consul general said on Thursday."
    ) == [("funding", "pledged", "CN", "PK", 25_000_000, "PKR")]
    assert _rows("China will extend Pakistan $5 million for training of police officers.") == [
        ("funding", "pledged", "CN", "PK", 5_000_000, "USD")
    ]
    # the value of things given stays their value; compensation to the partner's victims stays the payer's
    assert _rows("China donated equipment worth $5 million to the Pakistani police.") == [
        ("capacity_equipment", "done", "CN", "PK", 5_000_000, "USD")
    ]
    assert _rows(
        "Pakistan will pay $11.6 million in compensation to the families of Chinese engineers killed in "
        "the attack, the foreign office said on Monday."
    ) == [("funding", "pledged", "PK", "CN", 11_600_000, "USD")]


def test_a_first_tranche_paid_moves_the_pledge_to_funded() -> None:
    got = _all(
        "China has pledged $5 million to Pakistan for police capacity building. The first instalment of "
        "$2 million was disbursed on Tuesday, the finance ministry said."
    )
    assert [(r.kind, r.stage, r.promisor, r.beneficiary, r.amount, r.date) for r in got] == [
        ("funding", "funded", "CN", "PK", 5_000_000, "2031-03-11")
    ]


def _one(text: str) -> CoopRecord:
    got = _all(text)
    assert len(got) == 1, got
    return got[0]


def test_days_written_as_ordinals_numbers_or_abbreviated_months() -> None:
    assert _one("China handed over 20 armoured vehicles to the Sindh police on the 12th of March.").date == (
        "2031-03-12"
    )
    assert _one("The joint exercise between Pakistan and China concluded on 11/03/2031.").date == "2031-03-11"
    # "Mar." ends no sentence: the day after it stays with its month
    rec = _one("Pakistan handed over three suspects to China on Mar. 9. The suspects were flown to Urumqi.")
    assert (rec.date, rec.date_precision) == ("2031-03-09", "day")


def test_an_exercise_that_ended_or_drew_to_a_close_is_done() -> None:
    for text in (
        "The 12-day joint exercise between China and Pakistan ended on Sunday.",
        "The joint exercise between China and Pakistan drew to a close on Sunday.",
    ):
        rec = _one(text)
        assert (rec.kind, rec.stage, rec.date) == ("joint_exercise", "done", "2031-03-09"), text


def test_a_meeting_named_as_the_occasion_of_an_agreement_was_held() -> None:
    got = {
        r.kind: r
        for r in _all(
            "At their meeting in Beijing on Tuesday, the interior ministers of China and Pakistan agreed to "
            "set up a joint security mechanism."
        )
    }
    assert (got["visit_or_meeting"].stage, got["visit_or_meeting"].date) == ("done", "2031-03-11")
    assert got["security_arrangement"].stage == "agreed"
    # a visit named only as a time is still no meeting record
    assert [
        r.kind
        for r in _all("A week before the premier's visit, China and Pakistan signed a security agreement.")
    ] == ["agreement"]


def _rec(doc: str, kind: str, stage: str, day: str, obj: str, promisor: str | None = "PK") -> CoopRecord:
    beneficiary = None if kind == "joint_exercise" else "CN"
    promisor = None if kind == "joint_exercise" else promisor
    return CoopRecord(doc, kind, ("CN", "PK"), promisor, beneficiary, stage, day, "day", object=obj)


def _linked(*records: CoopRecord) -> bool:
    got = link_commitments(list(records))
    return len({r.commitment_id for r in got}) == 1


def test_reports_naming_one_promise_or_inquiry_in_other_words_are_linked() -> None:
    justice = _rec("a", "action_against_group", "pledged", "2031-03-10", "brought to justice")
    attackers = _rec(
        "b", "action_against_group", "pledged", "2031-03-11", "action against the convoy attackers"
    )
    assert _linked(justice, attackers)
    # a joint inquiry one report tells as both sides' and another as one side's is one inquiry
    joint = _rec("a", "action_against_group", "agreed", "2031-03-10", "joint investigation team", None)
    probe = _rec("c", "action_against_group", "done", "2031-03-15", "probe into the attack")
    assert _linked(joint, probe)
    assert not _linked(justice, probe)


def test_an_exercise_agreed_after_one_was_held_is_the_next_one() -> None:
    held = _rec("a", "joint_exercise", "done", "2031-03-10", "joint exercise")
    next_one = _rec("b", "joint_exercise", "agreed", "2031-03-12", "exercise")
    planned = _rec("c", "joint_exercise", "agreed", "2031-02-20", "joint exercise")
    assert not _linked(held, next_one)
    assert _linked(planned, held)


def test_what_a_side_denies_was_signed_is_no_act() -> None:
    assert (
        _all(
            "Chinese and Pakistani officials denied media reports on Wednesday that the two countries had "
            "signed a secret deal on joint patrols in the port city."
        )
        == []
    )


def test_the_giver_of_things_supplied_is_the_subject_of_the_verb_of_its_own_part() -> None:
    rec = _one(
        "Beijing has agreed to supply Islamabad with 50 surveillance drones, the ministry said on Tuesday."
    )
    assert (rec.kind, rec.stage, rec.promisor, rec.beneficiary) == (
        "capacity_equipment",
        "agreed",
        "CN",
        "PK",
    )
    rec = _one(
        "China will bear the cost of the new police station in Gwadar, which is expected to cost Rs 300 "
        "million, Chinese officials told Pakistan's Balochistan chief minister on Tuesday."
    )
    assert (rec.kind, rec.stage, rec.promisor, rec.amount, rec.currency) == (
        "capacity_equipment",
        "pledged",
        "CN",
        300_000_000,
        "PKR",
    )


def test_a_body_named_investigation_agency_is_no_investigation() -> None:
    rec = _one(
        "China's Ministry of Public Security and Pakistan's Federal Investigation Agency signed a memorandum "
        "of understanding on combating cross-border crime on Thursday."
    )
    assert (rec.kind, rec.stage, rec.date) == ("agreement", "agreed", "2031-03-13")


def test_an_assurance_to_a_visitor_means_the_meeting_was_held() -> None:
    got = {
        r.kind: r
        for r in _all(
            "Pakistan's army chief assured visiting Chinese defence minister Li Qiang on Thursday that the "
            "Special Security Division would be expanded by two battalions."
        )
    }
    assert got["visit_or_meeting"].stage == "done"
    assert (got["security_arrangement"].stage, got["security_arrangement"].promisor) == ("pledged", "PK")


def test_a_joint_centre_decided_is_an_arrangement() -> None:
    rec = _one(
        "Pakistan and China have decided to establish a joint counter-terrorism centre in Islamabad, the "
        "interior minister announced on Monday."
    )
    assert (rec.kind, rec.stage, rec.promisor) == ("security_arrangement", "agreed", None)


def test_a_visit_an_agreement_was_reached_during_is_a_meeting_held() -> None:
    got = {
        r.kind: r
        for r in _all(
            "China and Pakistan signed three security agreements during the visit of the Pakistani prime "
            "minister to Beijing on Tuesday."
        )
    }
    visit = got["visit_or_meeting"]
    assert (visit.stage, visit.promisor, visit.beneficiary, visit.date) == ("done", "PK", "CN", "2031-03-11")
    # security kept tight during a visit tells no meeting
    assert _all("Security was tight during the visit of the Chinese premier to Islamabad on Tuesday.") == []


def test_a_plan_followed_by_the_agreement_was_reached_is_agreed() -> None:
    got = _all(
        "China and Pakistan will hold their first joint police exercise in May, the Chinese ministry said on "
        "Thursday. The agreement was reached at talks in Beijing, the ministry said."
    )
    assert [(r.kind, r.stage) for r in got if r.kind == "joint_exercise"] == [("joint_exercise", "agreed")]
    alone = _all("China and Pakistan will hold their first joint police exercise in May, the ministry said.")
    assert [(r.kind, r.stage) for r in alone] == [("joint_exercise", "announced")]


def test_a_promise_that_soil_will_not_be_used_against_the_partner() -> None:
    rec = _one(
        "The Islamic Emirate's acting interior minister assured the Chinese ambassador on Tuesday that "
        "Afghan soil would not be used against China."
    )
    assert (rec.kind, rec.stage, rec.promisor, rec.beneficiary) == (
        "action_against_group",
        "pledged",
        "AF",
        "CN",
    )


def test_the_state_whose_funding_builds_a_thing_gives_it() -> None:
    rec = _one(
        "Tajikistan and China will build a new border outpost on the Tajik-Afghan border with Chinese "
        "funding, the Tajik interior ministry said on Monday."
    )
    assert (rec.kind, rec.promisor, rec.beneficiary) == ("capacity_equipment", "CN", "TJ")


def test_troops_taking_part_in_an_exercise_that_runs_until_a_day() -> None:
    rec = _one(
        "The military said on Tuesday that Chinese and Pakistani troops were taking part in the joint "
        "exercise, which will run until March 25."
    )
    assert (rec.stage, rec.date) == ("under_way", "2031-03-11")  # the day it was told, not the end to come
    rec = _one("Chinese troops took part in the joint exercise with the Pakistan Army in Jhelum last week.")
    assert (rec.stage, rec.date_precision) == ("done", "week")


def test_a_third_state_concerned_by_reports_of_a_deal_tells_no_deal() -> None:
    assert (
        _all("India said it was concerned by reports that China would supply Pakistan with submarines.") == []
    )


def test_a_delegation_visiting_now_and_what_its_talks_are_about() -> None:
    got = _all("A Pakistani delegation is visiting Beijing this week for talks on police training.")
    assert [(r.kind, r.stage, r.promisor, r.beneficiary) for r in got] == [
        ("visit_or_meeting", "under_way", "PK", "CN")
    ]  # the talks' topic is no training given
    got = _all("China and Pakistan held talks on Monday and agreed on police training for 200 officers.")
    assert {(r.kind, r.stage) for r in got} == {("visit_or_meeting", "done"), ("training", "agreed")}


def test_a_future_act_is_announced_unless_said_to_the_partner() -> None:
    plan = _one(
        "A dedicated force of 150 police officers will also be stationed at the Chinese-run wind farms in "
        "Pakistan's Sindh province, the provincial government said on Thursday."
    )
    assert (plan.kind, plan.stage) == ("security_arrangement", "announced")
    told = _one(
        "Pakistan's interior minister told the Chinese ambassador on Thursday that a dedicated force would "
        "be stationed at the wind farms."
    )
    assert (told.kind, told.stage) == ("security_arrangement", "pledged")


def test_an_act_told_by_its_own_month_before_the_day_it_was_said() -> None:
    rec = _one("China and Pakistan signed a security agreement earlier this month, officials said on Friday.")
    assert (rec.date, rec.date_precision) == ("2031-03", "month")
    rec = _one("China and Pakistan held two days of security talks in Beijing on Tuesday and Wednesday.")
    assert rec.date == "2031-03-12"  # the last day


def test_action_promised_in_other_verbs_and_against_a_group_named_by_its_official_label() -> None:
    rec = _one(
        "Pakistan told China on Monday it would hunt down the terrorists of the East Turkistan Islamic "
        "Movement (ETIM)."
    )
    assert (rec.kind, rec.stage, rec.group) == (
        "action_against_group",
        "pledged",
        "East Turkestan Islamic Movement",
    )
    rec = _one("Pakistan pledged to China on Monday to crack down on Fitna al-Khawarij militants.")
    assert (rec.kind, rec.stage, rec.group) == (
        "action_against_group",
        "pledged",
        "Tehrik-i-Taliban Pakistan",
    )


def test_protective_things_donated_are_equipment_not_an_arrangement() -> None:
    got = _all("China has donated 12 bullet-proof vehicles to Pakistan's Special Protection Unit on Monday.")
    assert [(r.kind, r.stage, r.promisor, r.beneficiary) for r in got] == [
        ("capacity_equipment", "done", "CN", "PK")
    ]
    own = _one("Pakistan will provide bullet-proof vehicles for all movements of Chinese nationals.")
    assert (own.kind, own.promisor, own.beneficiary) == ("security_arrangement", "PK", "CN")


def test_approval_and_willingness_in_other_words() -> None:
    rec = _one(
        "Pakistan's cabinet on Tuesday okayed a memorandum of understanding with China on counter-terrorism."
    )
    assert (rec.kind, rec.stage) == ("agreement", "agreed")
    rec = _one(
        "The Chinese side is willing to provide training for Pakistani police officers, the envoy said."
    )
    assert (rec.kind, rec.stage, rec.promisor, rec.beneficiary) == ("training", "pledged", "CN", "PK")


def test_money_provided_with_a_purpose_built_after_it_and_forensics_in_the_field() -> None:
    rec = _one(
        "China will provide Pakistan with $2 million for the establishment of a forensic laboratory, the "
        "interior ministry said on Wednesday."
    )
    assert (rec.kind, rec.stage, rec.promisor, rec.amount) == ("funding", "pledged", "CN", 2_000_000)


def test_an_undated_promise_is_of_the_meeting_told_just_before_it() -> None:
    text = (
        "A Chinese delegation arrived in Islamabad on Wednesday on a three-day visit to Pakistan. "
        "The delegation met Pakistan's interior minister on Thursday and discussed the security of Chinese "
        "nationals. The minister assured the visitors that Pakistan would raise two more battalions of the "
        "Special Security Division by June."
    )
    got = {r.kind: r for r in _all(text)}
    assert got["visit_or_meeting"].date == "2031-03-12"  # the trip, from its arrival
    assert (got["security_arrangement"].stage, got["security_arrangement"].date) == ("pledged", "2031-03-13")


def test_money_pledged_and_the_things_it_bought_handed_over_are_one_commitment() -> None:
    pledge = replace(
        _rec("a", "funding", "pledged", "2031-01-10", "$3 million for scanners", "CN"),
        beneficiary="PK",
        amount=3e6,
    )
    handover = replace(
        _rec("b", "capacity_equipment", "done", "2031-06-02", "scanners worth $3 million", "CN"),
        beneficiary="PK",
        amount=3e6,
    )
    other_sum = replace(handover, doc_id="c", amount=4e6)
    assert _linked(pledge, handover)
    assert not _linked(pledge, other_sum)


def test_air_forces_and_armed_police_named_by_their_abbreviations() -> None:
    rec = _one(
        "PAF and PLAAF pilots concluded the Shaheen-XI air exercise at an air base in Pakistan on Monday."
    )
    assert (rec.kind, rec.stage, rec.parties) == ("joint_exercise", "done", ("CN", "PK"))
    rec = _one("Rangers and PAP personnel conducted a counter-terrorism drill in Urumqi on Monday.")
    assert rec.parties == ("CN", "PK")


def test_commanders_handed_over_and_a_joint_mechanism_named_with_two_words_between() -> None:
    rec = _one(
        "The Afghan interim government handed over three TTP commanders to Pakistan at the Torkham border "
        "crossing on Monday."
    )
    assert (rec.kind, rec.stage, rec.promisor, rec.beneficiary, rec.group) == (
        "action_against_group",
        "done",
        "AF",
        "PK",
        "Tehrik-i-Taliban Pakistan",
    )
    rec = _one(
        "Kabul and Islamabad agreed on Monday to set up a joint border coordination mechanism at Torkham."
    )
    assert (rec.kind, rec.stage, rec.parties) == ("security_arrangement", "agreed", ("AF", "PK"))


def test_a_provincial_home_department_and_troops_deployed_to_guard() -> None:
    rec = _one(
        "The Sindh Home Department on Monday notified new SOPs for the security of Chinese nationals, "
        "requiring police escorts for all their movements."
    )
    assert (rec.kind, rec.stage, rec.promisor, rec.beneficiary) == (
        "security_arrangement",
        "done",
        "PK",
        "CN",
    )
    rec = _one("Pakistan deployed 500 troops to guard Chinese engineers at the dam on Monday.")
    assert (rec.kind, rec.stage, rec.promisor, rec.beneficiary) == (
        "security_arrangement",
        "done",
        "PK",
        "CN",
    )


def test_one_side_deciding_announces_both_sides_deciding_agree() -> None:
    rec = _one(
        "Pakistan decided on Monday to raise a new army division for the security of Chinese nationals."
    )
    assert (rec.kind, rec.stage, rec.promisor) == ("security_arrangement", "announced", "PK")
    rec = _one("Pakistan and China decided on Monday to set up a joint security mechanism.")
    assert (rec.kind, rec.stage) == ("security_arrangement", "agreed")


def test_what_a_side_will_do_according_to_an_agreement_is_agreed() -> None:
    rec = _one(
        "According to the agreement signed on Monday, China will train 500 Pakistani police officers a year."
    )
    assert (rec.kind, rec.stage, rec.promisor, rec.beneficiary) == ("training", "agreed", "CN", "PK")
