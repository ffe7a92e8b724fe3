"""Classes of text read from development sets aa and i (working-group minutes, wire copy with yearless
datelines, ministries' statements in Kabul and Dushanbe) in the fourteenth round
(docs/cooperation-extraction.md). One test per class, in sentences written for these tests (a fictional
2031), never copied from a report."""

from __future__ import annotations

from coop_phrasing import rows

from outrider.intel.cooperation.parties import find_parties


def test_more_forces_promised_for_the_partners_site_are_a_security_arrangement() -> None:
    # "deploy additional ... troops", "punish the perpetrators": the force and the action promised
    promised = (
        "Tajikistan has promised China to deploy additional border troops along the road and to punish the "
        "perpetrators of the ambush."
    )
    assert rows(promised) == [
        ("security_arrangement", "pledged", "2031-03-14", "TJ", "CN"),
        ("action_against_group", "pledged", "2031-03-14", "TJ", "CN"),
    ]
    # "200 more personnel would be deployed", told to the ambassador at the meeting: one more force promised
    told = (
        "Tajikistan's interior minister met China's ambassador in Dushanbe on Thursday. He told the "
        "ambassador that 200 more personnel would be deployed at the tunnel site."
    )
    assert [(k, s) for k, s, *_ in rows(told)] == [
        ("visit_or_meeting", "done"),
        ("security_arrangement", "pledged"),
    ]
    # more troops at home, promised to nobody, are no cooperation
    assert rows("Pakistan will deploy more troops in Balochistan, the army said.") == []


def test_an_investigation_one_side_opened_is_part_of_its_promise_to_punish() -> None:
    met = (
        "Tajikistan's security chief received China's ambassador in Dushanbe on Tuesday and assured him that "
        "all measures would be taken to identify and punish those responsible for the shooting. "
    )
    # the side's own investigation, opened: the same action against the attack's authors, now under way
    own = rows(met + "The Tajik side informed that an investigation into the shooting had been opened.")
    assert [(k, s) for k, s, *_ in own] == [
        ("visit_or_meeting", "done"),
        ("action_against_group", "under_way"),
    ]
    # an investigation both sides agreed on stays a commitment of its own
    joint = rows(met + "The two sides agreed that Chinese experts would join the investigation.")
    assert [(k, s) for k, s, *_ in joint][1:] == [
        ("action_against_group", "pledged"),
        ("action_against_group", "agreed"),
    ]


def test_a_police_standing_order_issued_or_in_force_is_a_security_arrangement_done() -> None:
    issued = (
        "The Sindh police on Monday issued a revised standing order for the movement of Chinese nationals."
    )
    assert [(k, s, d) for k, s, d, *_ in rows(issued)] == [("security_arrangement", "done", "2031-03-10")]
    in_force = (
        "The revised escort SOP for Chinese nationals came into force on 1 March, the Punjab police said."
    )
    assert rows(in_force) == [("security_arrangement", "done", "2031-03-01", "PK", "CN")]
    # still to come: not done
    ahead = "The new escort SOP for Chinese nationals will take effect on 1 April, the Punjab police said."
    assert [s for _, s, *_ in rows(ahead)] != ["done"]


def test_us_in_a_heading_written_in_capitals_is_the_word_not_the_state() -> None:
    assert [h.code for h in find_parties("3. WHO PROTECTS US\nThe US and Pakistan met.")] == ["US", "PK"]
    # a heading in capitals names no state by its name either ("CHINA" is not read): "US" is the pronoun
    assert [h.code for h in find_parties("WHY THEY CHOSE US: CHINA")] == []
    assert [h.code for h in find_parties("Pakistan and the US signed the accord.")] == ["PK", "US"]


def test_arrests_the_ministry_told_the_partners_embassy_of_are_a_record() -> None:
    text = (
        "The Chinese embassy said on Wednesday that Pakistan had kept its word to the families of the "
        "engineers killed in the Thakot attack. The statement said the Pakistani interior ministry had "
        "informed the embassy on Monday that three suspects had been arrested in connection with the attack."
    )
    assert rows(text) == [("action_against_group", "done", "2031-03-10", "PK", "CN")]
    # arrests told to nobody of the partner's are the ministry's own
    told = text.replace("informed the embassy", "said")
    assert rows(told) == []


def test_a_second_sum_after_and_pays_for_the_force_it_names() -> None:
    # ", and Rs 2 billion for raising a new wing": the compensation before it is no thing the wing receives
    text = (
        "Pakistan's federal cabinet on Tuesday approved $1.2 million in compensation for the families of the "
        "Chinese engineers killed in the Thakot attack, and Rs 2 billion for raising a new wing of the "
        "Special Security Division to protect Chinese nationals."
    )
    assert rows(text) == [
        ("funding", "funded", "2031-03-11", "PK", "CN"),
        ("security_arrangement", "funded", "2031-03-11", "PK", "CN"),
    ]


def test_will_compensate_said_to_the_partners_ambassador_is_a_pledge() -> None:
    text = (
        'Interior Minister Ali Raza visited the Chinese embassy on Wednesday. "The government of Pakistan '
        'will compensate the families of the Chinese victims," he told Ambassador Li Wei.'
    )
    assert rows(text) == [
        ("visit_or_meeting", "done", "2031-03-12", "PK", "CN"),
        ("funding", "pledged", "2031-03-12", "PK", "CN"),
    ]


def test_a_report_on_the_progress_of_the_investigation_handed_over_is_intelligence_sharing() -> None:
    text = (
        "The Foreign Office said on Monday that Pakistan had handed over a written report on the progress "
        "of the investigation to the Chinese embassy."
    )
    assert rows(text) == [("intelligence_sharing", "done", "2031-03-10", "PK", "CN")]
    # a briefing on the same progress is no record (sets s and b, the shared corpus)
    briefed = "Pakistan's minister briefed the Chinese ambassador on the progress of the investigation."
    assert all(kind != "intelligence_sharing" for kind, *_ in rows(briefed))


def test_a_force_trained_and_equipped_for_the_partner_is_no_training_given() -> None:
    # "a unit ..., trained and equipped for the protection of": the force readied, not trained by another
    text = (
        "Pakistani officials met the Chinese consul general in Quetta on Monday. The chief minister told "
        "the consul general that the provincial government would raise a "
        "dedicated Coastal Security Police unit of 500 personnel, trained and equipped specifically for the "
        "protection of Chinese nationals at the port, and that its raising would be notified within a month."
    )
    assert all(kind != "training" for kind, *_ in rows(text))
    trained = text.replace("trained and equipped", "trained")
    assert any(kind == "training" for kind, *_ in rows(trained))
