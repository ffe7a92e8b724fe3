"""Classes of phrasing read from development sets u and v (statements of three or more states, read by
writers of other languages first; tickers and press releases) in the eleventh round. One test per class, in
sentences written for these tests (a fictional 2031), never copied from a report."""

from __future__ import annotations

from datetime import date

from coop_phrasing import records as _all

from outrider.intel.cooperation import extract_cooperation


def test_states_named_together_before_a_dialogue_all_sit_at_it() -> None:
    # "in the Pakistan–China–Afghanistan Trilateral": the first of three states joined by dashes is no place
    text = (
        "The Foreign Minister participated in the Pakistan–China–Afghanistan Trilateral Foreign Ministers' "
        "Dialogue held in Kabul on 13 March 2031.\n"
        "In the field of security, the three sides agreed to establish a trilateral counter-terrorism "
        "consultation mechanism of senior officials."
    )
    recs = _all(text)
    assert {r.parties for r in recs} == {("AF", "CN", "PK")}
    assert {(r.kind, r.stage) for r in recs} >= {("visit_or_meeting", "done"), ("visit_or_meeting", "agreed")}


def test_a_thing_agreed_before_that_has_started_is_under_way() -> None:
    # "the procedures agreed last month ... have started to be implemented": the finite verb tells the stage
    text = (
        "For the safety of Chinese engineers, the new standard operating procedures agreed last month "
        "between Pakistan and China have started to be implemented on the highway, officials said."
    )
    [rec] = [r for r in _all(text) if r.kind == "security_arrangement"]
    assert (rec.stage, rec.parties, rec.promisor) == ("under_way", ("CN", "PK"), "PK")
    # the participle alone, no finite verb after it that acts: still the stage it tells
    agreed = "Pakistan and China agreed last month on new standard operating procedures for Chinese staff."
    assert [r.stage for r in _all(agreed) if r.kind == "security_arrangement"] == ["agreed"]


def test_the_parties_of_a_statement_of_three_states_are_all_three() -> None:
    statement = (
        "On 13 March 2031 a trilateral meeting on the security of the Uzbekistan-Afghanistan-Pakistan "
        "railway project was held in Tashkent.\n"
        "The Parties decided to constitute a Trilateral Security Committee on the railway, which will meet "
        "every six months."
    )
    # the meeting held, and the committee the Parties set up
    assert [r.parties for r in _all(statement)] == [("AF", "PK", "UZ")] * 2
    # in a report of two states, "the parties" are those two
    pair = (
        "Officials of China and Pakistan met in Islamabad on 13 March 2031 to discuss the security of the "
        "corridor.\nThe parties agreed to set up a joint working group on security."
    )
    assert {r.parties for r in _all(pair)} == {("CN", "PK")}


def test_denying_ground_to_militants_named_at_length_is_a_pledge() -> None:
    # "will not allow any person or group, including <a long name>, to use the soil": the denied ground
    # comes far after the promise
    text = (
        "On 13 March 2031 the Chinese foreign minister met the Afghan acting foreign minister in Kabul.\n"
        "The Afghan minister said the Afghan side would not allow any person or group, including those who "
        "attacked Chinese workers, to use the soil of Afghanistan against China."
    )
    recs = extract_cooperation(text, doc_id="t", published=date(2031, 3, 14))
    [rec] = [r for r in recs if r.kind == "action_against_group"]
    assert (rec.parties, rec.stage, rec.promisor, rec.beneficiary) == (("AF", "CN"), "pledged", "AF", "CN")
