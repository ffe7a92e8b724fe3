"""Cooperation extraction holds when a report says the same thing in another writer's forms: a state's
possessive for its demonym, "would" and "shall" for "will", other verbs of signing and of handing suspects
over, other ways of writing a sum. Found by rewriting the development reports with such forms and reading
what the rules lost (docs/cooperation-extraction.md, fifth round); one test per class, in sentences written
for these tests (a fictional 2031), never copied from a report."""

from __future__ import annotations

from datetime import date

from outrider.intel.cooperation import CoopRecord, extract_cooperation
from outrider.intel.cooperation.money import find_money
from outrider.intel.cooperation.parties import find_parties

PUB = date(2031, 3, 14)  # a Friday


def _all(text: str) -> list[CoopRecord]:
    return extract_cooperation(text, doc_id="t", published=PUB)


def _kinds(text: str) -> dict[str, CoopRecord]:
    return {r.kind: r for r in _all(text)}


def _roles(rec: CoopRecord) -> tuple[str | None, str | None]:
    return rec.promisor, rec.beneficiary


def _dated(text: str, kind: str) -> tuple[str, str | None, tuple[str | None, str | None]]:
    """The stage, date and roles of the record of this kind a text gives."""
    rec = _kinds(text)[kind]
    return rec.stage, rec.date, _roles(rec)


def test_a_states_possessive_names_whose_nationals_are_served_as_its_demonym_does() -> None:
    for owner in ("Chinese", "China's", "China’s"):
        rec = _kinds(
            f"After the bombing of a convoy of {owner} technicians near Thatta in March, the Sindh "
            f"government notified new standard operating procedures for the movement of {owner} nationals "
            "in the wind corridor."
        )["security_arrangement"]
        assert (rec.stage, _roles(rec)) == ("done", ("PK", "CN")), owner


def test_a_sum_in_dollars_written_with_the_country_is_no_party_and_short_scales_read() -> None:
    assert [h.code for h in find_parties("China gave US$5 million to Pakistan.")] == ["CN", "PK"]
    assert [(m.amount, m.currency) for m in find_money("a grant of 55m yuan and US$ 2.5m")] == [
        (55_000_000, "CNY"),
        (2_500_000, "USD"),
    ]
    assert find_money("a wall 5 m high") == []
    rec = _kinds("China on Thursday pledged US$3m to Pakistan for the security of Chinese workers.")[
        "funding"
    ]
    assert (rec.parties, rec.amount, rec.currency, _roles(rec)) == (
        ("CN", "PK"),
        3_000_000,
        "USD",
        ("CN", "PK"),
    )


def _told(text: str, kind: str) -> tuple[str, tuple[str | None, str | None]]:
    rec = _kinds(text)[kind]
    return rec.stage, _roles(rec)


def test_reported_and_formal_modals_plan_and_promise_as_will_does() -> None:
    course = (
        "The ministry said 40 Tajik border officers {} attend a course at a Chinese police academy this year."
    )
    soil = '"Afghanistan {} not allow its soil to be used against China," the Afghan minister told the envoy.'
    for modal in ("will", "would", "shall"):
        assert _kinds(course.format(modal))["training"].stage == "announced", modal
        assert _told(soil.format(modal), "action_against_group") == ("pledged", ("AF", "CN")), modal


def test_training_a_force_gives_itself_before_it_leaves_is_no_partners_training() -> None:
    for modal in ("will", "would"):
        got = _kinds(
            "The Pakistani contingent will take part in a joint exercise with Chinese police in Kashgar next "
            f"month. Officials said the Pakistani contingent {modal} undergo preparatory training at the "
            "police academy before departure."
        )
        assert "training" not in got and got["joint_exercise"].stage == "announced", modal


def test_an_accord_sealed_or_initialled_is_agreed() -> None:
    accord = "An agreement on training 200 Pakistani police officers in China was {} in Beijing on Thursday."
    for verb in ("signed", "sealed", "initialled"):
        assert _dated(accord.format(verb), "training") == ("agreed", "2031-03-13", ("CN", "PK")), verb


def test_suspects_transferred_or_turned_over_are_handed_over() -> None:
    handed = (
        "Afghan authorities on Wednesday {} to Pakistan three suspected members of the Tehrik-i-Taliban "
        "Pakistan wanted for the attack on a police station."
    )
    for verb in ("handed over", "transferred", "turned over", "delivered"):
        assert _dated(handed.format(verb), "action_against_group") == ("done", "2031-03-12", ("AF", "PK")), (
            verb
        )
    received = (
        "Two suspects belonging to the East Turkestan Islamic Movement were transferred to Chinese police by "
        "Pakistani authorities at the border on Monday."
    )
    assert _dated(received, "action_against_group") == ("done", "2031-03-10", ("PK", "CN"))


def test_other_verbs_of_agreeing_and_an_accepted_proposal_are_agreed() -> None:
    drill = "Pakistan and China on Thursday {} hold a joint counter-terrorism exercise in Xinjiang next year."
    for verb in ("agreed to", "consented to", "resolved to", "accepted Pakistan's proposal to"):
        assert _dated(drill.format(verb), "joint_exercise") == ("agreed", "2031-03-13", (None, None)), verb
    assert _all("Pakistan proposed a joint counter-terrorism exercise in Xinjiang on Thursday.") == []


def test_other_verbs_of_promising_pledge_and_name_the_partner_told() -> None:
    unit = "Pakistan on Thursday {} raise a special protection unit for Chinese engineers in Gwadar."
    vehicles = (
        "The Sindh government on Thursday {} the Chinese consul general that it would provide 20 armoured "
        "vehicles to the police's protection unit for the movement of Chinese nationals."
    )
    for verb in ("pledged to", "undertook to"):
        assert _told(unit.format(verb), "security_arrangement") == ("pledged", ("PK", "CN")), verb
    for verb in ("assured", "guaranteed"):
        assert _told(vehicles.format(verb), "capacity_equipment") == ("pledged", ("PK", "CN")), verb


def test_a_meeting_that_took_place_and_a_visit_paid_or_a_tour_are_held() -> None:
    group = (
        "The third meeting of the China-Pakistan joint working group on counter-terrorism took place in "
        "Islamabad on Thursday."
    )
    assert _dated(group, "visit_or_meeting")[:2] == ("done", "2031-03-13")
    visit = (
        "A Chinese police delegation {} the Sindh police headquarters in Karachi on Thursday to discuss the "
        "security of Chinese nationals."
    )
    for verb in ("visited", "toured", "paid a visit to"):
        assert _only(visit.format(verb)) == ("visit_or_meeting", "done", ("CN", "PK")), verb


def _only(text: str) -> tuple[str, str, tuple[str | None, str | None]]:
    """The kind, stage and roles of the one record a sentence gives."""
    [rec] = _all(text)
    return rec.kind, rec.stage, _roles(rec)


def test_an_arrest_in_other_verbs_made_on_the_partners_support_is_its_intelligence() -> None:
    arrest = (
        "Two members of the East Turkestan Islamic Movement were {} by Pakistani police in Gilgit on "
        "Thursday with the support of Chinese public security organs."
    )
    for verb in ("arrested", "apprehended", "taken into custody"):
        assert _only(arrest.format(verb)) == ("intelligence_sharing", "done", ("CN", "PK")), verb


def test_an_adverb_inside_the_verb_keeps_its_stage() -> None:
    handed = (
        "Two suspected members of the East Turkestan Islamic Movement were {}handed over to Chinese police "
        "by Pakistani authorities at the Khunjerab Pass on Monday."
    )
    vehicles = (
        "China will {}provide 12 armoured vehicles to the Sindh police for the security of Chinese "
        "nationals, the Chinese consul general said on Monday."
    )
    for adverb in ("", "formally ", "finally "):
        assert _dated(handed.format(adverb), "action_against_group") == ("done", "2031-03-10", ("PK", "CN"))
        assert _dated(vehicles.format(adverb), "capacity_equipment") == (
            "pledged",
            "2031-03-10",
            ("CN", "PK"),
        )


def test_the_short_names_of_the_pair_and_a_plan_told_with_is_to() -> None:
    drill = "The {} joint counter-terrorism exercise concluded in Xinjiang on Monday."
    for pair in ("China-Pakistan", "Sino-Pak", "Pak-China"):
        rec = _kinds(drill.format(pair))["joint_exercise"]
        assert (rec.parties, rec.stage, rec.date) == (("CN", "PK"), "done", "2031-03-10"), pair
    vehicles = (
        "China {} provide 12 armoured vehicles to the Sindh police for the security of Chinese nationals, "
        "the Chinese consul general told the chief minister on Monday."
    )
    for modal in ("will", "is to"):
        assert _dated(vehicles.format(modal), "capacity_equipment") == ("pledged", "2031-03-10", ("CN", "PK"))


def test_runs_of_spaces_read_as_one_and_spans_point_into_the_text_as_written() -> None:
    text = "China  will\tprovide 12 armoured vehicles to the Sindh police to protect Chinese  workers."
    [rec] = _all(text)
    assert (rec.kind, rec.stage, _roles(rec)) == ("capacity_equipment", "pledged", ("CN", "PK"))
    assert [text[a:b] for a, b in rec.spans] == [text]
