"""One reader of a report's publication date for incidents and cooperation (`outrider.intel.published`): the
header forms, the month-dated header as an upper bound, and a banner told from the page's render date. Lines
written for these tests (a fictional 2031), never copied from a report."""

from __future__ import annotations

from datetime import date

import pytest

from outrider.intel.cooperation.reports import report_day
from outrider.intel.dates import parse_date_text
from outrider.intel.items import find_items
from outrider.intel.pipeline import DocumentResult, TextInput, extract_documents
from outrider.intel.published import (
    _dated_header,
    dateline_day,
    find_page_bound,
    find_published,
    page_date_line,
)

BODY = "Gunmen attacked a police post on Monday, officials said, the second such attack since 2027."


def _read(text: str) -> DocumentResult:
    return next(extract_documents([TextInput("t", text)]))


@pytest.mark.parametrize(
    ("header", "want"),
    [
        ("Lahore, March 14, 2031 (Staff Report): The police said", date(2031, 3, 14)),
        ("KASHGAR, 14 March 2031 (Wire-Agency) - The police said", date(2031, 3, 14)),
        ("Karachi, 14 March 2031: The provincial cabinet said", date(2031, 3, 14)),
        ("Khorog, 14 March 2031 (Pamir Wire)", date(2031, 3, 14)),
        ("ISLAMABAD: March 14, 2031", date(2031, 3, 14)),
        ("2031/03/14", date(2031, 3, 14)),
        ("No 12/2031-PR             Lahore - March 14, 2031", date(2031, 3, 14)),
        ("Updated 18:22, 14-Mar-2031", date(2031, 3, 14)),
        ("Daily Mirror (translated) | Lahore, 14 March 2031", date(2031, 3, 14)),
        ("Asia Daily | Khorog | 14 March 2031", date(2031, 3, 14)),
        ("Issue Brief | 14 March 2031", date(2031, 3, 14)),
        (
            "Collected from the outlet's timeline, Friday 14 March 2031, in the order posted.",
            date(2031, 3, 14),
        ),
        ("Police collected the spent casings, Friday 14 March 2031, at the site.", None),
        ("Lahore, a city of gardens: the police said", None),
    ],
)
def test_a_header_form_dates_the_report_for_incidents_and_cooperation(header: str, want: date | None) -> None:
    res = _read(f"Post attacked\n\n{header}\n\n{BODY}")
    assert res.published == want
    assert report_day(res) == want


@pytest.mark.parametrize(
    "field",
    [
        "Released: 14 March 2031 · 48 min",
        "Air date: Friday, 14 March 2031 | 7 p.m. bulletin | Story 1",
        "Broadcast: Friday 14 March 2031, 1000-1100 hrs",
    ],
)
def test_a_programmes_own_date_field_is_the_publication(field: str) -> None:
    # the body looks back on older years only: a banner's date alone would be taken for the page's render date
    body = (
        "Two weeks ago, before sunrise on 9 March, a bomb left at the gate of a school in Matta killed its "
        "watchman as he unlocked it, as another bomb did at a school in the same valley in 2029."
    )
    text = f'FRONTIER FILES - a podcast\nEpisode 87: "The gate in Matta"\n{field}\n\nShow notes\n\n{body}'
    assert _read(text).published == date(2031, 3, 14)


def test_a_header_dated_to_its_month_bounds_the_report_by_the_months_last_day() -> None:
    res = _read(f"Policy Brief No. 4 | April 2031\n\nPosts attacked\n\n{BODY}")
    assert (res.published, res.bound, report_day(res)) == (None, date(2031, 4, 30), date(2031, 4, 30))
    assert find_page_bound(["December 2031", "Title"]) == date(2031, 12, 31)
    assert find_page_bound(["They met in April 2031 and agreed."]) is None


def test_dashed_and_year_first_days_are_read() -> None:
    assert parse_date_text("Updated 09:15, 2-Feb-2031") == date(2031, 2, 2)
    assert parse_date_text("2031.02.03") == date(2031, 2, 3)
    assert parse_date_text("31-Feb-2031") is None


LEAD = "KHAR: Gunmen shot dead the head of a peace committee near his home yesterday, police said on the day."


def test_a_banner_over_a_story_told_as_the_days_news_is_its_publication() -> None:
    # the body looks back only on older years; the lead counts its day from the report's own
    lines = ["Committee chief shot dead", "Daily Star", "May 4, 2031", LEAD, "A similar attack in 2027."]
    assert find_published(lines, {2027}) == (date(2031, 5, 4), True)
    # a page showing the site's furniture beside its banner: the render date
    furnished = ["THE STAR | Friday, 7 May 2032", "Breaking: Roads closed in the north", *lines[3:]]
    assert find_published(furnished, {2027}) == (None, False)
    # a story not told as the day's news: the banner is the render date
    old = ["Committee chief shot dead", "Daily Star", "May 4, 2031", "The committee was set up in 2027."]
    assert find_published(old, {2027}) == (None, False)


def test_a_later_byline_dates_the_report_under_a_render_banner() -> None:
    lines = [
        "THE STAR | Sunday, 6 December 2032",
        "Breaking: Roads closed in the north",
        "Toll rises to five",
        "Staff Report | August 15, 2031 | 3 min read",
        "DERA: A constable wounded in Tuesday night's attack on a police post died on Friday, police said.",
    ]
    assert find_published(lines, {2029, 2031}) == (date(2031, 8, 15), True)


def test_a_dateline_of_the_banners_day_confirms_the_banner() -> None:
    lines = [
        "THE STAR",
        "Thursday, August 4, 2031 | City Edition",
        "World > Asia",
        "Washington, Aug 4: The United States designated the group a terrorist organisation, officials said.",
    ]
    assert find_published(lines, {2027}) == (date(2031, 8, 4), True)


def test_a_yearless_dateline_takes_the_year_of_an_attack_the_batch_dates_in_its_province() -> None:
    from outrider.intel.pipeline import link_documents

    undated = (
        "Train derailed by blast\n\nSUKKUR, Pakistan, Aug 12 (Wire) - A bomb planted on the railway track "
        "exploded as a passenger train passed near Sukkur on Monday, injuring four people, police said."
    )
    dated = (
        "Blast on the track\n\nSUKKUR, August 11, 2031: A bomb exploded on the railway track near Sukkur on "
        "Monday, injuring four passengers of a passenger train, police said."
    )
    alone, _ = link_documents(list(extract_documents([TextInput("u", undated)])))
    assert alone[0].published is None
    both, _ = link_documents(list(extract_documents([TextInput("u", undated), TextInput("d", dated)])))
    assert both[0].published == date(2031, 8, 12)
    assert [inc["date"] for inc in both[0].incidents] == ["2031-08-11"]


def test_a_yearless_dateline_takes_the_batch_year_its_lead_weekday_fits() -> None:
    from outrider.intel.pipeline import link_documents

    undated = (
        "Blast at the bus stand\n\nQUETTA, Aug 12 (Wire) - A bomb hidden in a bag exploded at the bus stand "
        "in Quetta on Monday afternoon, killing two people, police said."
    )
    others = [
        "Post attacked\n\nPESHAWAR, March 3, 2031: Gunmen attacked a police post in Peshawar on Sunday, "
        "killing a constable, police said.",
        "Road blast\n\nLAHORE, May 5, 2030: A bomb exploded on a road in Lahore on Sunday, injuring a "
        "passer-by, police said.",
    ]
    batch = [TextInput("u", undated)] + [TextInput(f"d{n}", t) for n, t in enumerate(others)]
    dated, _ = link_documents(list(extract_documents(batch)))
    # 12 August is a Tuesday in 2031 and a Monday in 2030: "on Monday" is the day's or the eve's in both
    assert dated[0].published is None
    batch = [TextInput("u", undated), TextInput("d0", others[0])]
    dated, _ = link_documents(list(extract_documents(batch)))
    assert dated[0].published == date(2031, 8, 12)
    assert [inc["date"] for inc in dated[0].incidents] == ["2031-08-11"]
    # Thursday is neither 12 August 2031 nor the day before: the year stays unknown
    batch = [TextInput("u", undated.replace("Monday", "Thursday")), TextInput("d0", others[0])]
    assert link_documents(list(extract_documents(batch)))[0][0].published is None


def test_a_page_render_stamp_gives_way_to_the_articles_own_date() -> None:
    lines = [
        "VALLEY POST | News from the north",
        "Home  Politics  Provinces  Economy",
        "Page generated 14/08/2032 09:12",
        "Provinces",
        "Bomb kills two in the town centre",
        "Valley Post English desk",
        "Sunday, March 2, 2031",
        LEAD,
    ]
    assert find_published(lines, set()) == (date(2031, 3, 2), True)


def test_a_round_up_dated_in_its_edition_label_is_dated_by_it() -> None:
    lines = ["THE WEEK", "Weekly round-up | Saturday edition, July 26, 2031 | Security Weekly", LEAD]
    assert find_published(lines, {2027}) == (date(2031, 7, 26), True)


def test_a_broadcast_transcripts_header_dates_it() -> None:
    lines = ["[TRANSCRIPT] VALLEY TV 9 PM BULLETIN — Monday 21 July 2031", "(Transcribed.)", LEAD]
    assert find_published(lines, {2027}) == (date(2031, 7, 21), True)


def test_an_editorials_outlet_and_date_date_it() -> None:
    lines = ["EDITORIAL", "The National Courier | Saturday, August 9, 2031", "A title", LEAD]
    assert find_published(lines, {2027}) == (date(2031, 8, 9), True)
    # the same header over no piece of the outlet's own may be the page's render date
    assert find_published(lines[1:], {2027})[0] is None


@pytest.mark.parametrize(
    "header",
    [
        "Fact-check | 6 August 2031 | Reading time 4 min",
        "Tuesday, August 6, 2031 | Safar 4, 1453 AH",
        "Original date line: Dalbandin, Tuesday, 6 August 2031",
        "Tuesday, August 6, 2031 - Shawwal 26, 1452",
        "Programme: Evening Round-the-Valley Bulletin, 8:00 pm, 6 August 2031",
    ],
)
def test_a_header_line_of_one_date_among_short_labels_dates_the_report(header: str) -> None:
    lines = ["THE VALLEY MONITOR", header, "", LEAD]
    assert find_published(lines, {2031}) == (date(2031, 8, 6), True)


def test_a_sentence_with_a_date_near_the_top_is_no_header() -> None:
    line = (
        "Officials in the district said on Tuesday, 6 August 2031, that the road to the border stays closed"
    )
    assert _dated_header(line) is False


def test_a_yearless_dateline_under_a_later_page_date_dates_the_report_in_the_years_before() -> None:
    lines = [
        "THE POST",
        "Sunday 11 January 2032",
        "",
        "QUETTA, Pakistan, March 14 (Agency) - A bomb went off.",
    ]
    assert dateline_day(lines, date(2032, 1, 11)) == date(2031, 3, 14)
    assert dateline_day(lines, date(2031, 6, 1)) == date(2031, 3, 14)
    # a wire's dateline a day before the page's date is the page's own story
    assert dateline_day(lines, date(2031, 3, 15)) is None


def test_a_dateline_with_its_day_in_figures_dates_the_report() -> None:
    lines = [
        "THE AGENCY",
        "",
        "KHOROG, 13.06.2031 /Agency/. In the evening of 12 June gunmen fired on a post.",
    ]
    assert find_published(lines, {2031}) == (date(2031, 6, 13), True)


@pytest.mark.parametrize(
    "field",
    [
        "No. SSP/OPS/0412/2031                         Dated: 19-01-2031",
        "Dated Quetta, the 19th January, 2031",
        "Week 3 | 13-19 January 2031 | Issued 19 January 2031",
        "Release date: 2031-01-19  Source: Consular section",
        "Date of issue: 19 January 2031",
        "Date of institution: 02.11.2030\nDate of judgment: 19.01.2031",
        "Date of hearing: 12-01-2031\nDate of announcement: 19-01-2031",
        "Issue date: 19 January 2031      Prepared by: Site Security Department",
        "Issued at the district press club in Turbat, Sunday, 19 January 2031",
        "Alerts digest (messages of the last 24 hrs) - sent 19-01-2031 07:00 AM",
    ],
)
def test_a_notices_own_date_field_dates_it(field: str) -> None:
    lines = ["OFFICE OF THE DISTRICT POLICE OFFICER", *field.split("\n"), BODY]
    assert find_published(lines, {2027}) == (date(2031, 1, 19), True)


def test_a_date_after_posted_in_a_sentence_or_dated_inside_one_is_no_stamp() -> None:
    lines = [
        "OFFICE OF THE DISTRICT POLICE OFFICER",
        "The constable who was posted at the city police station was killed on the night of 8th August, 2031",
        "The officer reported it in his letter dated 09-08-2031 to the commissioner.",
        "Dated: 26-10-2031",
    ]
    assert find_published(lines, {2031}) == (date(2031, 10, 26), True)


@pytest.mark.parametrize(
    ("header", "day"),
    [
        (
            "[TRANSCRIPT - EVENING NEWS TICKER AND ANCHOR SEGMENTS, CHANNEL 9, FRIDAY 19 SEPTEMBER 2031]",
            date(2031, 9, 19),
        ),
        ("[Bulletin of the district control room - 19 September 2031]", date(2031, 9, 19)),
        # how a page was saved or shown is no date of its record
        ("[Programme page, captured Friday 19 September 2031]", None),
        ("[Bulletin archive copy, Friday 19 September 2031]", None),
        # a bracketed note naming no record's kind
        ("[Photo caption, Friday 19 September 2031]", None),
    ],
)
def test_an_editors_bracketed_note_of_the_records_kind_dates_it(header: str, day: date | None) -> None:
    lines = [header, "", "Gunmen attacked a police post in Bannu on Thursday night, police said."]
    assert find_published(lines, {2031}) == (day, day is not None)


def test_a_date_beside_the_sites_sections_is_the_pages_render_date() -> None:
    lines = [
        "BALOCHISTAN DESK",
        "Sunday, 7 December 2031 | Home | Balochistan | Politics | Videos | Contact",
        "Rockets fired at power plant colony",
        "Unknown men fired rockets at the colony of a power plant in Hub late on Sunday night, police said.",
    ]
    assert find_published(lines, {2031}) == (None, False)


def test_the_sites_own_update_stamp_is_no_publication() -> None:
    lines = ["District Times Online", "Site updated: 19 September 2031", "", BODY]
    assert find_published(lines, {2027})[0] != date(2031, 9, 19)


def test_issued_in_a_sentence_with_a_later_date_is_no_date_field() -> None:
    lines = [
        "OFFICE OF THE DISTRICT POLICE OFFICER",
        "The order was issued in Turbat, where on 3 May 2031 a post was hit.",
    ]
    assert find_published(lines, {2031}) == (None, False)


def test_a_masthead_with_a_solar_hijri_date_is_kept_as_the_reports_date() -> None:
    got = _read("Translated from Dari | Helmand Weekly | 29 Dalw 1410\n\nA bomb exploded in a bazaar.")
    assert got.published == date(2032, 2, 18)


def test_the_pages_date_alone_under_its_title_heads_no_item() -> None:
    day = date(2031, 5, 2)
    assert page_date_line("Tuesday, May 2, 2031", day)
    assert not page_date_line("@Reporter - 2 May 2031, 2:41 PM", day)  # a post's stamp
    assert not page_date_line("Tuesday, May 2, 2031", date(2031, 5, 3))


def test_the_pages_date_among_a_mastheads_fields_heads_no_item() -> None:
    day = date(2031, 5, 2)
    assert page_date_line("Tuesday, May 2, 2031   |   Last updated 09:40 PST", day)
    assert page_date_line("FRONTIER POST · Tuesday, May 2, 2031 · Page 2", day)
    assert not page_date_line("@Desk · May 2, 2031 · 8:05 AM", day)  # a post's stamp: a bare time beside it
    items = find_items(
        (
            "KARAKORAM MAIL",
            "News from the hills",
            "Tuesday, May 2, 2031   |   Last updated 09:40 PST",
            "Chinese engineer and his driver killed as roadside bomb hits project coach in Kohistan",
            "DASU: A Chinese engineer and his driver were killed on Monday morning when a bomb exploded.",
            "- Gilgit: cold snap to persist through the week, the weather office said today.",
        ),
        day,
    )
    assert all(it.when.value != day for it in items)  # the masthead's date dates no item (the page's)


def test_a_header_date_set_off_by_middle_dots_is_the_publication() -> None:
    lines = [
        "THE VALLEY WEEKLY",
        "Vol. IX, No. 3 · Saturday 8 March 2031 · Quetta",
        "Guard shot dead in Kohat",
    ]
    assert find_published(lines, {2027}) == (date(2031, 3, 8), True)


def test_a_wires_closing_filing_stamp_dates_it() -> None:
    body = [f"Paragraph {n} of the wire tells what the police said." for n in range(14)]
    lines = ["AGENCY WIRE", "School torched in a valley", *body, "(Filed at 13:05 PKT, 10 March 2031)"]
    assert find_published(lines, set()) == (date(2031, 3, 10), True)


def test_a_header_date_before_its_edition_in_brackets_is_the_publication() -> None:
    lines = [
        "DAILY VALLEY NEWS",
        "Quetta · Wednesday 4 March 2031 (print edition)",
        "COURTS",
        "Four indicted",
    ]
    assert find_published(lines, {2031}) == (date(2031, 3, 4), True)


@pytest.mark.parametrize(
    "number", ["No. 12/3/2031-Security(CPEC)", "No. 5/14/2031-CSW", "Ref: 12/03/2031/HD"]
)
def test_a_file_number_alone_on_its_line_is_no_date_and_the_letters_own_date_is(number: str) -> None:
    lines = [
        number,
        "GOVERNMENT OF PAKISTAN",
        "MINISTRY OF INTERIOR",
        "Islamabad, the 30th March, 2031",
        "",
        BODY,
    ]
    assert find_published(lines, set())[0] == date(2031, 3, 30)
