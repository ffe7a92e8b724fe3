"""Cooperation extraction on classes of phrasing found missing when the rules met a second set of reports they
were not written from ("set D", docs/cooperation-extraction.md): one test per class, in sentences written for
these tests (a fictional 2031), never copied from a report."""

from __future__ import annotations

from datetime import date

import pytest
from coop_phrasing import PUB
from coop_phrasing import records as _all

from outrider.intel.cooperation import extract_cooperation, link_commitments
from outrider.intel.cooperation.reports import extract_files
from outrider.intel.pipeline import TextInput


def test_a_grant_of_equipment_is_the_equipment_not_cash() -> None:
    got = _all(
        "Tajikistan and China on Thursday signed an exchange of letters under which China will provide "
        "border surveillance equipment to the Tajik border guards. Under the grant, China will also supply "
        "thermal cameras. The equipment grant is the second of its kind, officials said."
    )
    assert {r.kind for r in got} == {"capacity_equipment"}
    assert all((r.promisor, r.beneficiary) == ("CN", "TJ") for r in got)
    assert got[0].stage == "agreed"  # what the signed letters say China will do is agreed


def test_what_follows_according_to_which_in_a_signed_text_is_agreed_however_far() -> None:
    got = {
        r.kind: r
        for r in _all(
            "On Wednesday a memorandum of understanding was signed between the Punjab Home Department and "
            "the Xinjiang authorities at a ceremony in the old assembly hall of Lahore's civil secretariat, "
            "according to which forty officers of the Punjab Police will receive training in Kashgar in "
            "forensic analysis."
        )
    }
    assert got["training"].stage == "agreed"
    assert (got["training"].promisor, got["training"].beneficiary) == ("CN", "PK")


def test_an_aside_that_settles_an_act_wins_over_a_plan_of_its_delivery() -> None:
    rec = next(
        r
        for r in _all(
            "Officials said China's equipment grant for the Balochistan police, signed in January, is "
            "expected to reach Gwadar in May."
        )
        if r.kind == "capacity_equipment"
    )
    assert (rec.stage, rec.date) == ("agreed", "2031-01")


def test_findings_that_would_be_shared_with_the_partner_are_intelligence_it_is_promised() -> None:
    got = _all(
        "The cabinet was told on Thursday that a joint investigation team of the Punjab police and the "
        "Intelligence Bureau had been formed to look into the Okara ambush, and that the Punjab chief "
        "minister had assured the Chinese ambassador that the team's findings would be shared with the "
        "Chinese side."
    )
    rec = next(r for r in got if r.kind == "intelligence_sharing")
    assert (rec.stage, rec.promisor, rec.beneficiary) == ("pledged", "PK", "CN")
    # the team of one state's bodies is its own inquiry: the partner is addressed in another clause
    assert "action_against_group" not in {r.kind for r in got}


def test_money_for_the_families_of_the_givers_own_nationals_is_no_cooperation() -> None:
    got = _all(
        "The Balochistan government on Monday announced Rs8 million for the families of the two Pakistani "
        "drivers killed in the attack on a convoy of Chinese engineers near Turbat."
    )
    assert [r for r in got if r.kind == "funding"] == []
    kept = _all(
        "The Punjab government on Monday approved Rs8 million for the families of the two Chinese engineers "
        "killed in the attack near Sahiwal."
    )
    assert [(r.kind, r.promisor, r.beneficiary) for r in kept] == [("funding", "PK", "CN")]


def test_a_title_case_dateline_with_its_source_in_brackets_dates_the_report_not_the_act() -> None:
    text = (
        "Police training agreed\n\nLahore, March 14, 2031 (Staff Report): The Chinese interior minister "
        "visited Pakistan's interior ministry in Islamabad on Tuesday to discuss security."
    )
    got = next(recs for _, recs in extract_files([TextInput("t", text)]))
    assert [(r.kind, r.date) for r in got] == [("visit_or_meeting", "2031-03-11")]  # Tuesday, not the 14th


def test_money_to_buy_equipment_for_the_unit_guarding_the_partners_nationals_is_that_equipment() -> None:
    got = _all(
        "The Punjab cabinet on Wednesday approved Rs 80 crore for the purchase of 12 armoured vehicles for "
        "the Special Protection Unit of Punjab Police, which provides security to Chinese nationals."
    )
    assert [(r.kind, r.stage, r.promisor, r.beneficiary, r.amount) for r in got] == [
        ("capacity_equipment", "funded", "PK", "CN", 800_000_000)
    ]
    # a purchase that serves nobody's nationals stays a purchase
    assert _all("China on Wednesday sold Pakistan 12 armoured vehicles for Rs 80 crore.") == []


def test_agreements_reached_during_talks_between_the_sides_are_of_the_talks_day() -> None:
    got = {
        r.kind: r
        for r in _all(
            "Pakistan and China have agreed that 50 Pakistani police officers will be trained in "
            "Kashgar and that the two countries will set up a joint mechanism to share intelligence on "
            "threats to Chinese engineers, officials said on Friday. The agreements were reached on "
            "Wednesday during talks in Lahore between Pakistan's interior secretary and a Chinese vice "
            "minister of public security."
        )
    }
    assert set(got) == {"training", "intelligence_sharing", "visit_or_meeting"}  # no arrangement of its own
    assert got["visit_or_meeting"].stage == "done"
    assert {r.date for r in got.values()} == {"2031-03-12"}  # Wednesday's talks, not Friday's statement


def test_an_economic_meeting_is_no_security_meeting_whatever_energy_security_it_names() -> None:
    assert (
        _all(
            "Pakistan and China on Thursday agreed to speed up two economic zones during the 15th "
            "meeting of the Joint Cooperation Committee, held by video link. They agreed that a new "
            "railway would be financed through Chinese loans. The minister said Pakistan would ensure "
            "energy security and food security through the corridor. The two sides also agreed to set "
            "up a joint working group on tourism."
        )
        == []
    )


def test_a_third_states_commentators_and_a_sea_named_after_it_are_no_party() -> None:
    got = _all(
        "China, Pakistan navies end joint drill\n\n"
        "The navies of China and Pakistan on Thursday concluded a bilateral exercise off Gwadar, in what "
        "Indian defence analysts called a sign of their growing reach in the Indian Ocean. Beijing has "
        "denied any plans to build a naval base at Gwadar."
    )
    assert [(r.kind, r.parties) for r in got] == [("joint_exercise", ("CN", "PK"))]


def test_equipment_in_the_headline_is_the_items_the_body_lists_and_its_value_told_between() -> None:
    got = _all(
        "China hands over security equipment to Balochistan police\n\n"
        "China on Wednesday handed over night-vision goggles, radios and metal detectors to the Balochistan "
        "police in Quetta. The equipment, worth 9 million yuan, will be used at checkposts on the coastal "
        "highway. Officials said the Balochistan government would provide Rs20 million for the construction "
        "of sheds for the equipment."
    )
    assert [(r.kind, r.stage, r.promisor, r.amount, r.currency) for r in got] == [
        ("capacity_equipment", "done", "CN", 9_000_000, "CNY")
    ]


def test_a_series_held_since_a_year_is_background_and_an_academy_visited_is_a_venue() -> None:
    got = _all(
        "Pakistani police commandos will take part in the first joint police exercise with China, to be "
        "held in Urumqi in June, the interior ministry announced on Monday. The two armies have held the "
        "Warrior series of exercises since 2011. Last month, a Chinese police delegation visited the "
        "National Police Academy in Islamabad."
    )
    kinds = {r.kind: r for r in got}
    assert kinds["joint_exercise"].stage == "announced"
    assert "training" not in kinds
    # the background is its own clause's: the act beside it in the sentence still counts
    beside = _all(
        "Pakistan has held joint exercises with China since 2011, the army said on Monday, as the latest "
        "round began in Tarbela."
    )
    assert [(r.kind, r.stage) for r in beside] == [("joint_exercise", "under_way")]


def test_money_approved_to_raise_a_force_funds_the_force_and_a_promise_never_kept_is_dated_now() -> None:
    got = _all(
        "The federal cabinet on Tuesday approved a grant of Rs3.4 billion (Rs340 crore) for Pakistan's "
        "interior ministry to raise a dedicated security unit for Chinese nationals working on mines. "
        "The unit will provide escorts at the mine sites. Officials admitted that an earlier promise, made "
        "to the Chinese embassy in 2029, to post two platoons of the Levies at the Saindak site for the "
        "protection of Chinese staff had never been implemented."
    )
    assert sorted((r.kind, r.stage, r.amount, r.date) for r in got) == [
        ("security_arrangement", "funded", 3_400_000_000, "2031-03-11"),
        ("security_arrangement", "not_fulfilled", None, "2031-03-11"),
    ]


def test_the_partner_told_of_a_promise_is_not_its_giver_and_the_giving_government_is_no_recipient() -> None:
    pledge = _all(
        "The Punjab government has promised the Chinese consul general in Lahore that it will provide 15 "
        "armoured vehicles worth Rs90 crore to the police's Special Protection Unit for the movement of "
        "Chinese engineers.",
        date(2031, 3, 14),
    )
    assert [(r.kind, r.promisor, r.beneficiary) for r in pledge] == [("capacity_equipment", "PK", "CN")]
    funded = extract_cooperation(
        "The Punjab cabinet on Wednesday approved Rs90 crore for the purchase of 15 armoured vehicles for "
        "the Special Protection Unit of Punjab Police, which guards Chinese engineers.",
        doc_id="u",
        published=date(2031, 4, 18),
    )
    linked = link_commitments([*pledge, *funded])
    assert len({r.commitment_id for r in linked}) == 1


def test_the_day_of_an_attack_named_after_the_act_does_not_date_it_nor_the_28th_of_last_month() -> None:
    rec = next(
        r
        for r in _all(
            "Pakistan's federal cabinet on Tuesday approved compensation of 2 million US dollars for the "
            "three Chinese engineers who were injured in the bomb attack on a van near Hub on February 2."
        )
        if r.kind == "funding"
    )
    assert (rec.stage, rec.date, rec.promisor, rec.beneficiary) == ("funded", "2031-03-11", "PK", "CN")
    got = _all(
        "On the 27th of last month, a memorandum of understanding was signed between the Punjab Home "
        "Department and the Xinjiang authorities, according to which 40 officers of the Punjab Police will "
        "be trained in Kashgar."
    )
    assert [(r.kind, r.date) for r in got] == [("training", "2031-02-27")]


def test_courses_for_different_numbers_of_officers_are_different_commitments() -> None:
    first = extract_cooperation(
        "Pakistan and China agreed on Monday that 300 Pakistani police officers will be trained at Chinese "
        "police academies.",
        doc_id="a",
        published=PUB,
    )
    second = extract_cooperation(
        "Pakistan and China agreed on Monday that 60 Pakistani police officers will be trained at a Chinese "
        "police college.",
        doc_id="b",
        published=date(2031, 9, 1),
    )
    linked = link_commitments([*first, *second])
    assert len(linked) == 2 and linked[0].commitment_id != linked[1].commitment_id


def test_under_an_agreement_reached_in_a_month_is_agreed_then_and_will_attend_a_course_is_planned() -> None:
    got = {
        r.kind: r
        for r in _all(
            "The ambassador said that China also pledged to finance the construction of three "
            "border outposts in Khatlon at a cost of 90 million yuan, under an agreement reached by the "
            "two governments in January. In addition, 40 Tajik border guard officers will attend a "
            "two-month course at a Chinese police academy later this year, the committee said."
        )
    }
    assert (got["capacity_equipment"].stage, got["capacity_equipment"].date) == ("agreed", "2031-01")
    assert (got["training"].stage, got["training"].promisor, got["training"].beneficiary) == (
        "announced",
        "CN",
        "TJ",
    )


def test_an_mou_signed_during_a_delegations_visit_is_its_contents_and_the_visit_goes_to_the_host() -> None:
    got = {
        r.kind: r
        for r in _all(
            "On Monday a memorandum of understanding was signed between the Punjab Home Department and the "
            "Xinjiang authorities in Urumqi, according to which 40 officers of the Punjab Police will be "
            "trained in Kashgar. The MoU was signed by the Punjab home secretary and a deputy director of "
            "the Xinjiang public security department, during the visit of a five-member delegation of "
            "Punjab to Urumqi from 7 to 10 March."
        )
    }
    assert set(got) == {"training", "visit_or_meeting"}  # the MoU is the training it provides for
    visit = got["visit_or_meeting"]
    assert (visit.stage, visit.promisor, visit.beneficiary, visit.date) == ("done", "PK", "CN", "2031-03-10")


def test_the_next_round_the_ministers_agreed_on_and_a_host_with_two_guests_are_of_the_trilateral() -> None:
    got = _all(
        "The foreign ministers of Afghanistan, China and Pakistan held the third round of their trilateral "
        "dialogue in Kabul on Thursday, agreeing to deepen cooperation in counter-terrorism. The Afghan "
        "foreign minister hosted the Chinese foreign minister and Pakistan's foreign minister at the "
        "Afghan Foreign Ministry. The ministers agreed that the next round of the dialogue would be held "
        "in Islamabad next year."
    )
    meetings = sorted((r.stage, r.parties) for r in got if r.kind == "visit_or_meeting")
    assert meetings == [("agreed", ("AF", "CN", "PK")), ("done", ("AF", "CN", "PK"))]


def test_briefing_the_partner_on_new_procedures_tells_them_issued() -> None:
    got = _all(
        "Pakistan's interior minister on Tuesday briefed the Chinese consul general on the new standard "
        "operating procedures under which Chinese engineers leaving their camps must inform the police."
    )
    assert [(r.kind, r.stage, r.promisor, r.beneficiary) for r in got] == [
        ("security_arrangement", "done", "PK", "CN")
    ]


@pytest.mark.parametrize(
    ("told", "dateline"),
    [("March 3, 2031", "May 16"), ("3 March 2031", "16 May")],  # the day first too
)
def test_a_yearless_dateline_takes_the_year_of_the_report_announcing_the_same_named_instance(
    told: str, dateline: str
) -> None:
    plan = (
        f"Police exercise announced\n\nISLAMABAD: {told}\n\nPakistani police commandos will take part "
        'in a joint counter-terrorism exercise with China, named "Desert Guard-II", to be held in Kashgar in '
        "May, the interior ministry announced on Monday."
    )
    held = (
        f"Police exercise ends\n\nKASHGAR, {dateline} (Wire) -- The joint counter-terrorism exercise of the "
        'police of China and Pakistan, codenamed "Desert Guard-II", concluded in Kashgar on Friday.'
    )
    got = [r for _, recs in extract_files([TextInput("p", plan), TextInput("h", held)]) for r in recs]
    assert [(r.doc_id, r.stage, r.date) for r in got] == [
        ("p", "announced", "2031-03-03"),
        ("h", "done", "2031-05-16"),
    ]
    assert len({r.commitment_id for r in link_commitments(got)}) == 1  # the plan for May, held in May


def test_agreeing_to_hold_an_exercise_every_two_years_is_a_series_apart_from_the_one_held() -> None:
    got = _all(
        "The joint counter-terrorism exercise of the police of China and Pakistan concluded in Kashgar on "
        "Thursday. The two sides agreed to hold the exercise every two years, alternately in China and "
        "Pakistan."
    )
    assert sorted((r.kind, r.stage) for r in got) == [
        ("joint_exercise", "agreed"),
        ("joint_exercise", "done"),
    ]


def test_a_named_standing_force_that_continues_to_protect_is_background_but_a_dated_one_is_not() -> None:
    text = (
        "The federal cabinet on Tuesday approved Rs2 billion for Pakistan's interior ministry to raise a "
        "dedicated security unit for Chinese nationals working on mines. The Special Security Division "
        "of the army continues to protect Chinese nationals on corridor projects."
    )
    assert [(r.kind, r.stage) for r in _all(text)] == [("security_arrangement", "funded")]
    dated = _all(
        "Since Monday the Special Security Division of the army continues to escort Chinese engineers "
        "on the new coastal road, Pakistan's army said."
    )
    assert [(r.kind, r.stage) for r in dated] == [("security_arrangement", "under_way")]


def test_suspects_handed_over_are_of_the_group_the_report_says_claimed_the_attack() -> None:
    got = _all(
        "Afghan authorities on Friday handed over two men suspected of involvement in the bombing at the "
        "Chaman border market to Pakistani officials. The bombing in January had killed six people and was "
        "claimed by Jamaat-ul-Ahrar."
    )
    assert [(r.kind, r.promisor, r.beneficiary, r.group) for r in got] == [
        ("action_against_group", "AF", "PK", "Jamaat-ul-Ahrar")
    ]


def test_a_state_alone_against_a_group_told_as_acted_against_for_another_acts_for_it_and_stands() -> None:
    trilateral = _all(
        "The foreign ministers of Afghanistan, China and Pakistan held talks in Kabul on Thursday on "
        "counter-terrorism. The Afghan minister assured his Chinese counterpart that the Afghan government "
        "would not allow the East Turkestan Islamic Movement to operate from Afghan territory. Pakistan's "
        "minister also reiterated that Pakistan would not allow the East Turkestan Islamic Movement to use "
        "Pakistani soil."
    )
    pledges = sorted(
        (r.parties, r.promisor, r.beneficiary) for r in trilateral if r.kind == "action_against_group"
    )
    assert pledges == [(("AF", "CN"), "AF", "CN"), (("CN", "PK"), "PK", "CN")]
    earlier = extract_cooperation(
        "Pakistan's interior minister assured the Chinese ambassador on Monday that Pakistan would not allow "
        "the East Turkestan Islamic Movement to use Pakistani soil against China.",
        doc_id="e",
        published=date(2029, 5, 7),
    )
    linked = link_commitments([*earlier, *trilateral])
    ids = {r.commitment_id for r in linked if r.kind == "action_against_group" and r.promisor == "PK"}
    assert len(ids) == 1  # a standing pledge reiterated two years later is one commitment
