"""Cooperation extraction on classes of phrasing found missing when the rules met two more sets of reports
they were not written from (sets "b" and "f", docs/cooperation-extraction.md, fourth round): one test per
class, in sentences written for these tests (a fictional 2031), never copied from a report."""

from __future__ import annotations

from datetime import date

from coop_phrasing import records as _all

from outrider.intel.cooperation import CoopRecord, extract_cooperation, link_commitments


def _kinds(text: str) -> dict[str, CoopRecord]:
    return {r.kind: r for r in _all(text)}


def test_a_statement_issued_by_a_ministry_reports_no_act() -> None:
    got = _kinds(
        "Pakistan will set up a special protection unit for Chinese engineers in Gwadar, according to a "
        "statement issued by the interior ministry on Thursday."
    )
    assert got["security_arrangement"].stage != "done"


def test_a_named_protection_battalion_funded_is_the_force_with_its_sum() -> None:
    got = _kinds(
        "Pakistan's cabinet on Thursday approved a supplementary grant of Rs3 billion for the ministry to "
        "raise a Gwadar Protection Battalion for the security of Chinese workers."
    )
    assert set(got) == {"security_arrangement"}
    rec = got["security_arrangement"]
    assert (rec.stage, rec.amount, rec.currency, rec.promisor, rec.beneficiary) == (
        "funded",
        3_000_000_000,
        "PKR",
        "PK",
        "CN",
    )


def test_a_force_promised_at_a_cost_keeps_its_cost() -> None:
    rec = _kinds(
        'Pakistan will raise a dedicated "Coastal Protection Wing" for the security of Chinese engineers at '
        "a cost of Rs900 million, the interior minister assured the Chinese ambassador on Thursday."
    )["security_arrangement"]
    assert (rec.stage, rec.amount, rec.date) == ("pledged", 900_000_000, "2031-03-13")


def test_money_approved_for_raising_the_force_is_the_force_told_before() -> None:
    got = _all(
        "The Punjab government on Thursday notified a dedicated security force of 900 policemen for the "
        "protection of Chinese nationals working in Sahiwal. The provincial cabinet had approved Rs700 "
        "million for raising the force in January."
    )
    assert [(r.kind, r.stage, r.amount) for r in got] == [("security_arrangement", "done", 700_000_000)]


def test_money_to_house_the_guards_of_the_partner_nationals_is_a_security_arrangement() -> None:
    got = _kinds(
        "The minister said the Sindh government had approved Rs4 crore for the construction of new barracks "
        "in Hub to house the personnel guarding Chinese engineers at the power plant."
    )
    assert set(got) == {"security_arrangement"}
    assert (got["security_arrangement"].stage, got["security_arrangement"].amount) == ("funded", 40_000_000)


def test_a_company_named_after_a_state_is_no_party() -> None:
    got = _all(
        "Pakistan and China on Wednesday agreed to speed up work on industrial zones at a meeting of the "
        "Joint Cooperation Committee. The China Harbour Engineering Company promised to install 300 "
        "surveillance cameras at the port at its own cost."
    )
    assert got == []


def test_what_a_grant_reflects_is_praise_not_a_pledge() -> None:
    got = _kinds(
        "China will provide scanners worth 10 million yuan to the Balochistan police under an agreement "
        "signed on Thursday. The consul said the grant reflected China's commitment to the safety of its "
        "citizens."
    )
    assert "funding" not in got
    assert got["capacity_equipment"].stage == "agreed"


def test_arrangements_a_visitor_is_briefed_on_are_not_a_new_arrangement() -> None:
    got = _kinds(
        "Later, the Chinese consul general visited the police headquarters in Hyderabad and was briefed on "
        "the security arrangements for Chinese nationals in the district."
    )
    assert "security_arrangement" not in got


def test_a_trilateral_working_group_agreed_is_a_meeting_mechanism_of_the_three() -> None:
    rec = _kinds(
        "Officials of Afghanistan, China and Pakistan agreed on Thursday to set up a trilateral working "
        "group on border security that will meet every three months."
    )["visit_or_meeting"]
    assert (rec.stage, rec.parties, rec.date) == ("agreed", ("AF", "CN", "PK"), "2031-03-13")


def test_a_hotline_for_threat_information_is_intelligence_sharing() -> None:
    rec = _kinds(
        "The two sides agreed on Thursday to establish a secure hotline between the counter-terrorism "
        "departments of Pakistan and China for the exchange of threat information."
    )["intelligence_sharing"]
    assert (rec.stage, rec.parties) == ("agreed", ("CN", "PK"))


def test_protection_is_no_word_that_links_two_arrangements() -> None:
    first = _all(
        "Pakistan will raise a new battalion for the protection of Chinese nationals in Gwadar, the minister "
        "assured the Chinese ambassador on Thursday.",
    )
    second = extract_cooperation(
        "The Sindh government on Monday notified a dedicated force for the protection of Chinese engineers "
        "in Thar.",
        doc_id="u",
        published=date(2031, 6, 3),
    )
    ids = {r.commitment_id for r in link_commitments([*first, *second]) if r.kind == "security_arrangement"}
    assert len(ids) == 2


def test_a_calendar_day_before_the_attack_it_names_dates_the_attack_not_the_act() -> None:
    rec = _kinds(
        "Pakistan's cabinet on Wednesday approved $2 million in compensation for the families of the three "
        "Chinese engineers killed in the March 2 suicide attack near Thatta."
    )["funding"]
    assert (rec.stage, rec.date, rec.amount) == ("funded", "2031-03-12", 2_000_000)


def test_a_reward_for_information_is_no_money_for_the_partner() -> None:
    rec = next(
        r
        for r in _all(
            "The interior minister assured the Chinese ambassador on Thursday that the government would pay "
            "compensation to the families of the Chinese workers killed in the attack. Meanwhile, the Sindh "
            "government announced a reward of Rs3 million for information leading to the arrest of the "
            "attackers."
        )
        if r.kind == "funding"
    )
    assert (rec.stage, rec.amount) == ("pledged", None)


def test_a_group_that_planned_the_attack_promised_dismantled_is_apart_from_a_joint_probe() -> None:
    got = [
        (r.stage, r.promisor, r.group)
        for r in _all(
            "The interior minister called on the Chinese ambassador on Thursday and assured him that those "
            "behind the attack on Chinese workers would be brought to justice. He assured the ambassador "
            "that Pakistan would dismantle the network of the Balochistan Liberation Army that had "
            "planned the attack. The two sides agreed to form a joint investigation team of Pakistani "
            "and Chinese officials to investigate the attack."
        )
        if r.kind == "action_against_group"
    ]
    assert sorted(got, key=str) == [
        ("agreed", None, None),
        ("pledged", "PK", "Balochistan Liberation Army"),
    ]


def test_a_review_of_existing_arrangements_is_no_arrangement() -> None:
    got = _kinds(
        "The minister told the Chinese ambassador on Thursday that a review of the security arrangements for "
        "Chinese nationals in Karachi would be carried out."
    )
    assert "security_arrangement" not in got


def test_a_state_denying_its_ground_acts_for_the_state_named_as_the_target() -> None:
    got = [
        (r.parties, r.promisor, r.beneficiary)
        for r in _all(
            "After the talks in Kabul on Thursday, the Afghan minister assured Pakistan that the Islamic "
            "Emirate would not allow any group to use Afghan soil for attacks on Pakistan. In Urumqi, the "
            "Afghan side pledged on Friday that it would not allow any group to use Afghan territory against "
            "China, and gave a similar assurance to Pakistan."
        )
        if r.kind == "action_against_group"
    ]
    assert (("AF", "PK"), "AF", "PK") in got
    assert (("AF", "CN"), "AF", "CN") in got


def test_the_two_sides_after_a_bilateral_of_a_trilateral_are_the_two_of_it() -> None:
    got = _all(
        "The foreign ministers of Pakistan, China and Afghanistan met in Islamabad on Saturday for their "
        "trilateral dialogue on counter-terrorism. On the sidelines, the Pakistani and Chinese ministers "
        "held a bilateral meeting on the security of Chinese nationals. The two sides agreed to convene the "
        "joint working group on security in Beijing next month to finalise a new security plan for the "
        "projects."
    )
    planned = next(r for r in got if r.kind == "visit_or_meeting" and r.stage == "agreed")
    assert planned.parties == ("CN", "PK")
    assert "security_arrangement" not in {r.kind for r in got}  # the meeting's business, still to come


def test_an_exercise_contingent_arriving_or_met_is_no_visit() -> None:
    got = _all(
        "A joint counter-terrorism exercise between the Pakistan Rangers and the Chinese People's Armed "
        "Police began in Sukkur on Monday. The Chinese contingent arrived in Sukkur on Saturday. Earlier, "
        "the Rangers chief met the commander of the Chinese contingent."
    )
    assert [r.kind for r in got] == ["joint_exercise"]


def test_an_instance_the_two_forces_had_held_last_year_is_apart_from_the_one_begun() -> None:
    got = _all(
        "Pakistan, China begin joint police exercise in Quetta\n\n"
        "A joint exercise of the Balochistan police and the Chinese People's Armed Police commenced in "
        "Quetta on Monday. The two forces had held a smaller tabletop exercise in Kashgar last year."
    )
    assert sorted((r.stage, r.date) for r in got) == [("done", "2030"), ("under_way", "2031-03-10")]


def test_troops_from_an_army_make_no_span_of_days() -> None:
    got = _all(
        "Troops from the Chinese People's Liberation Army and the Pakistan Army are taking part in the joint "
        "exercise, which began on Monday and will run until Mar. 25, according to a statement."
    )
    assert [(r.kind, r.stage, r.date) for r in got] == [("joint_exercise", "under_way", "2031-03-10")]


def test_a_chiefs_official_visit_to_a_state_is_made_to_that_state() -> None:
    rec = _kinds(
        "ISLAMABAD: The chief of army staff concluded a three-day official visit to China on Thursday, "
        "during which Pakistan and China agreed to hold a joint counter-terrorism exercise later this year."
    )["visit_or_meeting"]
    assert (rec.promisor, rec.beneficiary, rec.stage) == ("PK", "CN", "done")


def test_an_arrest_made_on_the_partners_information_is_that_intelligence() -> None:
    got = [
        (r.kind, r.promisor, r.beneficiary)
        for r in _all(
            "The two men were arrested in February by Pakistani police with the support of Chinese public "
            "security organs. Two suspects belonging to the East Turkestan Islamic Movement were handed over "
            "to Chinese police by Pakistani authorities at the Khunjerab Pass on Monday."
        )
    ]
    assert sorted(got) == [("action_against_group", "PK", "CN"), ("intelligence_sharing", "CN", "PK")]


def test_a_building_put_up_with_the_partners_grant_assistance_is_given_by_the_partner() -> None:
    rec = _kinds(
        "A new outpost of the Tajik border troops, built with Chinese grant assistance, was handed over to "
        "the Tajik side in Ishkashim on Tuesday."
    )["capacity_equipment"]
    assert (rec.promisor, rec.beneficiary, rec.stage) == ("CN", "TJ", "done")


def test_officers_a_state_would_host_for_training_next_year_are_promised_now() -> None:
    rec = _kinds(
        "The Chinese ambassador said on Thursday that China would host 30 Tajik border officers for "
        "training in China in 2032."
    )["training"]
    assert (rec.stage, rec.promisor, rec.beneficiary, rec.date) == ("pledged", "CN", "TJ", "2031-03-13")


def test_a_share_per_family_and_money_for_the_payers_own_families_are_not_other_commitments() -> None:
    got = [
        (r.kind, r.stage, r.amount)
        for r in _all(
            "Pakistan's cabinet on Wednesday approved the payment of $900,000 as compensation to the "
            "families of three Chinese engineers killed in an attack near Gwadar. The compensation, $300,000 "
            "for each family, will be paid through the Chinese embassy, according to a statement issued "
            "after the meeting, which was chaired by the prime minister. The cabinet also approved Rs20 "
            "million for the families of the two Pakistani guards killed in the same attack."
        )
    ]
    assert got == [("funding", "funded", 900_000)]


def test_a_centre_being_set_up_to_monitor_the_partners_nationals_is_an_arrangement_under_way() -> None:
    got = _kinds(
        "The Sindh police chief told the Chinese consul general on Thursday that a new command and control "
        "centre to monitor the movement of Chinese nationals in Hyderabad was being set up."
    )
    assert "capacity_equipment" not in got
    assert got["security_arrangement"].stage == "under_way"


def test_vehicles_the_partner_had_provided_last_year_are_a_past_handover() -> None:
    rec = _kinds(
        "The police chief told the Chinese consul general that the Chinese government had "
        "provided 12 armoured vehicles to the Sindh police last year."
    )["capacity_equipment"]
    assert (rec.stage, rec.date, rec.promisor, rec.beneficiary) == ("done", "2030", "CN", "PK")


def test_slots_a_state_would_offer_are_a_promise_of_training() -> None:
    rec = _kinds(
        "The Chinese consul general said on Thursday that China would offer 50 training slots to Punjab "
        "police officers at Chinese police academies next year."
    )["training"]
    assert (rec.stage, rec.promisor, rec.beneficiary) == ("pledged", "CN", "PK")


def test_a_unit_named_as_the_receiver_after_a_possessive_is_no_force_set_up() -> None:
    got = _kinds(
        "In Pakistan, Chinese equipment worth 20 million yuan for the provincial police's Special Protection "
        "Unit was handed over in February 2031."
    )
    assert set(got) == {"capacity_equipment"}


def test_more_training_slots_offered_are_apart_from_the_course_completed() -> None:
    got = _all(
        "Thirty officers of the Punjab police completed a training course at a police academy in Beijing on "
        "Friday. During a meeting on Thursday, the Chinese consul general said China would offer 60 more "
        "training slots to Punjab police officers next year."
    )
    assert sorted(r.stage for r in got if r.kind == "training") == ["done", "pledged"]
