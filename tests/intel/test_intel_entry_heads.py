"""A feed's entries dated by their own heading lines (`outrider.intel.entry_heads`): headings of one shape
that recur, and the undated event an entry tells given its entry's day. Lines written for these tests."""

from __future__ import annotations

from datetime import date

from outrider.intel.cleaning import clean_text
from outrider.intel.entry_heads import entry_heads
from outrider.intel.extract import build_incidents

FEED = """Route Watch - Traveller Alerts
Feed export - last synced 03 Jul 2031 06:00 UTC

ALERT 31-0412-PK07 | SEVERITY: HIGH | 12 Apr 2031
What happened: A roadside bomb went off next to a coach near Mardan, killing two passengers.

ALERT 31-0509-PK03 | SEVERITY: MEDIUM | 9 May 2031
What happened: Gunmen attacked a police post in Kohat, killing a constable.

ALERT 31-0511-PK04 | SEVERITY: LOW | 11 May 2031
What happened: Traders in Kohat closed their shops to mourn the constable killed in the Kohat attack.
"""


def test_recurring_headings_date_their_entries_and_a_lone_banner_does_not() -> None:
    lines = ("ALERT 1 | SEVERITY: HIGH | 12 Apr 2031", "text", "ALERT 2 | SEVERITY: LOW | 9 May 2031", "text")
    assert entry_heads(lines) == [date(2031, 4, 12), None, date(2031, 5, 9), None]
    banner = (
        "Friday, 7 November 2031 | Login | Subscribe",
        "Updated: Nov 7, 2031 10:05 PM | Web Desk",
        "text",
    )
    assert entry_heads(banner) == [None, None, None]
    prose = ("Police said | the attack | on 12 Apr 2031.", "Police said | the attack | on 9 May 2031.")
    assert entry_heads(prose) == [None, None]


def test_an_entrys_undated_event_is_of_its_entrys_day_and_a_later_mention_of_it_is_not_another() -> None:
    got = sorted((i["city"], i["date"]) for i in build_incidents(clean_text(FEED).lines, date(2031, 7, 3)))
    assert got == [("Kohat", "2031-05-09"), ("Mardan", "2031-04-12")]
