"""The report's own town for the attack it tells without one (`intel/report_town.py`), on our own reports."""

from datetime import date

from outrider.intel.cleaning import clean_text
from outrider.intel.extract import build_incidents

PUB = date(2031, 6, 18)


def _incidents(text: str, published: date | None = PUB) -> list[dict[str, object]]:
    return build_incidents(clean_text(text).lines, published)


SHIFT_REPORT = """NORTHSTAR GUARDING - QUETTA REGION
Shift report, night of 17 June 2031 | Site: warehouse cluster W-2

1. Summary
All sites normal except one event, see para 2.

2. Event at 23:10
The client's pick-up carrying three technicians back to the guest house was fired upon by two men on a
motorcycle who escaped towards the bypass. One technician was hurt by glass and treated at a clinic.
Nobody was killed.

3. Remarks
Movements after dark to be reviewed at the weekly meeting.
"""


def test_an_attack_told_without_a_town_is_at_the_report_s_town() -> None:
    got = _incidents(SHIFT_REPORT)
    assert [(i["city"], i["date"]) for i in got] == [("Quetta", "2031-06-18")]


def test_no_report_town_when_the_header_names_two_towns() -> None:
    text = SHIFT_REPORT.replace("QUETTA REGION", "QUETTA AND GWADAR REGIONS")
    assert _incidents(text) == []


def test_no_report_town_without_a_publication_date() -> None:
    assert _incidents(SHIFT_REPORT, None) == []


def test_attacks_in_general_are_no_story_of_the_report_s_town() -> None:
    text = """MINISTRY OF INTERIOR
Press release | Quetta, 18 June 2031

The accounts blocked included those used by proscribed groups for claims of responsibility for terrorist
attacks.
The meeting asked the authority to act faster on such content.
"""
    assert _incidents(text) == []


def test_the_lead_that_dates_the_story_earlier_is_not_the_report_s_day() -> None:
    text = """VALLEY ECHO
Features | Quetta

A year after the market blast, shopkeepers still count the missing

It was a year ago today that a bomb strapped to a parked motorcycle tore through the market.
Nine people died on the spot.
"""
    got = _incidents(text)
    assert "2031-06-18" not in [i["date"] for i in got]


def test_the_story_told_with_its_own_town_further_on_keeps_that_town() -> None:
    text = """NORTHSTAR GUARDING - QUETTA REGION
Shift report

One serious event: the client's van was fired upon by two men on a motorcycle.
Guards searched the road.
The road was closed and a second patrol was sent to check on the other client sites and the store rooms.
Later the police confirmed that the van had been fired upon near Mastung on the highway.
"""
    got = _incidents(text)
    assert "Quetta" not in [i["city"] for i in got]
