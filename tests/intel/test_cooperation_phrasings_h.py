"""Classes of text read from development set h (monitoring translations, weekly issues, bulletins) and checked
on set k before its errors of the class were read (docs/cooperation-extraction.md, sixth round). One test per
class, in sentences written for these tests (a fictional 2031), never copied from a report."""

from __future__ import annotations

from datetime import date

from outrider.intel.cooperation import extract_cooperation
from outrider.intel.cooperation.header_day import header_day
from outrider.intel.cooperation.money import find_money, shares_marked
from outrider.intel.solar import from_solar as solar_to_gregorian
from outrider.intel.solar import solar_dated as solar_day

PUB = date(2031, 3, 14)  # a Friday


def test_a_monitoring_note_naming_its_source_dates_the_report_by_the_source() -> None:
    text = (
        "[Translated from Sindhi. Source: Daily Awami Awaz, Hyderabad, Friday 14 March 2031, page 3.]\n"
        "Police to guard Chinese engineers at the barrage\n"
    )
    assert header_day(text) == date(2031, 3, 14)


def test_a_weekly_issue_is_dated_by_the_first_day_of_its_span() -> None:
    assert header_day("Indus Weekly | Issue 12, Vol. IV — March 10-16, 2031\nText.") == date(2031, 3, 10)
    assert header_day("Edition of 10–16 March 2031\nText.") == date(2031, 3, 10)
    # a span without an issue's label is the week a bulletin covers: not its day
    assert header_day("Week 11 | 10-16 March 2031\nText.") is None


def test_an_issued_label_dates_a_bulletin() -> None:
    assert header_day("Week 11 | 10-16 March 2031 | Issued 17 March 2031\nText.") == date(2031, 3, 17)


def test_a_solar_hijri_date_is_read_in_the_gregorian_calendar() -> None:
    # Nowruz falls on 20 or 21 March; the months 1-6 have 31 days, 7-11 have 30
    assert solar_to_gregorian(1404, 1, 1) == date(2025, 3, 21)
    assert solar_to_gregorian(1403, 1, 1) == date(2024, 3, 20)
    assert solar_to_gregorian(1403, 12, 30) == date(2025, 3, 20)  # a leap year's last day
    assert solar_to_gregorian(1404, 12, 30) is None
    assert solar_day("Issue: Saturday, 1 Hamal 1410") == date(2031, 3, 21)
    assert solar_day("Jadi 3, 1410") == solar_to_gregorian(1410, 10, 3)
    assert header_day("Source: Weekly Sada, Herat\nIssue: Friday, 7 Mizan 1410\nText.") == date(2031, 9, 29)


def test_a_header_without_those_forms_gives_no_day() -> None:
    assert header_day("Border police meet in Torkham\nThe meeting was held on 7 March 2031.") is None


def test_a_sum_restated_in_another_currency_is_no_sum_of_its_own() -> None:
    said = {
        "pledged 60 million yuan ($8.3 million) for the posts": [(60_000_000, "CNY")],
        "a grant of Rs300 million (about $1.1 million) for the unit": [(300_000_000, "PKR")],
        "a grant of 60 million yuan, equal to about two billion rupees, for": [(60_000_000, "CNY")],
        "gave $2 million and Rs 5 million": [(2_000_000, "USD"), (5_000_000, "PKR")],
        "Rs 5 million ($18,000) and Rs 3 million": [(5_000_000, "PKR"), (3_000_000, "PKR")],
        "60 million yuan (Rs2.4 billion or $8.3 million)": [(60_000_000, "CNY")],
        "60 million yuan (about Rs2.4 billion) ($8.3 million) and Rs 5 million": [
            (60_000_000, "CNY"),
            (5_000_000, "PKR"),
        ],
        "$2 million (Rs 560 million), Rs 3 million": [(2_000_000, "USD"), (3_000_000, "PKR")],
    }
    for text, sums in said.items():
        assert [(m.amount, m.currency) for m in find_money(text)] == sums, text
    # a tranche restated in another currency is still a share of the whole told after it
    text = "received the first tranche of RMB 45 million (about Rs1.8 billion) of the RMB 120 million grant"
    assert [(m.amount, m.share) for m in shares_marked(text, find_money(text))] == [
        (45_000_000, True),
        (120_000_000, False),
    ]


def test_what_each_receiver_gets_is_a_share_and_not_the_sum() -> None:
    rec = extract_cooperation(
        "ISLAMABAD: Pakistan's cabinet on Tuesday approved Rs30 million as financial assistance for the two "
        "Chinese technicians hurt in the Hub blast. Under the decision each of the two Chinese nationals "
        "will receive Rs15 million.",
        doc_id="t",
        published=PUB,
    )
    assert [(r.kind, r.amount, r.currency) for r in rec] == [("funding", 30_000_000, "PKR")]


def test_a_sum_for_the_partners_nationals_beside_one_for_a_local_family_is_cooperation() -> None:
    rec = extract_cooperation(
        "ISLAMABAD: Pakistan's cabinet on Tuesday approved Rs30 million as financial assistance for the two "
        "Chinese technicians hurt in the Hub blast and a separate sum for the family of their Pakistani "
        "guard.",
        doc_id="t",
        published=PUB,
    )
    got = [(r.kind, r.promisor, r.beneficiary, r.amount) for r in rec]
    assert got == [("funding", "PK", "CN", 30_000_000)]
    # the family's money alone is a state's own affair
    own = "ISLAMABAD: Pakistan's cabinet approved Rs5 million for the family of the Pakistani guard killed."
    assert extract_cooperation(own, doc_id="t", published=PUB) == []


def test_patrol_boats_and_craft_are_equipment() -> None:
    rec = extract_cooperation(
        "KARACHI: China agreed on Monday to provide four patrol craft to Pakistan's maritime agency.",
        doc_id="t",
        published=PUB,
    )
    assert [(r.kind, r.stage, r.promisor, r.beneficiary) for r in rec] == [
        ("capacity_equipment", "agreed", "CN", "PK")
    ]


def test_a_participle_naming_the_thing_gives_way_to_the_main_verb() -> None:
    def stages(text: str) -> list[tuple[str, str | None]]:
        return [(r.stage, r.date) for r in extract_cooperation(text, doc_id="t", published=PUB)]

    # "promised by China" says what the vehicles were; "were handed over" is the act told
    done = "QUETTA: The vehicles promised by China last year were handed over to Pakistan's police today."
    assert stages(done) == [("done", "2031-03-14")]
    # a main verb still to come leaves the promise as it was
    later = (
        "QUETTA: The armoured vehicles promised by China last year will be handed over to Pakistan's police."
    )
    assert stages(later) == [("pledged", "2031-03-14")]


def test_a_grant_of_visas_or_permits_is_no_money() -> None:
    visas = (
        "ISLAMABAD: Pakistan's interior ministry on Monday notified new rules for the grant of business "
        "visas to Chinese engineers working on power projects."
    )
    assert extract_cooperation(visas, doc_id="t", published=PUB) == []
    money = "ISLAMABAD: China on Monday signed a grant of 50 million yuan for Pakistan's police."
    assert [(r.kind, r.amount) for r in extract_cooperation(money, doc_id="t", published=PUB)] == [
        ("funding", 50_000_000)
    ]


def test_what_is_built_with_a_states_grant_money_is_given_by_that_state() -> None:
    for told in ("with Chinese grant money", "with a Chinese grant", "with a Chinese loan"):
        text = (
            f"DUSHANBE: Two border posts built {told} were handed over to Tajikistan's border troops today."
        )
        rec = extract_cooperation(text, doc_id="t", published=PUB)
        assert [(r.kind, r.promisor, r.beneficiary) for r in rec] == [("capacity_equipment", "CN", "TJ")], (
            told
        )
