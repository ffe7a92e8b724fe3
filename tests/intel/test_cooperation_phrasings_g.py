"""Classes of phrasing read from development set g (round-ups, newsletters, minutes told as news) and
checked on set j before its errors were read (docs/cooperation-extraction.md, fifth round). One test per
class, in sentences written for these tests (a fictional 2031), never copied from a report."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from coop_phrasing import records as _all

from outrider.intel.cooperation import CoopRecord, link_commitments
from outrider.intel.cooperation.wrapping import unwrapped


def _kinds(text: str) -> dict[str, CoopRecord]:
    return {r.kind: r for r in _all(text)}


def test_a_named_unit_received_gives_way_to_the_force_the_same_part_tells() -> None:
    # the unit named after a possessive is not the force set up, the "dedicated force" later in the part is
    rec = _kinds(
        "MULTAN: The second batch of 400 recruits of the Cholistan wing of the Punjab Police's Special "
        "Protection Unit passed out on Wednesday at the Bahawalpur police training centre, after which the "
        "Punjab home department notified the wing as a dedicated force for the security of Chinese engineers."
    )["security_arrangement"]
    assert (rec.stage, rec.date, rec.promisor, rec.beneficiary) == ("done", "2031-03-12", "PK", "CN")


def test_a_meeting_described_as_held_where_an_agreement_was_reached_is_a_meeting_held() -> None:
    text = (
        "The Punjab government and the Chinese side agreed on Wednesday to open a joint security desk at the "
        "dry port for Chinese traders, officials said on Thursday.\n"
        "The agreement was reached at a meeting held at the Sialkot dry port on Wednesday between the Punjab "
        "home secretary and a delegation led by the Chinese Consul General in Lahore."
    )
    meeting = _kinds(text)["visit_or_meeting"]
    assert (meeting.stage, meeting.date, meeting.parties) == ("done", "2031-03-12", ("CN", "PK"))
    # a meeting only named as the time of something else is still none
    assert "visit_or_meeting" not in _kinds(
        "A week before the meeting in Lahore, Pakistan agreed to set up a new protection unit for Chinese "
        "engineers."
    )


def test_compensated_as_a_verb_is_the_payment_and_links_with_the_compensation() -> None:
    pledge = _all(
        "Pakistan assures China over blast victims\n"
        "ISLAMABAD: The prime minister on Wednesday assured the Chinese ambassador that the families of the "
        "Chinese engineers killed in the blast would be compensated."
    )
    assert [(r.kind, r.stage, r.date, r.promisor, r.beneficiary) for r in pledge] == [
        ("funding", "pledged", "2031-03-12", "PK", "CN")
    ]
    approved = "The federal cabinet on Tuesday approved $300,000 as compensation for the families of the "
    paid = [replace(r, doc_id="u") for r in _all(approved + "Chinese engineers killed.", date(2031, 4, 2))]
    assert len({r.commitment_id for r in link_commitments([*pledge, *paid])}) == 1


def test_a_tranche_is_a_share_and_the_whole_sum_is_the_commitments() -> None:
    rec = _kinds(
        "Pakistan receives Chinese police grant\n"
        "Balochistan has received the second tranche of $2 million of an $8 million Chinese grant for the "
        "provincial police, officials said on Thursday."
    )["funding"]
    assert (rec.amount, rec.currency, rec.promisor, rec.beneficiary) == (8_000_000, "USD", "CN", "PK")
    # the whole in one sentence, a tranche in the next: the whole
    rec = _kinds(
        "China on Tuesday pledged a grant of 30 million yuan to Pakistan for police equipment.\n"
        "The first tranche of 10 million yuan of the grant will be released in April."
    )["funding"]
    assert (rec.amount, rec.currency) == (30_000_000, "CNY")
    # instalments "of ... each" are shares too
    rec = _kinds(
        "China on Tuesday agreed to give Pakistan 60 million yuan in aid for its police, to be paid in three "
        "instalments of 20 million yuan each."
    )["funding"]
    assert rec.amount == 60_000_000


def test_what_equipment_is_for_and_a_vehicle_attacked_are_no_records_of_their_own() -> None:
    recs = _all(
        "LAHORE: China will provide four armoured personnel carriers worth 12 million yuan to the Punjab "
        "police for the protection of Chinese engineers working on the canal project, officials said on "
        "Thursday."
    )
    assert [(r.kind, r.stage, r.amount) for r in recs] == [("capacity_equipment", "pledged", 12_000_000)]
    text = (
        "Pakistan and China agree on compensation\n"
        "The cabinet on Tuesday approved $200,000 as compensation for the family of a Chinese engineer "
        "killed in last month's bomb attack on a project vehicle near Thakot."
    )
    assert [r.kind for r in _all(text)] == ["funding"]


WRAPPED = """China, Pakistan agree on police course

ISLAMABAD: China on Tuesday agreed to train 50 officers of the Punjab
police at a police academy in Xi'an, the interior ministry said,
adding that the first course would begin in June. The two sides also
signed a memorandum of understanding on the exchange of information
about militant groups operating along the border, officials said.
"""


def test_text_hard_wrapped_at_a_fixed_width_is_read_as_its_paragraphs() -> None:
    plain = unwrapped(WRAPPED)
    assert len(plain) == len(WRAPPED)  # offsets into it are offsets into the text as written
    assert plain.split("\n")[:3] == ["China, Pakistan agree on police course", "", plain.split("\n")[2]]
    assert "Punjab police at a police academy" in plain and plain.count("\n") == 3
    kinds = {r.kind: r for r in _all(WRAPPED)}
    assert (kinds["training"].stage, kinds["training"].date, kinds["training"].promisor) == (
        "agreed",
        "2031-03-11",
        "CN",
    )
    assert "intelligence_sharing" in kinds
    # a text whose lines are paragraphs is left as it is, and so is a short list under a headline
    prose = "China agreed to train officers.\nPakistan thanked China.\n- one item\n- another item\n"
    assert unwrapped(prose) == prose


def test_a_time_stamped_ticker_is_not_read_as_one_wrapped_paragraph() -> None:
    # its long lines end near one column, but each opens with its own time: the cleaning step's rule
    # (`outrider.intel.wrapped.cut`) keeps them apart, and so does the cooperation reader
    ticker = "".join(
        f"14:{m:02d}  {line}\n"
        for m, line in enumerate(
            [
                "Provincial cabinet approves a new protection unit for foreign engineers on the dam site",
                "Unit of 300 police officers to escort Chinese staff between the camp and the powerhouse",
                "Home Department: the officers have completed their training and start duty from Monday",
                "Finance Department releases Rs 200 million for the unit's vehicles, radios and barracks",
                "Recap: protection unit approved, 300 officers to escort Chinese staff on the dam project",
            ]
        )
    )
    assert unwrapped(ticker) == ticker


def test_men_wanted_for_an_attack_handed_over_are_suspects_handed_over() -> None:
    recs = _all(
        "PESHAWAR: Afghan authorities on Wednesday handed over to Pakistan three men wanted in connection "
        "with the bombing of a bus in Bajaur, officials said."
    )
    assert [(r.kind, r.stage, r.date, r.promisor, r.beneficiary) for r in recs] == [
        ("action_against_group", "done", "2031-03-12", "AF", "PK")
    ]


def test_the_month_a_plan_is_due_by_dates_no_agreement_wherever_it_stands() -> None:
    text = (
        "China and Pakistan border police end joint drill\n"
        "Border officers of China and Pakistan held a meeting at the Sost post on Wednesday. The two sides "
        "agreed to open a telephone hotline between the two border posts by August, and to hold joint "
        "patrols twice a year."
    )
    dates = {r.date for r in _all(text)}
    assert dates and all(d is None or not d.startswith("2030-08") for d in dates)
    assert "2031-03-12" in dates


def test_a_grant_received_is_funded_and_compensation_paid_is_done() -> None:
    grant = _kinds(
        "Pakistan gets Chinese police grant\n"
        "Balochistan on Tuesday received $3 million of Chinese grant money for police stations on the "
        "coastal highway, officials said."
    )["funding"]
    assert grant.stage == "funded"
    paid = _kinds(
        "Pakistan pays compensation to Chinese families\n"
        "The interior ministry said on Tuesday that compensation of $300,000 for the families of the Chinese "
        "engineers killed in the blast had been paid through the embassy."
    )["funding"]
    assert paid.stage == "done"
    due = _kinds(
        "Pakistan approves compensation for Chinese families\n"
        "The cabinet on Tuesday approved compensation of $300,000 for the families of the Chinese engineers "
        "killed in the blast, to be paid through the embassy."
    )["funding"]
    assert due.stage == "funded"
