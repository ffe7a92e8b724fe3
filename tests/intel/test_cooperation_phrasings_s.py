"""Classes of text read from development sets s and t (handouts and press releases of provincial and federal
departments, corrections, editorials, risk consultancies' briefs, committee reports)
in the tenth round (docs/cooperation-extraction.md). One test per class, in sentences written for these tests
(a fictional 2031), never copied from a report."""

from __future__ import annotations

from datetime import date

from coop_phrasing import rows as _all

from outrider.intel.cooperation.header_day import header_day
from outrider.intel.cooperation.money import find_money


def test_a_handouts_place_and_day_after_a_column_gap_date_it() -> None:
    head = "GOVERNMENT OF THE PUNJAB\nHOME DEPARTMENT\nPRESS RELEASE" + " " * 30 + "Lahore, 12th March 2031\n"
    assert header_day(head + "The cabinet met today.\n") == date(2031, 3, 12)
    assert header_day("HANDOUT No. 7" + " " * 20 + "Multan, 3 April, 2031\nText.") == date(2031, 4, 3)
    # an outlet's banner with its weekday is the publication reader's, not a town's dateline
    assert header_day("THE DAILY NOTE" + " " * 20 + "Monday, 9 March 2031\nText.") is None
    # a year-less dateline and the closing note of the day the handout was issued
    closing = (
        "HANDOUT No. 9" + " " * 20 + "Multan, March 12\nThe delegation visited.\n"
        "(The handout was issued on Thursday, 12 March 2031.)\n"
    )
    assert header_day(closing) == date(2031, 3, 12)
    # a sentence among the closing lines that tells when something else was issued is no such note
    body = "Text.\n" * 8 + "The statement was issued on 12 March 2031 by the ministry.\n"
    assert header_day(body) is None


def test_a_statements_day_alone_after_a_column_gap_or_under_its_title_dates_it() -> None:
    assert header_day("PRESS RELEASE No. 248/2031" + " " * 30 + "21 August 2031\nText.") == date(2031, 8, 21)
    statement = "JOINT STATEMENT\nof the Trilateral Meeting\nTashkent, 16 July 2031\n"
    assert header_day(statement) == date(2031, 7, 16)
    # the place and day a wrap joined to the end of the title's line
    joined = "JOINT COMMUNIQUE\nof the Meeting on the Line Dushanbe, 9 April 2031\n"
    assert header_day(joined) == date(2031, 4, 9)
    # a weekday is no town, and a day without its year dates nothing
    assert header_day("THE DAILY NOTE\nMonday, 9 March 2031\nText.") is None
    assert header_day("PRESS RELEASE" + " " * 30 + "21 August\nText.") is None


def test_a_day_told_after_an_attack_dates_the_attack_not_the_act() -> None:
    text = (
        "ISLAMABAD: Pakistan's cabinet committee approved a grant of $900,000 for compensation to the "
        "families of the two Chinese engineers killed in the attack near Thatta on 2nd November 2030."
    )
    assert _all(text) == [("funding", "funded", "2031-03-14", "PK", "CN")]
    # with a weekday beside it, the weekday dates the act, as before
    told = (
        "ISLAMABAD: Pakistan's cabinet committee on Tuesday approved a grant of $900,000 for compensation "
        "to the families of the Chinese engineers killed in the attack near Thatta on 2nd November 2030."
    )
    assert _all(told) == [("funding", "funded", "2031-03-11", "PK", "CN")]


def test_a_loan_from_a_chinese_bank_or_its_rescheduling_is_no_states_money() -> None:
    bank = (
        "ISLAMABAD: Pakistan's cabinet committee on Tuesday approved a loan of $200 million from a Chinese "
        "bank for the Thar power projects."
    )
    assert _all(bank) == []
    repaid = (
        "ISLAMABAD: Pakistan's cabinet committee on Tuesday approved the rescheduling of the repayment of "
        "a Chinese loan of $200 million for projects of Chinese companies."
    )
    assert _all(repaid) == []
    # a grant China gives for its nationals' security is still China's money
    grant = "China on Tuesday handed over a grant of $2 million to Pakistan for the security of its staff."
    assert _all(grant) == [("funding", "funded", "2031-03-11", "CN", "PK")]


GUARD = (
    "The Punjab police will raise a dedicated company of 200 personnel to guard the canal headworks and the "
    "camps of the Chinese engineers working on the Multan water scheme, the inspector general {told} in "
    "Lahore on Tuesday."
)


def test_a_force_a_side_will_raise_is_its_plan() -> None:
    plan = "The Punjab police will raise a dedicated company to guard Chinese engineers at the Multan plant."
    assert _all(plan) == [("security_arrangement", "announced", "2031-03-14", "PK", "CN")]
    told = GUARD.format(told="told reporters")
    assert _all(told) == [("security_arrangement", "announced", "2031-03-11", "PK", "CN")]


def test_a_plan_told_to_the_partners_official_is_promised() -> None:
    told = GUARD.format(told="assured China's consul general")
    assert _all(told) == [("security_arrangement", "pledged", "2031-03-11", "PK", "CN")]
    minister = GUARD.format(told="assured China's Vice Minister of Public Security")
    assert _all(minister) == [("security_arrangement", "pledged", "2031-03-11", "PK", "CN")]


def test_scholarships_for_a_partners_officers_are_training() -> None:
    text = (
        "China on Tuesday offered twenty fully funded scholarships to officers of Pakistan's police for "
        "master's programmes in policing."
    )
    assert _all(text) == [("training", "pledged", "2031-03-11", "CN", "PK")]
    assert _all("China on Tuesday offered twenty scholarships to Pakistani students of engineering.") == []


def test_a_proposal_for_joint_patrols_told_shelved_is_not_fulfilled() -> None:
    text = (
        "Officials said on Tuesday that a proposal, discussed last year, for joint patrolling of the canal "
        "road by Chinese and Pakistani guards had been shelved."
    )
    assert _all(text) == [("security_arrangement", "not_fulfilled", "2031-03-11", None, None)]
    # a proposal still on the table is none
    open_ = (
        "Officials said on Tuesday that a proposal for joint patrols of the canal road by Chinese and "
        "Pakistani guards was discussed."
    )
    assert _all(open_) == []


def test_a_sum_in_words_with_two_scales_is_read_whole() -> None:
    sums = find_money("paid two million three hundred and fifty thousand dollars to the families")
    assert [(m.amount, m.currency) for m in sums] == [(2_350_000, "USD")]
    # a head count before a sum is no part of it
    apart = find_money("two million people and five thousand dollars")
    assert [(m.amount, m.currency) for m in apart] == [(5_000, "USD")]
