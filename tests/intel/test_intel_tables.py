"""A report's tables read row by row (issue 20, round 11), on texts of our own: a monthly summary's table of
incidents with its count and claim columns, a table of arrests left as it was, a header dated "the 5th"."""

from datetime import date

from outrider.intel.cleaning import clean_text
from outrider.intel.extract import build_incidents
from outrider.intel.published import find_published
from outrider.intel.tables import spell_tables

SUMMARY = """MONTHLY SUMMARY - MAY 2031

| S.No | Date | District / Place | Nature of incident | Killed | Injured | Claimed by |
|---|---|---|---|---|---|---|
| 1 | 04 May | Kalat / Mangochar | Gunmen fired on a Levies post | 2 Levies | 1 Levies, 2 civilians | BLA |
| 2 | 17 May | Sibi / railway line | Bomb blast on a goods train | Nil | 3 | None |
| 3 | 20 May | Quetta | Protest by traders | 0 | - | n/a |

| S.No | Date   | District | Action                   | Result                 |
|------|--------|----------|--------------------------|------------------------|
| 1    | 09 May | Mastung  | Search operation by FC   | 4 suspects detained    |
"""


def test_a_table_row_is_written_as_a_listing_line_with_its_counts_and_claim() -> None:
    lines = spell_tables(SUMMARY).splitlines()
    assert lines[2] == (
        "04 May | Kalat / Mangochar | Gunmen fired on a Levies post; 2 Levies killed; "
        "1 Levies and 2 civilians injured; claimed by BLA."
    )
    assert (
        lines[3]
        == "17 May | Sibi / railway line | Bomb blast on a goods train; no one killed; 3 injured; no claim."
    )
    # a row with no toll says nothing by its zeros; a table without a count column stays as it was
    assert lines[4] == "20 May | Quetta | Protest by traders."
    assert "| 1    | 09 May | Mastung  | Search operation by FC   | 4 suspects detained    |" in lines
    assert not any(line.startswith("|--") for line in lines[:5])


def test_a_table_of_incidents_gives_one_incident_a_row_with_its_tolls() -> None:
    got = build_incidents(clean_text(SUMMARY).lines, date(2031, 6, 2))
    rows = {(i["date"], i["city"]): (i["killed"], i["wounded"], i["claimed"]) for i in got}
    assert rows[("2031-05-04", "Mangochar")] == (2, 3, True)  # "Kalat / Mangochar": the town in Kalat
    assert rows[("2031-05-17", "Sibi")] == (0, 3, False)
    assert not any(day == "2031-05-20" for day, _ in rows)


def test_a_place_of_issue_dated_by_an_ordinal_day_dates_the_report() -> None:
    lines = ["GOVERNMENT OF THE PROVINCE", "No. SO(LO)/5-31/2031          Quetta, the 2nd June 2031", "Body"]
    assert find_published(lines, {2031}) == (date(2031, 6, 2), True)


SPOTS = """WEEKLY REPORT - WEEK 19 / 2031

| #  | Date   | District | Location                  | Event                         | K | W | Claim |
|----|--------|----------|---------------------------|-------------------------------|---|---|-------|
| 1  | 06 May | Khuzdar  | Wadh bazaar               | IED blast on a Levies vehicle | 2 | 1 | None  |
| 2  | 08 May | Kalat    | Levies post on the highway | Gunmen fired on the post     | 1 | 0 | BLA   |
"""


def test_a_row_at_a_known_spot_of_its_district_is_at_the_spot() -> None:
    lines = spell_tables(SPOTS).splitlines()
    # the spot the gazetteer knows says where; the district column goes unsaid
    assert lines[2].startswith("06 May | Wadh bazaar | IED blast on a Levies vehicle;")
    # a spot it does not know leaves the district to say where
    assert lines[3].startswith("08 May | Kalat | Levies post on the highway | Gunmen fired on the post;")
    got = build_incidents(clean_text(SPOTS).lines, date(2031, 5, 10))
    assert {(i["date"], i["city"]) for i in got} == {("2031-05-06", "Wadh"), ("2031-05-08", "Kalat")}
