"""Classes of phrasing read from development sets l and r (the projects' own world: company notices, embassy
reminders, business letters; ministry press conferences) in the twelfth round. One test per class, in
sentences written for these tests (a fictional 2031), never copied from a report."""

from __future__ import annotations

from datetime import date

from coop_phrasing import PUB
from coop_phrasing import records as _all

from outrider.intel.cooperation.header_day import header_day
from outrider.intel.cooperation.when import act_date


def test_a_day_named_before_an_attack_dates_the_attack_not_the_act() -> None:
    # "killed in the January 9 attack": the day is the attack's; the act is "last week"
    told = "Last week the ministry paid compensation to families of engineers killed in the January 9 attack."
    found = act_date(told, PUB)
    assert (found.value, found.precision) == (date(2031, 3, 7), "week")
    assert act_date("Families of the 9 January suicide bombing were paid.", PUB).value is None
    # a day told for the act itself still dates it
    assert act_date("The ministry paid compensation on January 9.", PUB).value == date(2031, 1, 9)


def test_a_press_conference_is_dated_by_its_title() -> None:
    text = "Foreign Ministry Spokesperson's Regular Press Conference on March 13, 2031\n\nQ: Any comment?\n"
    assert header_day(text) == date(2031, 3, 13)
    # a headline about something planned for a day dates no report
    assert header_day("Pakistan and China to sign pact on March 20, 2031\n\nBy a reporter\n") is None


def test_a_force_set_up_under_an_accord_of_two_states_is_theirs() -> None:
    # the states are named in the sentence's relative clause, not in the clause that tells the deployment
    text = (
        "The first 300 personnel of the Copper Mine Protection Battalion, which was established under the "
        "agreement between the Ministry of Interior of Afghanistan and the Embassy of China, completed "
        "their deployment on 13 March 2031."
    )
    recs = [r for r in _all(text) if r.kind == "security_arrangement"]
    assert [(r.parties, r.stage) for r in recs] == [(("AF", "CN"), "done")]


def test_three_sides_denying_their_ground_to_militants_act_together() -> None:
    # "the three sides agreed that they will not allow ...": no state named in the clause, all three act
    text = (
        "On 13 March 2031 the foreign ministers of China, Afghanistan and Pakistan held their dialogue in "
        "Kabul.\nThe three sides agreed that they will not allow any terrorist force to use their territory "
        "against one another."
    )
    [rec] = [r for r in _all(text) if r.kind == "action_against_group"]
    assert (rec.parties, rec.stage, rec.promisor) == (("AF", "CN", "PK"), "agreed", None)


def test_a_plan_agreed_at_a_dated_meeting_takes_the_meeting_s_month() -> None:
    # "which the two countries agreed to set up at the commission meeting in Zahedan in January": the month
    # is the meeting's (when it was agreed), not the time of what it plans
    text = (
        "Officers of Iran and Pakistan tested the procedures of the hotline between the two border forces, "
        "which the two countries agreed to set up at the Joint Border Commission meeting in Zahedan in "
        "January."
    )
    [rec] = [r for r in _all(text) if r.stage == "agreed"]
    assert (rec.parties, rec.date) == (("IR", "PK"), "2031-01")
    # the next meeting's month is what a plan is for: the agreement is the report's
    plan = "Iran and Pakistan agreed to set up a hotline at the next commission meeting in June."
    assert [r.date for r in _all(plan) if r.stage == "agreed"] == ["2031-03-14"]


def test_a_dated_act_outside_the_security_field_dates_no_meeting() -> None:
    # a related link's day ("a mining deal ... (Mar 5)") is no day of the security meeting the report tells
    text = (
        "The foreign ministers of China, Afghanistan and Pakistan met in Kabul on Tuesday (March 11) for "
        "their trilateral dialogue.\n"
        "On the sidelines, the Chinese minister met his Afghan counterpart at the Afghan foreign ministry.\n"
        "The Chinese side announced that it would provide security scanning equipment to Afghanistan.\n"
        "RELATED\n"
        "- Chinese company signs mining survey deal in Afghanistan (Mar 5)\n"
    )
    pair = {r.kind: r.date for r in _all(text) if r.parties == ("AF", "CN")}
    assert pair == {"visit_or_meeting": "2031-03-11", "capacity_equipment": "2031-03-11"}


def test_cash_handed_to_the_families_of_a_unit_s_men_is_given_not_the_unit_s_cost() -> None:
    text = (
        "On Tuesday the Chinese ambassador handed over cheques of Rs5 million each, a total of Rs10 million, "
        "to the families of the two Special Protection Unit constables killed while escorting Chinese "
        "engineers in Pakistan."
    )
    [rec] = [r for r in _all(text) if r.kind == "funding"]
    assert (rec.promisor, rec.beneficiary, rec.stage, rec.amount) == ("CN", "PK", "done", 10_000_000)


def test_a_unit_s_men_killed_are_victims_not_an_arrangement() -> None:
    # "the two Special Protection Unit constables who were martyred", "SPU guards killed in the attack"
    for victims in (
        "The Chinese consul paid tribute to the two Special Protection Unit constables who were martyred in "
        "the attack on Chinese engineers in Pakistan on Tuesday.",
        "The Chinese consul on Tuesday visited the Special Protection Unit guards injured in the attack on "
        "Chinese engineers in Pakistan.",
    ):
        assert [r for r in _all(victims) if r.kind == "security_arrangement"] == []


def test_what_a_promise_says_is_pledged_however_long_its_clause() -> None:
    # "assured China that ... would be ... brought to justice": the promise is far from its content
    text = (
        "Chinese and Pakistani officials held security consultations in Beijing on 13 March 2031.\n"
        "Pakistan assured China that the network behind the ambush on a van of Chinese technicians near "
        "Multan in February, in which two guards and a driver of the project company were wounded, would be "
        "tracked down and all of its facilitators brought to justice."
    )
    [rec] = [r for r in _all(text) if r.kind == "action_against_group"]
    assert (rec.parties, rec.stage, rec.promisor, rec.beneficiary) == (("CN", "PK"), "pledged", "PK", "CN")
