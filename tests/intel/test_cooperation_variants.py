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


def test_reported_and_formal_modals_plan_and_promise_as_will_does() -> None:
    for modal in ("will", "would", "shall"):
        got = _kinds(
            f"The ministry said 40 Tajik border officers {modal} attend a course at a Chinese police academy "
            "later this year."
        )
        assert got["training"].stage == "announced", modal
        rec = _kinds(
            f'"Afghanistan {modal} not allow its soil to be used against China," the Afghan foreign minister '
            "told the Chinese ambassador on Thursday."
        )["action_against_group"]
        assert (rec.stage, _roles(rec)) == ("pledged", ("AF", "CN")), modal


def test_training_a_force_gives_itself_before_it_leaves_is_no_partners_training() -> None:
    for modal in ("will", "would"):
        got = _kinds(
            "The Pakistani contingent will take part in a joint exercise with Chinese police in Kashgar next "
            f"month. Officials said the Pakistani contingent {modal} undergo preparatory training at the "
            "police academy before departure."
        )
        assert "training" not in got and got["joint_exercise"].stage == "announced", modal


def test_an_accord_sealed_or_initialled_is_agreed() -> None:
    for verb in ("signed", "sealed", "initialled"):
        rec = _kinds(
            f"An agreement on the training of 200 Pakistani police officers in China was {verb} in Beijing "
            "on Thursday."
        )["training"]
        assert (rec.stage, rec.date, _roles(rec)) == ("agreed", "2031-03-13", ("CN", "PK")), verb


def test_suspects_transferred_or_turned_over_are_handed_over() -> None:
    for verb in ("handed over", "transferred", "turned over", "delivered"):
        rec = _kinds(
            f"Afghan authorities on Wednesday {verb} to Pakistan three suspected members of the "
            "Tehrik-i-Taliban Pakistan wanted for the attack on a police station."
        )["action_against_group"]
        assert (rec.stage, rec.date, _roles(rec)) == ("done", "2031-03-12", ("AF", "PK")), verb
    rec = _kinds(
        "Two suspects belonging to the East Turkestan Islamic Movement were transferred to Chinese police by "
        "Pakistani authorities at the border on Monday."
    )["action_against_group"]
    assert (rec.stage, rec.date, _roles(rec)) == ("done", "2031-03-10", ("PK", "CN"))
