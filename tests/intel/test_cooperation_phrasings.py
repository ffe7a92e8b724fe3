"""Cooperation extraction on phrasings found missing when the rules met reports they were not written from
(docs/cooperation-extraction.md): one test per class, in sentences written for these tests (a fictional
2031), never copied from a report."""

from __future__ import annotations

from datetime import date

from coop_phrasing import PUB
from coop_phrasing import records as _all

from outrider.intel.cooperation import CoopRecord, extract_cooperation, link_commitments
from outrider.intel.cooperation.parties import find_parties
from outrider.intel.cooperation.reports import extract_files
from outrider.intel.pipeline import TextInput


def _by_kind(text: str, published: date | None = PUB) -> dict[str, CoopRecord]:
    got = _all(text, published)
    assert len({r.kind for r in got}) == len(got), got
    return {r.kind: r for r in got}


def test_a_performed_verb_after_will_be_or_would_be_is_a_promise() -> None:
    got = _by_kind(
        "Pakistan's interior minister told the Chinese ambassador on Thursday that new security "
        "protocols for Chinese engineers in Kohat would be issued within ten days."
    )
    rec = got["security_arrangement"]
    assert (rec.stage, rec.promisor, rec.beneficiary) == ("pledged", "PK", "CN")


def test_armoured_carriers_and_robots_are_equipment() -> None:
    rec = _by_kind(
        "China on Wednesday handed over 12 armoured personnel carriers and four bomb disposal robots to "
        "the Punjab police in Lahore."
    )["capacity_equipment"]
    assert (rec.stage, rec.promisor, rec.beneficiary, rec.date) == ("done", "CN", "PK", "2031-03-12")


def test_a_named_unit_that_receives_equipment_or_training_is_no_arrangement_of_its_own() -> None:
    got = _by_kind(
        "China on Tuesday donated 40 scanners to the Balochistan police's Special Protection Unit, and "
        "trained 30 officers of the Special Protection Unit at a Chinese academy."
    )
    assert "security_arrangement" not in got
    assert got["capacity_equipment"].stage == "done"


def test_another_battalion_promised_is_an_arrangement() -> None:
    rec = _by_kind(
        "The Sindh Police chief told the Chinese consul general on Monday that a third police battalion "
        "would be raised by October exclusively for the protection of Chinese nationals."
    )["security_arrangement"]
    assert (rec.stage, rec.promisor, rec.beneficiary) == ("pledged", "PK", "CN")
    assert rec.date == "2031-03-10"  # the promise's day, not October's


def test_the_month_a_plan_names_does_not_date_the_agreement() -> None:
    rec = _by_kind(
        "On Wednesday Pakistan and China agreed that a joint police exercise would be held in Gilgit "
        "starting in November."
    )["joint_exercise"]
    assert (rec.stage, rec.date) == ("agreed", "2031-03-12")


def test_a_header_date_alone_or_after_a_press_release_city_dates_the_report() -> None:
    got = next(recs for _, recs in extract_files([TextInput("t", "Press desk\n2031/03/14\n\n" + VISIT)]))
    assert [(r.kind, r.date) for r in got] == [("visit_or_meeting", "2031-03-11")]


VISIT = (
    "The Chinese interior minister visited Pakistan's interior ministry in Islamabad on Tuesday to discuss "
    "security."
)


def test_could_or_might_before_the_cue_is_no_commitment_and_some_cases_is_no_act() -> None:
    assert (
        _all("Pakistan and China could agree on joint training for the police officers guarding projects.")
        == []
    )
    assert (
        _all(
            "Pakistan has arrested and, in some cases, handed over militants wanted by China, and China has "
            "funded equipment for the police."
        )
        == []
    )


def test_an_abbreviation_in_brackets_is_the_same_equipment() -> None:
    got = _all(
        "China gifts APCs to Punjab police\n"
        "China on Monday gifted eight armoured personnel carriers (APCs) to the Punjab police in Lahore."
    )
    assert [(r.kind, r.stage) for r in got] == [("capacity_equipment", "done")]


def test_a_quick_reaction_force_to_be_stationed_is_a_promised_arrangement() -> None:
    rec = _by_kind(
        "The Sindh government told the Chinese consul on Monday that a quick reaction force would be "
        "stationed near the Chinese engineers' camp."
    )["security_arrangement"]
    assert (rec.stage, rec.promisor, rec.beneficiary) == ("pledged", "PK", "CN")


def test_a_border_named_by_its_two_sides_is_no_party() -> None:
    assert [h.code for h in find_parties("posts on the Kyrgyz-Afghan border and Kyrgyz border guards")] == [
        "KG"
    ]
    assert [h.code for h in find_parties("the Pakistan-Afghanistan frontier")] == []


def test_trainees_named_by_their_force_and_teachers_by_their_school() -> None:
    rec = _by_kind(
        "On Monday Uzbekistan and China agreed that China would train 50 Uzbek customs officers at Chinese "
        "police academies next year."
    )["training"]
    assert (rec.promisor, rec.beneficiary) == ("CN", "UZ")
    rec = _by_kind(
        "On Monday a ceremony was held at the China Police College for 40 officers of the Sindh Police, "
        "who had completed a Chinese training course on convoy security."
    )["training"]
    assert (rec.stage, rec.promisor, rec.beneficiary) == ("done", "CN", "PK")


def test_us_dollars_name_no_state_and_a_total_is_the_sum() -> None:
    rec = _by_kind(
        "On Wednesday Pakistan's federal cabinet approved the payment of 50,000 US dollars to each of the "
        "families of the four Chinese workers killed in Gwadar, a total of 200,000 dollars."
    )["funding"]
    assert (rec.parties, rec.promisor, rec.beneficiary) == (("CN", "PK"), "PK", "CN")
    assert (rec.stage, rec.amount, rec.currency) == ("funded", 200_000, "USD")


def test_last_week_has_week_precision() -> None:
    rec = _by_kind(
        "The third meeting of the Pakistan-China joint working group on police cooperation was held in "
        "Urumqi last week."
    )["visit_or_meeting"]
    assert (rec.date, rec.date_precision) == ("2031-03-07", "week")


def test_the_meeting_a_sentence_reports_beside_one_named_as_its_time() -> None:
    got = _all(
        "On the sidelines of the summit on Tuesday, the Chinese and Pakistani interior ministers held a "
        "bilateral meeting on the security of Chinese engineers."
    )
    assert [(r.kind, r.stage, r.date) for r in got] == [("visit_or_meeting", "done", "2031-03-11")]


TRILATERAL = (
    "On Monday Kazakhstan hosted the trilateral interior ministers' meeting of Kazakhstan, China and "
    "Uzbekistan in Astana. The three ministers agreed to share intelligence on terrorist groups. "
    "The three ministers also agreed to hold the next meeting in Tashkent in October."
)


def test_the_three_ministers_are_the_trilaterals_states_and_its_next_meeting_is_dated_by_the_agreement() -> (
    None
):
    got = [(r.kind, r.stage, r.parties, r.date) for r in _all(TRILATERAL)]
    assert ("visit_or_meeting", "done", ("CN", "KZ", "UZ"), "2031-03-10") in got
    assert ("visit_or_meeting", "agreed", ("CN", "KZ", "UZ"), "2031-03-10") in got


def test_a_meeting_is_of_the_security_field_when_the_next_sentence_says_so() -> None:
    meeting = (
        "On Monday Kazakhstan hosted the trilateral ministers' meeting of Kazakhstan, China and Uzbekistan."
    )
    assert _all(meeting + " The ministers then discussed counter-terrorism cooperation.") != []
    assert _all(meeting + " The ministers then discussed rail freight tariffs.") == []


def test_suspects_handed_over_to_a_state_serve_that_state() -> None:
    rec = _by_kind(
        "Kyrgyz authorities on Tuesday handed over to Tajikistan three suspected militants wanted for a "
        "bombing in Khujand, although Tajik nationals remain detained in Bishkek."
    )["action_against_group"]
    assert (rec.promisor, rec.beneficiary, rec.stage) == ("KG", "TJ", "done")


def test_details_shared_with_a_partner_are_intelligence() -> None:
    rec = _by_kind(
        "Uzbek police said on Monday they had shared the suspects' details and phone records with Kazakhstan "
        "through official channels."
    )["intelligence_sharing"]
    assert (rec.stage, rec.parties) == ("done", ("KZ", "UZ"))


def test_justice_promised_to_the_partners_envoy() -> None:
    for pledge in (
        "those behind the attack on the Chinese engineers would be identified and punished",
        "the attackers of the Chinese engineers would be brought to justice",
        "the police would pursue the militants who attacked the Chinese engineers",
    ):
        rec = _by_kind(
            f"Pakistan's interior minister assured the Chinese ambassador on Monday that {pledge}."
        )["action_against_group"]
        assert (rec.stage, rec.promisor, rec.beneficiary) == ("pledged", "PK", "CN"), pledge


def test_no_member_of_a_group_allowed_to_operate_from_a_state_is_a_pledge_against_it() -> None:
    rec = _by_kind(
        "Afghanistan's foreign minister gave an assurance to the Chinese envoy on Sunday that no member "
        "of the ETIM would be allowed to operate from Afghanistan against China."
    )["action_against_group"]
    assert (rec.stage, rec.promisor, rec.beneficiary) == ("pledged", "AF", "CN")
    assert rec.group == "East Turkestan Islamic Movement"


def test_a_group_named_as_the_attacks_authors_and_a_surname_that_is_no_group() -> None:
    got = _all(
        "Interior minister Sirajuddin Haqqani on Wednesday assured the Chinese ambassador that those behind "
        "the attack on the Chinese engineers would be identified and punished. The minister also assured the "
        "ambassador that Afghanistan's forces would pursue the Daesh elements involved in the attack."
    )
    acts = [r for r in got if r.kind == "action_against_group"]
    assert [(r.stage, r.promisor, r.beneficiary, r.group) for r in acts] == [
        ("pledged", "AF", "CN", "Islamic State Khorasan Province")
    ]


def test_a_visit_under_way_that_ends_later_is_not_the_visit_of_another_month() -> None:
    got = _all(
        "The Punjab chief minister, who is on a six-day visit to China that ends on Sunday, signed a police "
        "training accord in Beijing on Thursday. Pakistan's interior minister visited Beijing in January."
    )
    visits = sorted((r.stage, r.date) for r in got if r.kind == "visit_or_meeting")
    assert visits == [("done", "2031-01"), ("under_way", "2031-03-13")]


def test_a_purpose_is_no_arrangement_and_a_grant_that_built_something_is_its_value() -> None:
    got = _by_kind(
        "China on Monday handed over new police vehicles to Kazakhstan to strengthen the protection of "
        "Chinese workers in the country."
    )
    assert list(got) == ["capacity_equipment"]
    got = _by_kind(
        "China on Monday handed over to Kyrgyzstan four checkposts built with Chinese grant assistance near "
        "the border."
    )
    assert list(got) == ["capacity_equipment"]


def test_an_agreement_told_by_what_it_makes_each_side_do_is_no_record_of_its_own() -> None:
    got = _all(
        "China and Uzbekistan signed a memorandum of understanding on police cooperation in Tashkent on "
        "Monday. Under the agreement, China will provide 20 patrol vehicles to the Uzbek police."
    )
    assert [(r.kind, r.stage, r.date) for r in got] == [("capacity_equipment", "agreed", "2031-03-10")]


def test_a_visit_under_way_is_not_the_visit_of_a_named_month() -> None:
    got = _all(
        "The Sindh police chief, who is on a visit to China, met Chinese police officials in Beijing on "
        "Thursday to discuss security. Pakistan's interior minister visited Beijing in January for "
        "counter-terrorism talks."
    )
    assert sorted((r.stage, r.date) for r in got if r.kind == "visit_or_meeting") == [
        ("done", "2031-01"),
        ("under_way", "2031-03-13"),
    ]


def test_a_programme_to_strengthen_a_border_with_a_states_assistance() -> None:
    rec = _by_kind(
        "In 2030, Kyrgyzstan and Russia agreed on a programme to strengthen the Kyrgyz-Tajik border with "
        "Russian assistance."
    )["security_arrangement"]
    assert (rec.stage, rec.parties, rec.promisor, rec.beneficiary, rec.date) == (
        "agreed",
        ("KG", "RU"),
        "RU",
        "KG",
        "2030",
    )


def test_a_joint_working_group_meets_for_both_states_unnamed() -> None:
    text = (
        "Pakistan and China agreed on new convoy rules in January. The second meeting of the joint working "
        "group on police cooperation, held in Beijing in February, reviewed the security of Chinese "
        "nationals."
    )
    visits = [r for r in _all(text) if r.kind == "visit_or_meeting"]
    assert [(r.stage, r.parties, r.date) for r in visits] == [("done", ("CN", "PK"), "2031-02")]


def test_a_cell_that_met_is_no_visit_and_an_assessment_cell_is_intelligence() -> None:
    got = _all(
        "Pakistan and China set up a joint threat-assessment cell on Monday; the cell, which is to meet "
        "weekly, met for the first time on Tuesday to discuss security."
    )
    assert [(r.kind, r.stage) for r in got] == [("intelligence_sharing", "done")]
    met = _all(
        "Uzbekistan's foreign minister met the Chinese ambassador on Tuesday and discussed border security."
    )
    assert [r.kind for r in met] == ["visit_or_meeting"]


def test_the_cue_of_the_triggers_own_clause_wins_over_a_nearer_one_outside_it() -> None:
    rec = _by_kind(
        "On Monday Pakistan and China agreed to establish a joint threat-assessment cell, which will meet "
        "every month."
    )["intelligence_sharing"]
    assert rec.stage == "agreed"


def test_assures_and_a_surname_that_speaks() -> None:
    got = _all(
        "Haqqani assures Chinese envoy of action against Kunduz attackers\n"
        "Afghanistan's interior minister on Monday assured the Chinese ambassador that the Daesh elements "
        "behind the attack on the Chinese engineers would be identified and punished."
    )
    acts = [(r.stage, r.promisor, r.beneficiary, r.group) for r in got if r.kind == "action_against_group"]
    assert acts == [("pledged", "AF", "CN", "Islamic State Khorasan Province")]


def test_an_opening_ceremony_held_and_an_investigation_joined_are_under_way() -> None:
    rec = _by_kind(
        "The opening ceremony of the China-Pakistan joint police exercise was held on Monday in Lahore."
    )["joint_exercise"]
    assert rec.stage == "under_way"
    rec = _by_kind(
        "Chinese police investigators on Monday said they have joined the investigation into the attack on "
        "Chinese engineers in Pakistan."
    )["action_against_group"]
    assert rec.stage == "under_way"


def test_a_delegation_that_arrived_and_held_talks_is_still_visiting() -> None:
    got = _all(
        "A Chinese police delegation arrived in Lahore on Sunday to discuss security. The delegation held "
        "talks with Pakistan's interior minister on Monday."
    )
    assert [(r.kind, r.stage, r.date, r.promisor) for r in got] == [
        ("visit_or_meeting", "under_way", "2031-03-09", "CN")
    ]
    ended = _all(
        "A Chinese police delegation arrived in Lahore on Sunday to discuss security. The delegation held "
        "talks with Pakistan's interior minister on Monday and returned to Beijing on Wednesday."
    )
    assert [r.stage for r in ended] == ["done"]


def test_escorts_killed_are_victims_and_a_justice_promise_is_apart_from_a_joint_probe() -> None:
    got = _all(
        "Pakistan's interior minister on Monday assured the Chinese ambassador that the attackers would be "
        "brought to justice. The two sides agreed that Chinese police experts would join the investigation "
        "into the attack on Chinese engineers, in which three police escorts were killed."
    )
    acts = sorted((r.stage, r.promisor, r.beneficiary) for r in got if r.kind == "action_against_group")
    assert acts == [("agreed", None, "CN"), ("pledged", "PK", "CN")]
    assert not [r for r in got if r.kind == "security_arrangement"]


def test_a_joint_listing_proposal_submitted_is_an_act_against_the_group() -> None:
    rec = _by_kind(
        "On Monday Pakistan and China jointly submitted a proposal to the UN Security Council for the "
        "listing of the Balochistan Liberation Army."
    )["action_against_group"]
    assert (rec.stage, rec.promisor, rec.group) == ("done", None, "Balochistan Liberation Army")
    assert (
        _all("On Monday China called on Pakistan to take action against the Balochistan Liberation Army.")
        == []
    )


def test_an_agreement_wished_for_in_a_conditional_is_no_record() -> None:
    assert (
        _all(
            "A public framework for the protection of Chinese nationals in Pakistan, agreed at the highest "
            "level, would do more than another round of talks."
        )
        == []
    )
    rec = _by_kind(
        "The framework for the protection of Chinese nationals in Pakistan, agreed on Monday, will be "
        "reviewed every year."
    )
    assert [r.stage for r in rec.values()] == ["agreed"]


def test_late_in_a_year_is_that_year_and_a_next_edition_is_not_the_one_held() -> None:
    got = _all(
        "The China-Pakistan police exercise Shield-2031 concluded on Thursday in Lahore. Both sides also "
        "agreed to make it a regular exercise, with the next edition in Urumqi. The two police forces had "
        "also held the Falcon-IV joint exercise in late 2029."
    )
    got_ = sorted((r.stage, r.date) for r in got if r.kind == "joint_exercise")
    assert got_ == [("agreed", "2031-03-13"), ("done", "2029"), ("done", "2031-03-13")]


def test_what_one_state_received_from_another_was_given_by_it() -> None:
    rec = _by_kind("Tajikistan on Tuesday received 20 armoured vehicles from China for its border troops.")[
        "capacity_equipment"
    ]
    assert (rec.stage, rec.promisor, rec.beneficiary, rec.date) == ("done", "CN", "TJ", "2031-03-11")
    rec = _by_kind(
        "Afghanistan received $2 million from China on Monday to compensate the families of the border "
        "guards killed in the attack."
    )["funding"]
    assert (rec.promisor, rec.beneficiary, rec.amount) == ("CN", "AF", 2_000_000)


def test_courses_for_two_state_bodies_are_two_commitments_across_reports() -> None:
    first = extract_cooperation(
        "On Monday 30 officers of the Punjab Police completed a training course at a Chinese police academy "
        "in Beijing.",
        doc_id="a",
        published=PUB,
    )
    second = extract_cooperation(
        "On Tuesday 30 officers of the Sindh Police completed a training course at a Chinese police academy "
        "in Beijing.",
        doc_id="b",
        published=PUB,
    )
    third = extract_cooperation(
        "The Punjab Police officers who completed the training course at a Chinese police academy returned "
        "on Wednesday.",
        doc_id="c",
        published=PUB,
    )
    linked = {r.doc_id: r.commitment_id for r in link_commitments([*first, *second, *third])}
    assert linked["a"] != linked["b"]
    assert linked["a"] == linked["c"]


def test_what_a_side_should_do_or_an_author_recommends_is_no_commitment() -> None:
    for text in (
        "Pakistan should set up a dedicated force to protect Chinese nationals, the analyst wrote.",
        "Pakistan and China should agree on a joint strategy for the protection of Chinese workers.",
        "The report recommended a joint patrol agreement, which China and Pakistan should sign this year.",
    ):
        assert _all(text) == [], text


def test_forces_deployed_for_the_partners_security_and_compensation_for_its_victims() -> None:
    rec = _by_kind(
        "Pakistan's interior minister told the Chinese envoy on Monday that 2,000 more police would be "
        "deployed for the security of Chinese nationals."
    )["security_arrangement"]
    assert (rec.stage, rec.promisor, rec.beneficiary) == ("pledged", "PK", "CN")
    rec = _by_kind(
        "The federal cabinet on Tuesday approved the release of $3 million in compensation to the families "
        "of the Chinese victims, Pakistan's finance ministry said."
    )["funding"]
    assert (rec.stage, rec.promisor, rec.beneficiary, rec.amount) == ("funded", "PK", "CN", 3_000_000)


def test_a_joint_mechanism_with_a_word_between_and_a_span_within_one_month() -> None:
    rec = _by_kind(
        "Kabul and Islamabad agreed on Thursday to set up a joint coordination mechanism to prevent "
        "cross-border attacks."
    )["security_arrangement"]
    assert (rec.stage, rec.parties, rec.date) == ("agreed", ("AF", "PK"), "2031-03-13")
    rec = _by_kind(
        "A delegation of Pakistan's interior ministry visited Beijing from March 9 to 12 and met officials "
        "of China's Ministry of Public Security to discuss security."
    )["visit_or_meeting"]
    assert (rec.stage, rec.date) == ("done", "2031-03-12")
