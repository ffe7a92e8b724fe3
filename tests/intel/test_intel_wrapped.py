"""Hard-wrapped plain-text reports: their paragraphs are joined back before sentences are read."""

from __future__ import annotations

from datetime import date

from outrider.intel.cleaning import clean_text
from outrider.intel.pipeline import TextInput, extract_documents
from outrider.intel.wrapped import unwrap, width

LOG = """\
NORTHERN CONTRACTORS - SITE SECURITY LOG
Sheet 14, compiled by the duty officer

ENTRY 1  11/05/2031 0640 hrs
Patrol vehicle reported that gunmen opened fire on a crew bus of the contractor on the approach road to the
Bisham camp, about two kilometres short of the main gate. The bus was carrying fourteen engineers and drivers
to the morning shift when the first shots hit its windscreen.

ENTRY 2  0735 hrs
Casualty status: 2 killed (both drivers), 5 injured (three engineers, two guards), all moved to the hospital
by the camp ambulance. Police cordon established and the road closed to traffic until further notice.

ACTIONS
- Suspend road moves until the escort plan is reviewed with the district police and the client's security
  manager, and report to head office by noon.
- Welfare visit to the families.
"""


def test_a_wrapped_log_is_read_as_paragraphs() -> None:
    lines = clean_text(LOG).lines
    joined = [ln for ln in lines if ln.startswith("Patrol vehicle")]
    assert len(joined) == 1 and joined[0].endswith("first shots hit its windscreen.")
    assert "Casualty status: 2 killed (both drivers), 5 injured (three" in "\n".join(lines)
    # headings, entries and bullets stay lines of their own; a bullet's indented continuation joins it
    assert "ENTRY 2  0735 hrs" in lines
    assert any(ln.startswith("- Suspend road moves") and ln.endswith("by noon.") for ln in lines)
    assert "- Welfare visit to the families." in lines


def test_the_wrapped_logs_attack_keeps_its_place_and_toll() -> None:
    [result] = extract_documents([TextInput("log", LOG)], published=date(2031, 5, 11))
    [incident] = result.incidents
    assert incident["city"] == "Bisham"
    assert (incident["killed"], incident["wounded"]) == (2, 5)


def test_a_report_written_a_paragraph_a_line_is_left_alone() -> None:
    text = (
        "Gunmen attacked a police post in Bannu on Monday, killing two constables, officials said.\n"
        "The attackers fled towards the hills after an exchange of fire that lasted nearly an hour, and a "
        "search operation was launched in the surrounding villages later in the day.\n"
        "No group claimed responsibility.\n"
    )
    assert width(text.splitlines()) is None
    assert unwrap(text) == text


def test_numbered_points_time_stamps_and_tables_are_not_joined() -> None:
    text = (
        "1. The incident. Early on Tuesday a skiff came alongside a tanker at anchor off the port and men\n"
        "in it fired at the bridge with rifles before they turned away towards the coast, the master said.\n"
        "(a) cover for calls at the port remains at the underwriters' discretion for the time being and\n"
        "(b) vessels at anchor south of the breakwater should keep a watch on deck at night until advised.\n"
        "0715  Guards at the north gate saw a crowd of about forty men gathering on the access road with\n"
        "0740  The crowd pushed through the gate and the guards withdrew to the office block as instructed.\n"
        "| Date | Place | What happened in the district in the week under review by the cell |\n"
        "Casualties were light and no one was kept in hospital overnight after treatment, the officer said.\n"
    )
    out = unwrap(text).splitlines()
    assert len(out) == 7
    assert out[0].endswith("the master said.")
    assert out[1].startswith("(a)") and out[2].startswith("(b)")
    assert out[3].startswith("0715") and out[4].startswith("0740")
