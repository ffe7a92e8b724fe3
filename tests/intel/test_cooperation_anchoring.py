"""The day a cooperation report is read against when it has no publication date, as a reader dates it: its
page date, else the day of the main event it tells (dated by its text or by another report of the same event),
moved on to the latest weekday it names for an act."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from outrider.intel.cooperation import extract_cooperation
from outrider.intel.cooperation.reports import _by_story, extract_files, report_day
from outrider.intel.cooperation.when import act_date, event_days, written_after
from outrider.intel.dates import WEEKDAYS
from outrider.intel.pipeline import DocumentResult, TextInput

SATURDAY = date(2029, 8, 11)

ATTACK = TextInput(
    "attack",
    "Suicide bomber hits bus of foreign engineers in Chagai\n\nPublished: August 12, 2029\n\n"
    "QUETTA: A suicide bomber attacked a bus carrying Chinese engineers near Dalbandin in Chagai district "
    "on Saturday, August 11, injuring three Chinese engineers and two Frontier Corps personnel, "
    "officials said.\n",
)
VISIT = TextInput(
    "visit",
    "Chinese general calls on army chief\n\n"
    "The commander of China's People's Armed Police Force, General Wang Ning, called on the Chief of Army "
    "Staff at General Headquarters in Rawalpindi on Monday. The two sides agreed to hold a joint "
    "counter-terrorism exercise next year.\n\n"
    "It is pertinent to mention that on Saturday a suicide attacker targeted a bus carrying Chinese "
    "engineers near Dalbandin in district Chagai, in which three Chinese engineers and two personnel of "
    "the Frontier Corps were injured.\n",
)


def test_a_report_is_written_after_every_weekday_it_names_for_an_act() -> None:
    text = "An attack on Saturday. The general met the minister on Monday."
    assert written_after(text, SATURDAY) == date(2029, 8, 13)
    assert written_after("The minister met the general late on Saturday.", SATURDAY) == SATURDAY
    # a weekday that is no act's day ("Friday prayers") does not move the report on
    assert written_after("They met after Friday prayers.", SATURDAY) == SATURDAY


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)),
    st.lists(st.sampled_from(WEEKDAYS), max_size=4),
)
def test_the_report_day_is_the_first_by_which_each_named_weekday_has_come(
    day: date, named: list[str]
) -> None:
    text = " ".join(f"Something was agreed on {w.title()}." for w in named)
    got = written_after(text, day)
    assert day <= got <= day + timedelta(days=6)
    for w in named:
        back = (got.weekday() - WEEKDAYS.index(w)) % 7
        assert got - timedelta(days=back) >= day  # each named day falls on or after the event's day
    if named:
        assert any(got.weekday() == WEEKDAYS.index(w) for w in named)


def _result(**kw: object) -> DocumentResult:
    return DocumentResult("r", clean_text="The two sides met on Monday.", **kw)  # type: ignore[arg-type]


def test_the_day_a_report_is_read_against() -> None:
    page, pub = date(2029, 9, 1), date(2029, 8, 20)
    incident = {"date": SATURDAY.isoformat(), "date_precision": "day", "date_basis": "linked event"}
    assert report_day(_result(published=pub, incidents=[incident])) == pub
    assert report_day(_result(bound=page, incidents=[incident])) == page
    assert report_day(_result(incidents=[incident])) == date(2029, 8, 13)  # Monday after the attack
    # an event dated by its calendar date (maybe years before the report), against a page date, or not to the
    # day anchors nothing
    vague = [{**incident, "date_basis": b} for b in ("text", "page-date bound")]
    vague.append({**incident, "date_precision": "month"})
    assert all(report_day(_result(incidents=[v])) is None for v in vague)
    assert report_day(_result()) is None


def test_a_yearless_dateline_dates_the_report_in_the_year_of_the_event_it_tells() -> None:
    incident = {"date": SATURDAY.isoformat(), "date_precision": "day", "date_basis": "linked event"}
    head = "KARACHI, {} (Xinhua) -- The two sides met on Wednesday."
    # the dateline's own day, not the Monday after the attack: the report came weeks later
    got = report_day(DocumentResult("r", clean_text=head.format("Sept 3"), incidents=[incident]))
    assert got == date(2029, 9, 3)
    # a dateline day before the event is in the next year; without a dateline the weekdays still count
    got = report_day(DocumentResult("r", clean_text=head.format("Jan 9"), incidents=[incident]))
    assert got == date(2030, 1, 9)
    got = report_day(DocumentResult("r", clean_text="The two sides met on Wednesday.", incidents=[incident]))
    assert got == date(2029, 8, 15)


def _batch(*texts: str) -> list[DocumentResult]:
    return [DocumentResult(str(n), clean_text=text) for n, text in enumerate(texts)]


def test_a_yearless_dateline_takes_the_year_of_the_batch_in_which_its_weekday_fits() -> None:
    told = "KARACHI, Jan 9: The chief minister met the consul general on Wednesday."
    days: list[date | None] = [None, date(2029, 6, 1), date(2030, 6, 1)]
    got = _by_story(_batch(told, "A story.", "Another."), days)
    assert got[0] == date(2030, 1, 9)  # a Wednesday in 2030; in 2029 neither that day nor its eve
    # no weekday and no story shared with a dated report: no year is guessed
    untold = told.replace(" on Wednesday", "")
    assert _by_story(_batch(untold, "A story.", "Another."), days)[0] is None
    # nor without a dated report in the batch
    assert _by_story(_batch(told), [None]) == [None]


def test_a_yearless_dateline_takes_the_year_that_puts_it_nearest_the_story_it_shares_names_with() -> None:
    reports = _batch(
        "KARACHI, Feb 14: Three months after the bombing in Korangi, the family still waits.",
        "ISLAMABAD: The cabinet approved compensation for the family of the engineer killed in Korangi.",
        "LAHORE: The provincial police raised a new unit.",
        "QUETTA: The convoy reached Gwadar.",
    )
    got = _by_story(reports, [None, date(2029, 11, 20), date(2030, 12, 1), date(2030, 6, 1)])
    assert got[0] == date(2030, 2, 14)  # three months after the Korangi story of November 2029


def test_a_report_without_date_is_dated_by_another_report_of_the_attack_it_names() -> None:
    read = {res.doc_id: recs for res, recs in extract_files([ATTACK, VISIT])}
    got = {(r.kind, r.stage): (r.date, r.date_precision) for r in read["visit"]}
    assert got[("visit_or_meeting", "done")] == ("2029-08-13", "day")
    assert got[("joint_exercise", "agreed")] == ("2029-08-13", "day")
    # alone, nothing dates it: no guess, and acts it tells "on Monday" have a day nobody can know (no record)
    assert [r for _, recs in extract_files([VISIT]) for r in recs] == []


def test_an_act_dated_by_the_day_of_an_event_the_report_dates() -> None:
    text = "On the May 3 bombing of a convoy, officials gave few details. The attack of 9 June was worse."
    days = event_days(text, date(2031, 6, 20))
    assert days == {"bombing": date(2031, 5, 3), "attack": date(2031, 6, 9)}
    ref = date(2031, 6, 20)
    assert act_date("They met on the day of the bombing.", ref, days).value == date(2031, 5, 3)
    assert act_date("A day after the attack, they spoke.", ref, days).value == date(2031, 6, 10)
    assert act_date("The day before the deadly attack they met.", ref, days).value == date(2031, 6, 8)
    # "Tuesday's shooting" names an event by its day: it does not date the act told beside it
    assert act_date("He spoke of Tuesday's deadly shooting and assured them of justice.", ref).value is None
    assert act_date("He spoke of Tuesday's shooting on Thursday.", ref).value == date(2031, 6, 19)
    # an event the report does not date leaves the sentence to the other readings
    assert act_date("They met on the day of the ambush.", ref, days).value is None


SUMMIT = (
    "The Chinese foreign minister and his Pakistani counterpart met in Beijing on Saturday, June 14.\n"
    "The May 3 bombing that killed Chinese engineers was on the agenda.\n"
    "Under the counter-terrorism point, the two sides will firmly combat the East Turkestan Islamic "
    "Movement.\n"
    "Pakistan's foreign minister said Pakistan would investigate the bombing and bring the perpetrators to "
    "justice.\n"
    "When the ministers met on the day of the bombing, he had pledged that Pakistan would investigate the "
    "attack thoroughly.\n"
)


def test_action_against_a_group_and_against_an_attacks_authors_are_two_commitments() -> None:
    recs = extract_cooperation(SUMMIT, doc_id="t", published=date(2031, 6, 15))
    acts = sorted(
        (r.group or "", r.stage, r.promisor, r.date) for r in recs if r.kind == "action_against_group"
    )
    assert acts == [
        # the pledge told twice is dated by its latest telling (the meeting), not by the "had pledged" one
        ("", "pledged", "PK", "2031-06-14"),
        ("East Turkestan Islamic Movement", "agreed", None, "2031-06-14"),
    ]


def test_a_pledge_made_at_a_meeting_dated_by_what_was_agreed_there_takes_that_day() -> None:
    text = (
        "ISLAMABAD: Pakistan and China on Thursday agreed to work out a joint strategy to protect Chinese "
        "nationals.\n"
        "The agreement was reached when Pakistan's interior minister called on the Chinese ambassador at the "
        "Chinese Embassy.\n"
        "He expressed sorrow over Tuesday's shooting of two Chinese engineers. He briefed the ambassador on "
        "the progress of the investigation and assured him that everyone involved would be brought to "
        "justice.\n"
    )
    recs = extract_cooperation(text, doc_id="t", published=date(2029, 8, 17))  # a Friday
    got = {r.kind: (r.date, r.date_precision) for r in recs}
    thursday = ("2029-08-16", "day")
    assert got["security_arrangement"] == thursday
    assert got["visit_or_meeting"] == thursday
    assert got["action_against_group"] == thursday


def test_an_act_the_report_does_not_date_is_of_the_occasion_it_leads_with() -> None:
    text = (
        "ISLAMABAD: The apex committee on the National Action Plan on Saturday approved a renewed "
        "counter-terrorism campaign.\n"
        "It also reviewed arrangements for the security of Chinese nationals in Pakistan, and new standard "
        "operating procedures were issued to the departments concerned.\n"
    )
    recs = extract_cooperation(text, doc_id="t", published=date(2029, 8, 13))  # a Monday
    got = {r.kind: (r.date, r.date_precision) for r in recs}
    assert got["security_arrangement"] == ("2029-08-11", "day")
